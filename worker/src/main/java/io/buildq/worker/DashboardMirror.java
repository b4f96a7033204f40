package io.buildq.worker;

import io.buildq.internal.job.JobRow;
import io.buildq.status.ProgressEstimate;
import java.util.Optional;
import java.util.function.Function;
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
    private final Function<JobRow, Optional<ProgressEstimate>> estimates;
    private String lastLine;
    private boolean estimateExplained;

    /**
     * @param estimates buildq's estimate of a row's progress while factory reports none (see
     *                  {@link ProgressEstimate}); JobRunr's bar shows it in place of factory's 0 %
     */
    DashboardMirror(JobContext context, Function<JobRow, Optional<ProgressEstimate>> estimates) {
        this.context = context;
        this.bar = context.progressBar(100);
        this.estimates = estimates;
    }

    private DashboardMirror() {
        this.context = null;
        this.bar = null;
        this.estimates = row -> Optional.empty();
    }

    void show(JobRow row) {
        Optional<ProgressEstimate> estimate = estimates.apply(row);
        bar.setProgress(estimate.map(ProgressEstimate::percent).orElse(row.percent()));
        if (estimate.isPresent() && !estimateExplained) {
            estimateExplained = true; // once: the figure moves at every poll, its basis does not
            context.logger().info("Image Factory reports no percentage; the bar shows buildq's "
                    + estimate.get().basis(row.target()));
        }
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
