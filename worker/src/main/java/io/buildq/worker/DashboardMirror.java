package io.buildq.worker;

import io.buildq.job.JobRow;
import io.buildq.job.JobStatus;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.jobs.context.JobDashboardProgressBar;

/** Mirrors a job row to JobRunr's progress bar and job log, so that its dashboard shows progress too. */
final class DashboardMirror {

    private final JobContext context;
    private final JobDashboardProgressBar bar;
    private String lastLine;

    DashboardMirror(JobContext context) {
        this.context = context;
        this.bar = context.progressBar(100);
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
