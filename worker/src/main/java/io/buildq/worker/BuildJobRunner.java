package io.buildq.worker;

import io.buildq.build.Target;
import io.buildq.callback.CallbackReceiver;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryImage;
import io.buildq.factory.FactoryOutcome;
import io.buildq.factory.FactoryStatus;
import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobRow;
import io.buildq.job.JobStatus;
import io.buildq.job.JobStore;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import io.buildq.queue.BuildJob;
import io.buildq.queue.BuildJobHandler;
import io.buildq.queue.JobEnqueuer;
import io.buildq.registration.IwhdRegistrar;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one target build: start it on factory (or reattach to the image an earlier run started),
 * follow it to its outcome, register the result in iwhd, leave the row COMPLETE or FAILED, and
 * release or fail the pushes waiting on it. JobRunr may run a job more than once; every step checks
 * the row first.
 */
public final class BuildJobRunner extends BuildJobHandler {

    private static final Logger log = LoggerFactory.getLogger(BuildJobRunner.class);

    private final JobStore store;
    private final FactoryClient factory;
    private final ProgressWriter progress;
    private final ProgressSignals signals;
    private final CallbackReceiver callbacks;
    private final IwhdRegistrar registrar;
    private final ImageFollower follower;
    private final JobEnqueuer enqueuer;

    public BuildJobRunner(JobStore store, FactoryClient factory, ProgressWriter progress, ProgressSignals signals,
                          CallbackReceiver callbacks, IwhdRegistrar registrar, ImageFollower follower, JobEnqueuer enqueuer) {
        this.store = store;
        this.factory = factory;
        this.progress = progress;
        this.signals = signals;
        this.callbacks = callbacks;
        this.registrar = registrar;
        this.follower = follower;
        this.enqueuer = enqueuer;
    }

    @Override
    public void run(BuildJob job) throws Exception {
        UUID jobId = job.jobId();
        JobRow row = store.findJob(jobId).orElse(null);
        if (row == null) {
            log.warn("Job {} has no row; nothing to build", jobId);
            return;
        }
        if (row.status() == JobStatus.COMPLETE || row.status() == JobStatus.CANCELLED) {
            log.info("Job {} is already {}; nothing to do", jobId, row.status());
            return;
        }
        if (row.status() == JobStatus.FAILED) {
            // Only a Requeue in JobRunr's dashboard runs a job whose row failed: that is a retry.
            row = store.change(jobId, ProgressWriter.SOURCE_WORKER,
                    r -> r.requeueForRetry("Requeued in JobRunr's dashboard"));
        }
        row = store.change(jobId, ProgressWriter.SOURCE_WORKER, r -> r.markRunning(store.now()));
        BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
        DashboardMirror mirror = new DashboardMirror(jobContext());
        signals.register(jobId);
        try {
            if (row.factoryImageId() == null) {
                String factoryTarget = Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
                FactoryImage created = factory.createTargetImage(factoryTarget, request.template(),
                        List.of(callbacks.callbackUrl(CallbackReceiver.TARGET_IMAGES, row.id(), row.attempt())));
                // Stored before anything else: from now on any worker reattaches instead of building again.
                row = progress.attach(row.id(), row.attempt(), created);
                mirror.log("Image Factory accepted the build as target image " + row.factoryImageId());
            } else {
                mirror.log("Reattaching to Image Factory target image " + row.factoryImageId());
            }
            try {
                row = follower.follow(row, mirror, factory::getTargetImage);
            } catch (InterruptedException e) {
                // JobRunr interrupts a job deleted while it runs: a cancel, from buildq or its dashboard.
                deleteFactoryImageIfCancelled(store.findJob(jobId).orElseThrow(), mirror);
                throw e;
            }
            finish(request, row, mirror);
        } finally {
            signals.unregister(jobId);
        }
    }

    private void deleteFactoryImageIfCancelled(JobRow row, DashboardMirror mirror) {
        if (row.status() == JobStatus.CANCELLED && row.factoryImageId() != null) {
            factory.deleteTargetImageIfPresent(row.factoryImageId());
            mirror.log("Cancelled: asked Image Factory to delete target image " + row.factoryImageId());
        }
    }

    private void finish(BuildRequestRow request, JobRow row, DashboardMirror mirror) {
        if (row.status().isTerminal()) {
            mirror.log("The row is " + row.status() + "; stopping");
            deleteFactoryImageIfCancelled(row, mirror);
            return;
        }
        FactoryStatus outcome = FactoryStatus.parse(row.factoryStatus());
        if (FactoryOutcome.jobStatusFor(outcome) == JobStatus.COMPLETE) {
            mirror.show(store.change(row.id(), ProgressWriter.SOURCE_WORKER,
                    r -> r.describeActivity("Registering the target image in iwhd")));
            FactoryImage image = factory.getTargetImage(row.factoryImageId());
            registrar.registerTargetImage(request, row, image);
            JobRow done = store.end(row.id(), ProgressWriter.SOURCE_WORKER,
                    r -> r.markComplete(store.now(), "Target image build complete; registered in iwhd"),
                    registrar::finishBuild);
            mirror.show(done);
            releasePushes(request, done, mirror);
            return;
        }
        String error = row.error() != null ? row.error()
                : "Image Factory reported " + outcome + " for target image " + row.factoryImageId();
        JobRow failed = store.end(row.id(), ProgressWriter.SOURCE_WORKER, r -> r.markFailed(store.now(), error),
                registrar::finishBuild);
        mirror.show(failed);
        failPushes(failed);
        throw new FactoryBuildFailedException("Image Factory build failed: " + failed.error());
    }

    /** The build is COMPLETE: its waiting pushes (and those that failed with an earlier attempt) run now. */
    private void releasePushes(BuildRequestRow request, JobRow build, DashboardMirror mirror) {
        for (JobRow push : store.pushesOf(build.id())) {
            if (push.status() == JobStatus.QUEUED) {
                JobRow ready = store.change(push.id(), ProgressWriter.SOURCE_WORKER,
                        r -> r.describeActivity("Waiting for a worker"));
                enqueuer.enqueue(request, ready);
            } else if (push.failedWithItsBuild()) {
                JobRow again = store.change(push.id(), ProgressWriter.SOURCE_WORKER,
                        r -> r.requeueForRetry("Its build was retried and completed"));
                enqueuer.enqueueAgain(request, again);
            } else {
                continue;
            }
            mirror.log("Released the push to " + push.providerName());
        }
    }

    /** Pushes never wait forever on a failed build: they fail with it, and run if it is retried. */
    private void failPushes(JobRow build) {
        for (JobRow push : store.pushesOf(build.id())) {
            if (push.status() == JobStatus.QUEUED) {
                store.end(push.id(), ProgressWriter.SOURCE_WORKER, r -> r.failWithItsBuild(store.now()),
                        registrar::finishPushes);
            }
        }
    }
}
