package io.buildq.worker;

import io.buildq.factory.FactoryImage;
import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobRow;
import io.buildq.job.JobStatus;
import io.buildq.job.JobStore;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import java.util.UUID;
import org.jobrunr.jobs.context.JobContext;
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
        /** POSTs the image to factory and stores factory's id on the row before anything else. */
        JobRow start(BuildRequestRow request, JobRow row, DashboardMirror mirror);

        FactoryImage get(String factoryImageId);

        /** Factory reported an outcome: register it, or fail the row. */
        void finish(BuildRequestRow request, JobRow row, DashboardMirror mirror);

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

    FactoryJobFlow(JobStore store, ProgressSignals signals, ProgressWriter progress, ImageFollower follower) {
        this.store = store;
        this.signals = signals;
        this.progress = progress;
        this.follower = follower;
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

    /** Runs the job on its row: marks it RUNNING, then starts or reattaches, follows and finishes. */
    void run(JobRow row, JobContext context, Image image) throws InterruptedException {
        UUID jobId = row.id();
        if (row.status() == JobStatus.FAILED) {
            // Only a Requeue in JobRunr's dashboard runs a job whose row failed: that is a retry.
            store.change(jobId, ProgressWriter.SOURCE_WORKER, r -> r.requeueForRetry("Requeued in JobRunr's dashboard"));
        }
        row = store.change(jobId, ProgressWriter.SOURCE_WORKER, r -> r.markRunning(store.now()));
        BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
        DashboardMirror mirror = new DashboardMirror(context);
        signals.register(jobId);
        try {
            if (row.factoryImageId() == null) {
                row = image.start(request, row, mirror);
                mirror.log("Image Factory accepted it as " + image.noun() + " " + row.factoryImageId());
            } else {
                mirror.log("Reattaching to Image Factory " + image.noun() + " " + row.factoryImageId());
            }
            try {
                row = follower.follow(row, mirror, image::get);
            } catch (InterruptedException e) {
                // JobRunr interrupts a job deleted while it runs: a cancel, from buildq or its dashboard.
                cancelledIfSo(store.findJob(jobId).orElseThrow(), image, mirror);
                throw e;
            }
            if (row.status().isTerminal()) {
                mirror.log("The row is " + row.status() + "; stopping");
                cancelledIfSo(row, image, mirror);
                return;
            }
            image.finish(request, row, mirror);
        } finally {
            signals.unregister(jobId);
            progress.forget(jobId);
        }
    }

    private static void cancelledIfSo(JobRow row, Image image, DashboardMirror mirror) {
        if (row.status() == JobStatus.CANCELLED) {
            image.cancelled(row, mirror);
        }
    }
}
