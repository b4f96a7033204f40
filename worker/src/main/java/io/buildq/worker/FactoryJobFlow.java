package io.buildq.worker;

import io.buildq.error.RemoteServiceException;
import io.buildq.factory.FactoryException;
import io.buildq.factory.FactoryImage;
import io.buildq.internal.iwhd.IwhdException;
import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.estimate.ProgressEstimator;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import io.buildq.retry.Backoff;
import io.buildq.slots.FactorySlots;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import io.buildq.sweep.FactorySweeps;
import io.buildq.telemetry.WorkerMeters;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.context.JobContext;
import org.jobrunr.jobs.states.StateName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every factory job takes, whether it builds a target image or pushes a provider image:
 * take the row up (a FAILED row run again is a Requeue from JobRunr's dashboard), start the image on
 * factory or reattach to the one an earlier run started, follow it, and hand its outcome over; a job
 * interrupted because it was cancelled has its image deleted.
 */
final class FactoryJobFlow {

    /** What differs between a build and a push. */
    interface Image {
        /** POSTs the image to factory, carrying {@code marker} in its parameters; the flow stores its id. */
        FactoryImage start(BuildRequestRow request, JobRow row, String marker, DashboardMirror mirror)
                throws InterruptedException;

        /** The images factory holds that carry the marker. */
        List<FactoryImage> marked(String marker);

        /** Asks factory to delete an image started twice for the row; the row keeps another. */
        void discard(JobRow row, FactoryImage duplicate);

        /** The row adopted {@code kept}, an image its start had created; whatever else that start made is found again. */
        default void adopted(BuildRequestRow request, JobRow row, FactoryImage kept) {
        }

        FactoryImage get(String factoryImageId);

        /**
         * Factory reported an outcome: register it, or fail the row.
         *
         * @param saved the image as GET shows it once factory saved a COMPLETE outcome; null otherwise
         */
        void finish(BuildRequestRow request, JobRow row, FactoryImage saved, DashboardMirror mirror);

        /** Factory lost the image (no outcome by the deadline): ask it to delete the record, and fail the row. */
        void lost(BuildRequestRow request, JobRow row, String error, DashboardMirror mirror);

        /** The row was cancelled: ask factory to delete the image, if it has one. */
        void cancelled(JobRow row, DashboardMirror mirror);

        /** "target image" or "provider image", for the job log. */
        String noun();
    }

    private static final Logger log = LoggerFactory.getLogger(FactoryJobFlow.class);

    private final JobStore store;
    private final ProgressSignals signals;
    private final ProgressWriter progress;
    private final ImageFollower follower;
    private final Backoff backoff;
    private final FactorySlots slots;
    private final JobEnqueuer enqueuer;
    private final FactorySweeps sweeps;
    private final WorkerMeters meters;
    private final ProgressEstimator estimator;

    FactoryJobFlow(JobStore store, ProgressSignals signals, ProgressWriter progress, ImageFollower follower,
                   Backoff backoff, FactorySlots slots, JobEnqueuer enqueuer, FactorySweeps sweeps,
                   WorkerMeters meters, ProgressEstimator estimator) {
        this.estimator = estimator;
        this.store = store;
        this.signals = signals;
        this.progress = progress;
        this.follower = follower;
        this.backoff = backoff;
        this.slots = slots;
        this.enqueuer = enqueuer;
        this.sweeps = sweeps;
        this.meters = meters;
    }

    /** The job's row, or null when there is nothing to do: no row, or a row already COMPLETE or CANCELLED. */
    JobRow load(UUID jobId) {
        JobRow row = store.findJob(jobId).orElse(null);
        if (row == null) {
            log.warn("Job {} has no row; nothing to do", jobId);
            return null;
        }
        if (row.status() == JobStatus.COMPLETE || row.status() == JobStatus.CANCELLED) {
            log.info("Job {} is already {}; nothing to do", jobId, row.status());
            return null;
        }
        return row;
    }

    /**
     * Runs the job on its row: marks it RUNNING, then starts or reattaches, follows and finishes.
     * When factory or iwhd fails transiently, the job waits (the row RUNNING, its activity saying
     * so) and tries again, reattaching to factory's image by its stored id, until {@link Backoff}'s
     * budget is spent; then, or on an answer that trying again cannot change (a 4xx), the row fails.
     */
    void run(JobRow row, JobContext context, Image image) throws InterruptedException {
        UUID jobId = row.id();
        if (row.status() == JobStatus.FAILED) {
            // Only a Requeue in JobRunr's dashboard runs a job whose row failed: that is a retry.
            store.change(jobId, ChangeSource.WORKER, r -> r.requeueForRetry("Requeued in JobRunr's dashboard"));
        }
        if (row.status() != JobStatus.RUNNING) {
            row = store.change(jobId, ChangeSource.WORKER, r -> r.markRunning(store.now()));
        }
        // else a build's claim made it RUNNING a moment ago (FactorySlots), or a worker died running
        // it; marking it again would change nothing, and costs a transaction before factory's POST.
        BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
        JobLogFields.put(row, request);
        DashboardMirror mirror = new DashboardMirror(context, current -> estimator.estimate(current, request));
        signals.register(jobId);
        try {
            Instant failingSince = null;
            int failures = 0;
            while (true) {
                try {
                    runOnce(request, row, image, mirror);
                    return;
                } catch (InterruptedException interrupted) {
                    // JobRunr interrupts a job deleted while it runs (a cancel, from buildq or its
                    // dashboard), wherever it waits: for factory, for a save, for a base image.
                    cancelledIfSo(cancelIfDeletedInJobRunr(jobId), image, mirror);
                    throw interrupted;
                } catch (RemoteServiceException e) {
                    failingSince = failingSince == null ? store.now() : failingSince;
                    failures++;
                    try {
                        row = waitOrFail(jobId, e, failingSince, failures, mirror);
                    } catch (InterruptedException interrupted) {
                        // A cancel (or JobRunr's Delete) while the job waited to try again.
                        cancelledIfSo(cancelIfDeletedInJobRunr(jobId), image, mirror);
                        throw interrupted;
                    }
                    if (row.status().isTerminal()) {
                        cancelledIfSo(row, image, mirror);
                        return;
                    }
                }
            }
        } finally {
            signals.unregister(jobId);
            progress.forget(jobId);
            if (row.kind() == JobKind.BUILD) {
                slots.buildEnded();
            }
            if (meters.enabled()) {
                store.findJob(jobId).filter(ended -> ended.status().isTerminal()).ifPresent(meters::jobEnded);
            }
        }
    }

    private void runOnce(BuildRequestRow request, JobRow row, Image image, DashboardMirror mirror)
            throws InterruptedException {
        if (row.factoryImageId() == null) {
            String marker = startMarker(row);
            if (row.startMarker() != null && !marker.equals(row.startMarker())) {
                // An earlier attempt's start never heard an answer: what factory made of it is abandoned.
                for (FactoryImage abandoned : image.marked(row.startMarker())) {
                    image.discard(row, abandoned);
                    mirror.log("Asked Image Factory to delete " + image.noun() + " " + abandoned.id()
                            + ", which an earlier attempt started without hearing of it");
                }
            }
            if (marker.equals(row.startMarker())) {
                // An earlier try of this attempt asked factory for the image and heard no answer (or
                // its worker died before storing it): factory may have created it all the same.
                row = adoptIfAccepted(request, row, marker, image, mirror);
            }
            if (row.factoryImageId() == null) {
                row = store.change(row.id(), ChangeSource.WORKER, r -> r.recordStartIntent(marker));
                FactoryImage created = image.start(request, row, marker, mirror);
                row = progress.attach(row.id(), row.attempt(), created);
                if (!created.id().equals(row.factoryImageId())) {
                    // Cancelled while factory was creating it: the image would be left behind.
                    image.discard(row, created);
                    mirror.log("The row is " + row.status() + "; asked Image Factory to delete " + image.noun() + " "
                            + created.id() + ", which it had just created");
                    cancelledIfSo(row, image, mirror);
                    return;
                }
                mirror.log("Image Factory accepted it as " + image.noun() + " " + row.factoryImageId());
            }
        } else {
            mirror.log("Reattaching to Image Factory " + image.noun() + " " + row.factoryImageId());
        }
        try {
            row = follower.follow(row, mirror, image::get);
        } catch (ImageLostException e) {
            log.warn("job {}: {}", row.id(), e.getMessage());
            image.lost(request, e.row(), e.getMessage(), mirror);
            return;
        }
        if (row.status().isTerminal()) {
            mirror.log("The row is " + row.status() + "; stopping");
            cancelledIfSo(row, image, mirror);
            return;
        }
        FactoryImage saved = null;
        if (row.factoryStatus() == FactoryStatus.COMPLETE) {
            try {
                saved = follower.awaitSaved(row, image::get);
            } catch (FactoryException e) {
                boolean keptFromEarlierAttempt = row.startMarker() != null && !startMarker(row).equals(row.startMarker());
                boolean gone = e.status() == 404 || e instanceof ImageFollower.ImageNotSavedException;
                if (!keptFromEarlierAttempt || !gone) {
                    throw e;
                }
                // A retry kept the image an earlier attempt heard was complete, and factory no longer
                // has it (deleted), or never saved it (restarted between its callback and its save).
                mirror.log("Image Factory no longer has " + image.noun() + " " + row.factoryImageId()
                        + " as complete, which an earlier attempt heard it was; starting a new one");
                JobRow reset = store.change(row.id(), ChangeSource.WORKER, JobRow::forgetFactoryImage);
                runOnce(request, reset, image, mirror);
                return;
            }
        }
        image.finish(request, row, saved, mirror);
    }

    /**
     * The row as it is now; one still QUEUED or RUNNING whose JobRunr job was deleted (Delete in
     * JobRunr's dashboard, which interrupts the job and tells buildq nothing) is cancelled here, so
     * that its image is deleted now rather than left behind for the reconciler, which cannot.
     */
    private JobRow cancelIfDeletedInJobRunr(UUID jobId) {
        JobRow current = store.findJob(jobId).orElseThrow();
        if (current.status().isTerminal()) {
            return current;
        }
        Job job = enqueuer.jobOf(current);
        if (job == null || job.getState() != StateName.DELETED) {
            return current; // a stopping worker: another one reattaches
        }
        return store.change(jobId, ChangeSource.RECONCILER, r -> {
            if (r.status().isCancellable()) {
                r.cancel(store.now(), "Deleted in JobRunr's dashboard");
            }
        });
    }

    /** The marker of a row's attempt: ASCII, as factory's parameters need (Q9), and unique to the attempt. */
    static String startMarker(JobRow row) {
        return "buildq-" + row.id() + "-" + row.attempt();
    }

    /**
     * Looks for the images factory created for this attempt's earlier starts and adopts one (the one
     * furthest along); any other is a duplicate, which factory is asked to delete. Every id goes into
     * the row's history.
     */
    private JobRow adoptIfAccepted(BuildRequestRow request, JobRow row, String marker, Image image,
                                   DashboardMirror mirror) {
        List<FactoryImage> found = new ArrayList<>(image.marked(marker));
        if (found.isEmpty()) {
            // Factory may still be handling the first POST, and create its image after this search:
            // a sweep looks for the marker again once that POST is surely over, and deletes every
            // image carrying it but the one the row keeps.
            sweeps.record(row.id(), marker);
            mirror.log("Image Factory holds no " + image.noun() + " of this attempt's earlier start; starting it");
            return row;
        }
        found.removeIf(candidate -> candidate.status() == FactoryStatus.DELETING
                || candidate.status() == FactoryStatus.DELETED || candidate.status() == FactoryStatus.DELETEFAILED);
        if (found.isEmpty()) {
            return row;
        }
        found.sort(Comparator.comparingInt(FactoryJobFlow::adoptionPreference));
        FactoryImage kept = found.get(0);
        List<String> discarded = new ArrayList<>();
        for (FactoryImage duplicate : found.subList(1, found.size())) {
            try {
                image.discard(row, duplicate);
                discarded.add(duplicate.id());
            } catch (RuntimeException e) {
                discarded.add(duplicate.id() + " (delete failed: " + e.getMessage() + ")");
            }
        }
        // What else that start made is recorded first: the build's other targets read the row.
        image.adopted(request, row, kept);
        progress.attach(row.id(), row.attempt(), kept);
        String note = "Image Factory had accepted the start though its answer was lost: adopted " + image.noun() + " "
                + kept.id() + (discarded.isEmpty() ? "" : "; asked factory to delete the duplicates " + discarded);
        log.warn("job {}: {}", row.id(), note);
        JobRow adopted = store.change(row.id(), ChangeSource.WORKER, r -> {
            if (!r.status().isTerminal()) {
                r.describeActivity(note);
            }
        });
        mirror.log(note);
        return adopted;
    }

    /** Which of several images one start created to keep: the completed one, else the one furthest along. */
    private static int adoptionPreference(FactoryImage image) {
        return switch (image.status()) {
            case COMPLETE -> 0;
            case BUILDING -> 1;
            case PENDING -> 2;
            case NEW -> 3;
            default -> 4;
        };
    }

    /**
     * After a failed call: fails the row if trying again cannot help or the budget is spent, else
     * says on the row what happened, waits, and returns the row as it is then.
     */
    private JobRow waitOrFail(UUID jobId, RemoteServiceException e, Instant failingSince, int failures,
                              DashboardMirror mirror) throws InterruptedException {
        String service = e instanceof IwhdException ? "iwhd" : "Image Factory";
        Duration failing = Duration.between(failingSince, store.now());
        if (!e.isTransient() || failing.compareTo(backoff.budget()) >= 0) {
            String error = e.isTransient()
                    ? service + " still failing after " + failing.toMinutes() + " min (" + failures + " tries): " + e.getMessage()
                    : service + " refused the request: " + e.getMessage();
            JobRow failed = store.change(jobId, ChangeSource.WORKER, r -> r.markFailed(store.now(), error));
            mirror.show(failed);
            throw new FactoryBuildFailedException(error);
        }
        Duration wait = backoff.delay(failures);
        log.warn("job {}: {} failed ({}); try {} in {} ms", jobId, service, e.getMessage(), failures + 1, wait.toMillis());
        JobRow waiting = store.change(jobId, ChangeSource.WORKER, r -> {
            if (!r.status().isTerminal()) {
                r.describeActivity(service + " unreachable or failing (" + e.getMessage() + "); trying again in "
                        + Math.max(1, wait.toSeconds()) + " s");
            }
        });
        mirror.show(waiting);
        if (waiting.status().isTerminal()) {
            return waiting;
        }
        TimeUnit.MILLISECONDS.sleep(wait.toMillis()); // interrupted by a cancel or a stopping worker
        return store.findJob(jobId).orElseThrow();
    }

    /**
     * A cancelled row's image is deleted; so is any image its start created without the row hearing
     * of it (the answer lost, the worker stopped): found by the start marker.
     */
    private static void cancelledIfSo(JobRow row, Image image, DashboardMirror mirror) {
        if (row.status() != JobStatus.CANCELLED) {
            return;
        }
        // JobRunr interrupts a deleted job's thread, and OkHttp refuses calls on an interrupted
        // thread: the clean-up runs with the flag cleared, which is set again afterwards.
        boolean interrupted = Thread.interrupted();
        try {
            if (row.factoryImageId() == null && row.startMarker() != null) {
                for (FactoryImage orphan : image.marked(row.startMarker())) {
                    image.discard(row, orphan);
                    mirror.log("Cancelled: asked Image Factory to delete " + image.noun() + " " + orphan.id()
                            + ", which the start had created though its answer was lost");
                }
            }
            image.cancelled(row, mirror);
        } catch (RemoteServiceException e) {
            log.warn("job {} was cancelled, but its factory image could not be deleted: {}", row.id(), e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
