package io.buildq.worker;

import io.buildq.internal.job.JobRow;
import io.buildq.status.JobStatus;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.jobs.context.JobDashboardProgressBar;

/**
 * Mirrors a job row to JobRunr's progress bar and job log, so that its dashboard shows progress too.
 * Work done outside a JobRunr job (the sweeper's) has {@link #NONE}, which shows nothing.
 */
class DashboardMirror {

    /** For work outside any JobRunr job: the row and the log say what happened. */
    static final DashboardMirror NONE = new DashboardMirror() {
        @Override
        void show(JobRow row) {
        }

        @Override
        void log(String message) {
        }
    };

    private final JobContext context;
    private final JobDashboardProgressBar bar;
    private String lastLine;

    DashboardMirror(JobContext context) {
        this.context = context;
        this.bar = context.progressBar(100);
    }

    private DashboardMirror() {
        this.context = null;
        this.bar = null;
    }

    void show(JobRow row) {
        bar.setProgress(row.percent());
        String line = row.status() + (row.factoryStatus() != null ? " (factory " + row.factoryStatus() + ")" : "")
                + " " + row.percent() + "%" + (row.activity() != null ? ": " + row.activity() : "");
        if (!line.equals(lastLine)) {
            lastLine = line;
            if (row.status() == JobStatus.FAILED) {
                context.logger().error(line + " | error: " + row.error());
            } else {
                context.logger().info(line);
            }
        }
    }

    void log(String message) {
        context.logger().info(message);
    }
}
