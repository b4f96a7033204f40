package io.buildq.worker;

import io.buildq.baseimage.SharedBaseImages.SharedBase;
import io.buildq.baseimage.SharedBaseImages;
import io.buildq.build.Target;
import io.buildq.callback.CallbackReceiver;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryException;
import io.buildq.factory.FactoryImage;
import io.buildq.factory.FactoryOutcome;
import io.buildq.factory.MarkedImages;
import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.progress.ProgressWriter;
import io.buildq.queue.BuildJob;
import io.buildq.queue.BuildJobHandler;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.status.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs one target build through {@link FactoryJobFlow}: POST a target image to factory, and on its
 * outcome register it in iwhd and leave the row COMPLETE or FAILED, then release or fail the pushes
 * waiting on it. JobRunr may run a job more than once; every step checks the row first.
 */
public final class BuildJobRunner extends BuildJobHandler {

    /**
     * How long a target waits for the build's first target to get its base image id from factory
     * (one POST's round trip, normally) before it installs the OS itself.
     */
    static final Duration BASE_IMAGE_WAIT = Duration.ofMinutes(2);
    private static final Duration BASE_IMAGE_POLL = Duration.ofMillis(50);

    private final JobStore store;
    private final FactoryClient factory;
    private final ProgressWriter progress;
    private final CallbackReceiver callbacks;
    private final IwhdRegistrar registrar;
    private final FactoryJobFlow flow;
    private final JobEnqueuer enqueuer;
    private final SharedBaseImages bases;
    private final String factoryUrl;
    private final MarkedImages markedImages;

    BuildJobRunner(JobStore store, FactoryClient factory, ProgressWriter progress, CallbackReceiver callbacks,
                   IwhdRegistrar registrar, FactoryJobFlow flow, JobEnqueuer enqueuer, SharedBaseImages bases,
                   String factoryUrl, MarkedImages markedImages) {
        this.store = store;
        this.factory = factory;
        this.progress = progress;
        this.callbacks = callbacks;
        this.registrar = registrar;
        this.flow = flow;
        this.enqueuer = enqueuer;
        this.bases = bases;
        this.factoryUrl = factoryUrl;
        this.markedImages = markedImages;
    }

    @Override
    public void run(BuildJob job) throws Exception {
        JobRow row = flow.load(job.jobId());
        if (row != null) {
            flow.run(row, jobContext(), new TargetImage());
        }
    }

    /** The build's side of the flow, for the sweeper. */
    FactoryJobFlow.Image image() {
        return new TargetImage();
    }

    /** The build's side of the flow. */
    private final class TargetImage implements FactoryJobFlow.Image {

        @Override
        public String noun() {
            return "target image";
        }

        @Override
        public FactoryImage start(BuildRequestRow request, JobRow row, String marker, DashboardMirror mirror)
                throws InterruptedException {
            String factoryTarget = Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
            List<String> callbackUrls = List.of(callbacks.callbackUrl(CallbackReceiver.TARGET_IMAGES, row.id(), row.attempt()));
            Instant waitUntil = store.now().plus(BASE_IMAGE_WAIT);
            while (true) {
                SharedBase base = bases.find(request.id()).orElse(null);
                if (base == null) {
                    if (bases.claim(request.id(), row.id(), factoryUrl)) {
                        return startFromTemplate(request, row, factoryTarget, callbackUrls, marker, mirror, true);
                    }
                    continue; // another target claimed it a moment ago: read what it stored
                }
                if (!base.factoryUrl().equals(factoryUrl)) {
                    // A base image lives on one factory; this worker builds on another.
                    return startFromTemplate(request, row, factoryTarget, callbackUrls, marker, mirror, false);
                }
                if (base.baseImageId() != null) {
                    FactoryImage shared = baseImage(base.baseImageId());
                    if (shared != null && shared.status() == FactoryStatus.FAILED && row.attempt() == 1) {
                        // The OS install this build shares failed: so do its targets, with its error;
                        // a retry (a later attempt) installs the OS again.
                        failBuild(row, baseImageFailure(shared), mirror);
                    }
                    if (shared != null && shared.status() != FactoryStatus.FAILED) {
                        FactoryImage created = factory.createTargetImage(factoryTarget, null, base.baseImageId(),
                                callbackUrls, marker);
                        mirror.log("Building on base image " + base.baseImageId() + " (the OS installed once for this build)");
                        return created;
                    }
                    // Failed or gone: the next attempt installs the OS again, from the template.
                    if (bases.takeOver(base, row.id(), factoryUrl)) {
                        mirror.log("Base image " + base.baseImageId() + " failed or is gone; building a new one");
                        return startFromTemplate(request, row, factoryTarget, callbackUrls, marker, mirror, true);
                    }
                    continue;
                }
                if (base.ownerJobId().equals(row.id())) {
                    // This job claimed it earlier and stopped before storing factory's answer.
                    return startFromTemplate(request, row, factoryTarget, callbackUrls, marker, mirror, true);
                }
                JobRow owner = store.findJob(base.ownerJobId()).orElse(null);
                boolean ownerGaveUp = owner == null || owner.status().isTerminal() || owner.factoryImageId() != null;
                if (ownerGaveUp || !store.now().isBefore(waitUntil)) {
                    if (bases.takeOver(base, row.id(), factoryUrl)) {
                        return startFromTemplate(request, row, factoryTarget, callbackUrls, marker, mirror, true);
                    }
                    continue;
                }
                // The owner's POST is in flight: its answer names the base image, in about a round trip.
                TimeUnit.MILLISECONDS.sleep(BASE_IMAGE_POLL.toMillis());
            }
        }

        private FactoryImage startFromTemplate(BuildRequestRow request, JobRow row, String factoryTarget,
                                         List<String> callbackUrls, String marker, DashboardMirror mirror, boolean owner) {
            FactoryImage created = factory.createTargetImage(factoryTarget, request.template(), null, callbackUrls, marker);
            if (owner && created.baseImageId() != null) {
                bases.stored(request.id(), row.id(), created.baseImageId());
                mirror.log("Image Factory installs the OS as base image " + created.baseImageId()
                        + "; the build's other targets build on it");
            }
            return created;
        }

        /** The shared base image as factory has it; null when factory no longer has it. */
        private FactoryImage baseImage(String baseImageId) {
            try {
                return factory.getBaseImage(baseImageId);
            } catch (FactoryException e) {
                if (e.status() == 404) {
                    return null;
                }
                throw e;
            }
        }

        @Override
        public FactoryImage get(String factoryImageId) {
            return factory.getTargetImage(factoryImageId);
        }

        @Override
        public List<FactoryImage> marked(String marker) {
            return markedImages.targetImages(marker);
        }

        @Override
        public void discard(JobRow row, FactoryImage duplicate) {
            factory.deleteTargetImageIfPresent(duplicate.id());
        }

        /**
         * The owner of the build's shared base image adopted its target image: the base image that
         * start made carries the same marker (a template-made target hands its parameters to its base
         * image, Q8), and the build's other targets are waiting for its id.
         */
        @Override
        public void adopted(BuildRequestRow request, JobRow row, FactoryImage kept) {
            bases.find(request.id())
                    .filter(base -> base.ownerJobId().equals(row.id()) && base.baseImageId() == null)
                    .flatMap(base -> Optional.ofNullable(kept.baseImageId())
                            .or(() -> markedImages.baseImages(kept.startMarker()).stream().findFirst().map(FactoryImage::id)))
                    .ifPresent(baseImageId -> bases.stored(request.id(), row.id(), baseImageId));
        }

        @Override
        public void cancelled(JobRow row, DashboardMirror mirror) {
            if (row.factoryImageId() != null) {
                factory.deleteTargetImageIfPresent(row.factoryImageId());
                // A cancel that raced the completion may come after the registration in iwhd, and
                // after the last target made the build the image's latest_unpushed.
                registrar.unregisterTargetImage(row.factoryImageId());
                store.findRequest(row.requestId()).ifPresent(registrar::withdrawBuild);
                String cleaned = "Cancelled; asked Image Factory to delete target image " + row.factoryImageId()
                        + ", and removed it from iwhd";
                store.change(row.id(), ChangeSource.WORKER, r -> r.describeActivity(cleaned));
                mirror.log(cleaned);
            }
        }

        @Override
        public void finish(BuildRequestRow request, JobRow row, FactoryImage saved, DashboardMirror mirror) {
            FactoryStatus outcome = row.factoryStatus();
            if (FactoryOutcome.jobStatusFor(outcome) == JobStatus.COMPLETE) {
                mirror.show(store.change(row.id(), ChangeSource.WORKER,
                        r -> r.describeActivity("Registering the target image in iwhd")));
                registrar.registerTargetImage(request, row, saved);
                // The last target to end tells iwhd before its row says COMPLETE, so that a reader of
                // the row finds iwhd up to date; two ending at once leave it to the end's record.
                // Told already, the end's own telling would only read iwhd again: the siblings were
                // all ended when the rows were read, so they cannot have changed since.
                List<JobRow> jobs = store.jobsOfRequest(request.id());
                boolean told = othersEnded(jobs, row);
                if (told) {
                    registrar.finishBuild(request, jobs);
                }
                JobRow done = store.end(row.id(), ChangeSource.WORKER,
                        r -> r.markComplete(store.now(), "Target image build complete; registered in iwhd"),
                        told ? ended -> { } : ended -> registrar.finishBuild(ended, store.jobsOfRequest(ended.id())),
                        BuildJobRunner::readyToPush);
                mirror.show(done);
                if (done.status() == JobStatus.CANCELLED) {
                    // Cancelled while it was being registered: nothing of it may stay behind.
                    cancelled(done, mirror);
                    return;
                }
                enqueuePushes(request, done, mirror);
                return;
            }
            String error = row.error() != null ? row.error()
                    : "Image Factory reported " + outcome + " for target image " + row.factoryImageId();
            failBuild(row, baseImageError(request).orElse(error), mirror);
        }

        @Override
        public void lost(BuildRequestRow request, JobRow row, String error, DashboardMirror mirror) {
            try {
                factory.deleteTargetImageIfPresent(row.factoryImageId());
                mirror.log("Asked Image Factory to delete target image " + row.factoryImageId() + ", which it lost");
                // The base image may be lost with it: a retry must not build on it again.
                bases.find(request.id()).filter(base -> base.baseImageId() != null)
                        .filter(base -> !baseComplete(base.baseImageId()))
                        .ifPresent(base -> bases.takeOver(base, row.id(), factoryUrl));
            } catch (RuntimeException e) {
                mirror.log("Could not clean up after the lost image: " + e.getMessage());
            }
            failBuild(row, error, mirror);
        }

        /**
         * When a target fails because its base image failed, factory's own text only says so
         * ("The BaseImage (...) has failed its build"); the base image's error says why.
         */
        private java.util.Optional<String> baseImageError(BuildRequestRow request) {
            try {
                return bases.find(request.id()).map(SharedBase::baseImageId).map(factory::getBaseImage)
                        .filter(base -> base.status() == FactoryStatus.FAILED)
                                .map(BuildJobRunner::baseImageFailure);
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        }

        private boolean baseComplete(String baseImageId) {
            try {
                return factory.getBaseImage(baseImageId).status() == FactoryStatus.COMPLETE;
            } catch (FactoryException e) {
                return false;
            }
        }
    }

    /** Whether every other job of the row's kind in the request has ended. */
    static boolean othersEnded(List<JobRow> jobsOfRequest, JobRow row) {
        return jobsOfRequest.stream().filter(other -> other.kind() == row.kind() && !other.id().equals(row.id()))
                .allMatch(other -> other.status().isTerminal());
    }

    private static String baseImageFailure(FactoryImage base) {
        return "The base image (OS install) " + base.id() + " failed: " + (base.error() != null ? base.error() : "no error given");
    }

    private void failBuild(JobRow row, String error, DashboardMirror mirror) {
        JobRow failed = store.end(row.id(), ChangeSource.WORKER, r -> {
                    if (!r.status().isTerminal()) {
                        r.markFailed(store.now(), error);
                    }
                }, ended -> { }); // a failed target: the build never becomes latest_unpushed (Q10)
        mirror.show(failed);
        failPushes(failed);
        throw new FactoryBuildFailedException("Image Factory build failed: " + failed.error());
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
                store.end(push.id(), ChangeSource.WORKER, r -> r.failWithItsBuild(store.now()),
                        ended -> { }); // a failed push: the build never becomes latest_build (Q10)
            }
        }
    }
}
