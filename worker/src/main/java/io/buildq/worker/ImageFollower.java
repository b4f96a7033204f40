package io.buildq.worker;

import io.buildq.factory.FactoryException;
import io.buildq.factory.FactoryImage;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Follows one factory image to its outcome: callbacks wake the job's thread, and a GET every poll
 * interval covers the callbacks factory lost. Each write hands the thread the row it committed
 * ({@link ProgressSignals}), so following costs no read of its own. Shared by builds and pushes.
 */
final class ImageFollower {

    private final JobStore store;
    private final ProgressWriter progress;
    private final ProgressSignals signals;
    private final Duration pollInterval;
    private final Duration deadline;
    private final Duration saveWait;

    /**
     * @param deadline how long factory may take to report an outcome for one image before it is
     *                 taken as lost (see {@link ImageLostException})
     * @param saveWait how long factory may take to show on GET the outcome its callback reported
     */
    ImageFollower(JobStore store, ProgressWriter progress, ProgressSignals signals, Duration pollInterval,
                  Duration deadline, Duration saveWait) {
        this.store = store;
        this.progress = progress;
        this.signals = signals;
        this.pollInterval = pollInterval;
        this.deadline = deadline;
        this.saveWait = saveWait;
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
            // Real factory keeps no build across a restart, and the image it interrupted reads NEW
            // forever, with no callback (real-install-notes.md Q4): only a deadline tells.
            Instant startedAt = row.factoryStartedAt();
            if (startedAt != null && !store.now().isBefore(startedAt.plus(deadline))) {
                throw new ImageLostException(row, deadline);
            }
            Duration wait = pollInterval;
            if (startedAt != null) {
                Duration left = Duration.between(store.now(), startedAt.plus(deadline));
                wait = left.compareTo(wait) < 0 ? left.plusMillis(1) : wait;
            }
            if (!signals.await(row.id(), wait)) {
                FactoryImage seen;
                try {
                    seen = get.apply(row.factoryImageId());
                } catch (FactoryException e) {
                    if (e.status() == 404) {
                        String error = "Image Factory no longer knows image " + row.factoryImageId()
                                + " (was it restarted, or the image deleted?)";
                        JobRow failed = store.change(row.id(), ChangeSource.WORKER,
                                r -> r.markFailed(store.now(), error));
                        mirror.show(failed);
                        throw new FactoryBuildFailedException(error);
                    }
                    throw e; // the flow decides: wait and reattach, or fail the row
                }
                progress.record(row.id(), row.attempt(), seen, ChangeSource.POLL);
            }
            // The row as the callback's or the poll's write committed it; read only when no write
            // came (a report held back by the progress throttle) or one raced ahead of it.
            JobRow known = row;
            row = signals.newestSince(known).orElseGet(() -> store.findJob(known.id()).orElseThrow());
        }
    }

    /**
     * The image as GET shows it once it agrees with the outcome the row has. Factory sends the
     * COMPLETE callback before it saves the record (Q5, {@code Builder._customize_image_for_target}:
     * the status setter notifies, then {@code save_image}), so a GET right after may still say NEW,
     * without the icicle or the provider's identifier. Waits for the save, bounded; past the bound it
     * fails transiently, and the flow tries again within its retry budget.
     */
    FactoryImage awaitSaved(JobRow row, Function<String, FactoryImage> get) throws InterruptedException {
        FactoryStatus outcome = row.factoryStatus();
        Instant until = store.now().plus(saveWait);
        long pause = 50;
        while (true) {
            FactoryImage seen = get.apply(row.factoryImageId());
            if (seen.status() == outcome) {
                return seen;
            }
            if (!store.now().isBefore(until)) {
                throw new ImageNotSavedException("Image Factory reported " + outcome + " for " + row.factoryImageId()
                        + " but GET still says " + seen.status() + " after " + saveWait.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(pause); // factory's save is a file write behind its callback
            pause = Math.min(1000, pause * 2);
        }
    }

    /** Factory reported an outcome it has not saved (yet, or ever: a restart between the two loses it). */
    static final class ImageNotSavedException extends FactoryException {
        ImageNotSavedException(String message) {
            super(message, 0);
        }
    }

    static boolean isOutcome(JobRow row) {
        return row.factoryStatus() != null && row.factoryStatus().isTerminal();
    }
}
