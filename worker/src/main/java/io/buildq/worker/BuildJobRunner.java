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
import io.buildq.progress.ProgressWriter;
import io.buildq.queue.BuildJob;
import io.buildq.queue.BuildJobHandler;
import io.buildq.queue.JobEnqueuer;
import io.buildq.registration.IwhdRegistrar;
import java.util.List;

/**
 * Runs one target build through {@link FactoryJobFlow}: POST a target image to factory, and on its
 * outcome register it in iwhd and leave the row COMPLETE or FAILED, then release or fail the pushes
 * waiting on it. JobRunr may run a job more than once; every step checks the row first.
 */
public final class BuildJobRunner extends BuildJobHandler {

    private final JobStore store;
    private final FactoryClient factory;
    private final ProgressWriter progress;
    private final CallbackReceiver callbacks;
    private final IwhdRegistrar registrar;
    private final FactoryJobFlow flow;
    private final JobEnqueuer enqueuer;

    BuildJobRunner(JobStore store, FactoryClient factory, ProgressWriter progress, CallbackReceiver callbacks,
                   IwhdRegistrar registrar, FactoryJobFlow flow, JobEnqueuer enqueuer) {
        this.store = store;
        this.factory = factory;
        this.progress = progress;
        this.callbacks = callbacks;
        this.registrar = registrar;
        this.flow = flow;
        this.enqueuer = enqueuer;
    }

    @Override
    public void run(BuildJob job) throws Exception {
        JobRow row = flow.load(job.jobId());
        if (row != null) {
            flow.run(row, jobContext(), new TargetImage());
        }
    }

    /** The build's side of the flow. */
    private final class TargetImage implements FactoryJobFlow.Image {

        @Override
        public String noun() {
            return "target image";
        }

        @Override
        public JobRow start(BuildRequestRow request, JobRow row, DashboardMirror mirror) {
            String factoryTarget = Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
            FactoryImage created = factory.createTargetImage(factoryTarget, request.template(),
                    List.of(callbacks.callbackUrl(CallbackReceiver.TARGET_IMAGES, row.id(), row.attempt())));
            return progress.attach(row.id(), row.attempt(), created);
        }

        @Override
        public FactoryImage get(String factoryImageId) {
            return factory.getTargetImage(factoryImageId);
        }

        @Override
        public void cancelled(JobRow row, DashboardMirror mirror) {
            if (row.factoryImageId() != null) {
                factory.deleteTargetImageIfPresent(row.factoryImageId());
                mirror.log("Cancelled: asked Image Factory to delete target image " + row.factoryImageId());
            }
        }

        @Override
        public void finish(BuildRequestRow request, JobRow row, DashboardMirror mirror) {
            FactoryStatus outcome = FactoryStatus.parse(row.factoryStatus());
            if (FactoryOutcome.jobStatusFor(outcome) == JobStatus.COMPLETE) {
                mirror.show(store.change(row.id(), ProgressWriter.SOURCE_WORKER,
                        r -> r.describeActivity("Registering the target image in iwhd")));
                registrar.registerTargetImage(request, row, factory.getTargetImage(row.factoryImageId()));
                JobRow done = store.end(row.id(), ProgressWriter.SOURCE_WORKER,
                        r -> r.markComplete(store.now(), "Target image build complete; registered in iwhd"),
                        registrar::finishBuild, BuildJobRunner::readyToPush);
                mirror.show(done);
                enqueuePushes(request, done, mirror);
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
    }

    /**
     * Run in the build's completing transaction: its waiting pushes, and those that failed with an
     * earlier attempt, become due.
     */
    private static void readyToPush(JobRow push) {
        if (push.status() == JobStatus.QUEUED) {
            push.describeActivity("Waiting for a worker");
        } else if (push.failedWithItsBuild()) {
            push.requeueForRetry("Its build was retried and completed");
        }
    }

    /** After the commit: the due pushes get their JobRunr jobs (the reconciler does it if we die first). */
    private void enqueuePushes(BuildRequestRow request, JobRow build, DashboardMirror mirror) {
        for (JobRow push : store.pushesOf(build.id())) {
            if (push.status() == JobStatus.QUEUED) {
                enqueuer.enqueueAgain(request, push);
                mirror.log("Released the push to " + push.providerName());
            }
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
