package io.buildq.worker;

import io.buildq.factory.FactoryImage;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import io.buildq.sweep.FactorySweeps.Sweep;
import io.buildq.sweep.FactorySweeps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what Image Factory holds for a job row that nobody follows any more, from the records of
 * {@link FactorySweeps}:
 * <ul>
 *   <li>a CANCELLED row: its image and every image carrying its start marker are deleted in factory,
 *       and removed from iwhd, whether or not a worker ran the row when it was cancelled (a QUEUED
 *       retry that kept a completed image; a dead worker's RUNNING row; a worker that cleaned up
 *       already, which makes this pass find nothing);</li>
 *   <li>any other row: every image carrying the marker except the one the row keeps. That is the
 *       second image of a start asked again after a search found nothing while factory was still
 *       handling the first POST, or what an attempt that failed while starting left behind.</li>
 * </ul>
 * A record is swept once {@code settle} has passed since it was written, so that any POST of the row
 * has been given up by its client by then; a row still starting with the marker waits for the next
 * pass. Deleting twice is harmless, so several workers may sweep at once. What could not be done
 * (factory unreachable) is tried again later, less and less often.
 */
final class FactorySweeper implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(FactorySweeper.class);
    private static final int BATCH = 100;
    private static final Duration MAX_PAUSE = Duration.ofHours(1);

    private final JobStore store;
    private final FactorySweeps sweeps;
    private final BuildJobRunner builds;
    private final PushJobRunner pushes;
    private final Duration settle;

    /**
     * @param settle how long after a record was written it is swept: at least the longest a worker's
     *               call to factory waits for an answer
     */
    FactorySweeper(JobStore store, FactorySweeps sweeps, BuildJobRunner builds, PushJobRunner pushes, Duration settle) {
        this.store = store;
        this.sweeps = sweeps;
        this.builds = builds;
        this.pushes = pushes;
        this.settle = settle;
    }

    @Override
    public void run() {
        try {
            for (Sweep sweep : sweeps.due(settle, BATCH)) {
                try {
                    if (sweep(sweep)) {
                        sweeps.done(sweep);
                    } else {
                        sweeps.postpone(sweep, store.now().plus(settle));
                    }
                } catch (RuntimeException e) {
                    Duration pause = pause(sweep.tries());
                    log.warn("Could not sweep Image Factory's images of job {} (try {}); trying again in {} s: {}",
                            sweep.jobId(), sweep.tries() + 1, pause.toSeconds(), e.toString());
                    sweeps.failed(sweep, store.now().plus(pause));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Sweeping Image Factory's images failed; will try again: {}", e.toString());
        }
    }

    /** Sweeps one record; false when the row is still starting with the marker and the sweep must wait. */
    private boolean sweep(Sweep sweep) {
        JobRow row = store.findJob(sweep.jobId()).orElse(null);
        if (row == null) {
            return true;
        }
        boolean cancelled = row.status() == JobStatus.CANCELLED;
        boolean stillStarting = !row.status().isTerminal() && row.factoryImageId() == null
                && sweep.marker().equals(row.startMarker());
        if (stillStarting) {
            return false; // its worker looks for the marker itself before it starts again
        }
        FactoryJobFlow.Image image = imageOf(row);
        List<String> deleted = new ArrayList<>();
        if (!sweep.marker().equals(JobStore.NO_MARKER)) {
            String kept = cancelled ? null : row.factoryImageId();
            for (FactoryImage found : image.marked(sweep.marker())) {
                if (found.id().equals(kept) || found.status() == FactoryStatus.DELETING
                        || found.status() == FactoryStatus.DELETED) {
                    continue;
                }
                image.discard(row, found);
                deleted.add(found.id());
            }
        }
        if (cancelled) {
            if (row.factoryImageId() != null && !deleted.contains(row.factoryImageId())) {
                deleted.add(row.factoryImageId());
            }
            image.cancelled(row, DashboardMirror.NONE); // the row's own image, its iwhd objects, a push's credentials
        }
        if (cancelled && row.kind() == JobKind.PUSH) {
            store.forgetCredentials(row.id()); // kept for these deletions (JobStore), needed no more
        }
        if (!deleted.isEmpty()) {
            String note = "Asked Image Factory to delete " + image.noun() + (deleted.size() == 1 ? " " : "s ")
                    + String.join(", ", deleted) + (cancelled ? ", left by the cancelled job" : ", a start made twice");
            log.warn("job {}: {}", row.id(), note);
            store.note(row.id(), ChangeSource.SWEEPER, note);
        }
        return true;
    }

    private FactoryJobFlow.Image imageOf(JobRow row) {
        if (row.kind() == JobKind.BUILD) {
            return builds.image();
        }
        return pushes.image(store.findJob(row.parentJobId()).orElseThrow());
    }

    private Duration pause(int tries) {
        Duration pause = settle.multipliedBy(1L << Math.min(tries, 12));
        return pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause;
    }
}
