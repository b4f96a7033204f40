package io.buildq.worker;

import io.buildq.factory.FactoryException;
import io.buildq.factory.FactoryImage;
import io.buildq.factory.FactoryStatus;
import io.buildq.job.JobRow;
import io.buildq.job.JobStore;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import java.time.Duration;
import java.util.function.Function;

/**
 * Follows one factory image to its outcome: callbacks wake the job's thread, and a GET every poll
 * interval covers the callbacks factory lost. Shared by builds and pushes.
 */
final class ImageFollower {

    private final JobStore store;
    private final ProgressWriter progress;
    private final ProgressSignals signals;
    private final Duration pollInterval;

    ImageFollower(JobStore store, ProgressWriter progress, ProgressSignals signals, Duration pollInterval) {
        this.store = store;
        this.progress = progress;
        this.signals = signals;
        this.pollInterval = pollInterval;
    }

    /**
     * Returns the row once factory reported an outcome (or the row ended otherwise). A factory that
     * no longer knows the image fails the row; any other factory error is left to JobRunr's retries.
     */
    JobRow follow(JobRow row, DashboardMirror mirror, Function<String, FactoryImage> get) throws InterruptedException {
        while (true) {
            mirror.show(row);
            if (row.status().isTerminal() || isOutcome(row)) {
                return row;
            }
            if (!signals.await(row.id(), pollInterval)) {
                FactoryImage seen;
                try {
                    seen = get.apply(row.factoryImageId());
                } catch (FactoryException e) {
                    if (e.status() == 404) {
                        String error = "Image Factory no longer knows image " + row.factoryImageId()
                                + " (was it restarted, or the image deleted?)";
                        JobRow failed = store.change(row.id(), ProgressWriter.SOURCE_WORKER,
                                r -> r.markFailed(store.now(), error));
                        mirror.show(failed);
                        throw new FactoryBuildFailedException(error);
                    }
                    throw e; // the flow decides: wait and reattach, or fail the row
                }
                progress.record(row.id(), row.attempt(), seen, ProgressWriter.SOURCE_POLL);
            }
            row = store.findJob(row.id()).orElseThrow();
        }
    }

    static boolean isOutcome(JobRow row) {
        return row.factoryStatus() != null && FactoryStatus.parse(row.factoryStatus()).isTerminal();
    }
}
