package io.buildq.worker;

import io.buildq.build.Target;
import io.buildq.callback.CallbackReceiver;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryImage;
import io.buildq.factory.FactoryOutcome;
import io.buildq.factory.MarkedImages;
import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.progress.ProgressWriter;
import io.buildq.queue.PushJob;
import io.buildq.queue.PushJobHandler;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.secret.CredentialCipher;
import io.buildq.status.JobStatus;
import java.util.List;
import org.jobrunr.JobRunrException;

/**
 * Runs one push through {@link FactoryJobFlow} once its build is COMPLETE: open the account's
 * credentials, POST a provider image to factory, and on COMPLETE register the provider image in
 * iwhd. The credentials are opened only for the factory call.
 */
public final class PushJobRunner extends PushJobHandler {

    private final JobStore store;
    private final FactoryClient factory;
    private final ProgressWriter progress;
    private final CallbackReceiver callbacks;
    private final IwhdRegistrar registrar;
    private final FactoryJobFlow flow;
    private final CredentialCipher cipher;
    private final MarkedImages markedImages;

    PushJobRunner(JobStore store, FactoryClient factory, ProgressWriter progress, CallbackReceiver callbacks,
                  IwhdRegistrar registrar, FactoryJobFlow flow, CredentialCipher cipher, MarkedImages markedImages) {
        this.store = store;
        this.factory = factory;
        this.progress = progress;
        this.callbacks = callbacks;
        this.registrar = registrar;
        this.flow = flow;
        this.cipher = cipher;
        this.markedImages = markedImages;
    }

    @Override
    public void run(PushJob job) throws Exception {
        JobRow row = flow.load(job.jobId());
        if (row == null) {
            return;
        }
        JobRow build = store.findJob(row.parentJobId()).orElseThrow();
        if (build.status() == JobStatus.FAILED || build.status() == JobStatus.CANCELLED) {
            if (row.status() != JobStatus.FAILED) {
                store.end(row.id(), ChangeSource.WORKER, r -> r.failWithItsBuild(store.now()),
                        ended -> { }); // a failed push: the build never becomes latest_build (Q10)
            }
            throw new FactoryBuildFailedException("The push cannot run: its build is " + build.status());
        }
        if (build.status() != JobStatus.COMPLETE) {
            // Only a Requeue in JobRunr's dashboard gets here early; JobRunr retries it later.
            throw new JobRunrException("The push waits for its build, which is " + build.status());
        }
        flow.run(row, jobContext(), new ProviderImage(build));
    }

    /** The push's side of the flow. */
    private final class ProviderImage implements FactoryJobFlow.Image {

        private final JobRow build;

        ProviderImage(JobRow build) {
            this.build = build;
        }

        @Override
        public String noun() {
            return "provider image";
        }

        @Override
        public FactoryImage start(BuildRequestRow request, JobRow row, String marker, DashboardMirror mirror) {
            if (cipher == null) {
                throw fail(row, "This worker has no secret key to open the credentials (set BUILDQ_SECRET_KEY)", mirror);
            }
            String credentials = credentials(row);
            if (credentials == null) {
                throw fail(row, "The push's credentials are gone (they are deleted when a push completes or is "
                        + "cancelled); push to the account again", mirror);
            }
            FactoryImage created = factory.createProviderImage(build.factoryImageId(), factoryTarget(row),
                    row.factoryProvider(), credentials,
                    List.of(callbacks.callbackUrl(CallbackReceiver.PROVIDER_IMAGES, row.id(), row.attempt())), marker);
            return created;
        }

        @Override
        public FactoryImage get(String factoryImageId) {
            return factory.getProviderImage(factoryImageId);
        }

        @Override
        public List<FactoryImage> marked(String marker) {
            return markedImages.providerImages(marker);
        }

        /** A second provider image of the same push is a second image in the cloud: deleted from the provider. */
        @Override
        public void discard(JobRow row, FactoryImage duplicate) {
            String credentials = cipher == null ? null : credentials(row);
            if (credentials == null) {
                throw new IllegalStateException("no credentials to delete provider image " + duplicate.id() + " with");
            }
            factory.deleteProviderImageIfPresent(duplicate.id(), factoryTarget(row), row.factoryProvider(), credentials);
        }

        @Override
        public void lost(BuildRequestRow request, JobRow row, String error, DashboardMirror mirror) {
            try {
                String credentials = cipher == null ? null : credentials(row);
                if (credentials != null) {
                    factory.deleteProviderImageIfPresent(row.factoryImageId(), factoryTarget(row), row.factoryProvider(),
                            credentials);
                    mirror.log("Asked Image Factory to delete provider image " + row.factoryImageId() + ", which it lost");
                }
            } catch (RuntimeException e) {
                mirror.log("Could not clean up after the lost image: " + e.getMessage());
            }
            throw fail(row, error, mirror);
        }

        /** A cancelled push's provider image is deleted from the provider, with the credentials kept for that. */
        @Override
        public void cancelled(JobRow row, DashboardMirror mirror) {
            String credentials = cipher == null ? null : credentials(row);
            if (row.factoryImageId() != null && credentials != null) {
                factory.deleteProviderImageIfPresent(row.factoryImageId(), factoryTarget(row), row.factoryProvider(),
                        credentials);
                mirror.log("Cancelled: asked Image Factory to delete provider image " + row.factoryImageId());
            }
            if (row.factoryImageId() != null) {
                // A cancel that raced the completion may come after the registration in iwhd, and
                // after the last push made the build the image's latest_build.
                registrar.unregisterProviderImage(row.factoryImageId());
                store.findRequest(row.requestId()).ifPresent(registrar::withdrawPushes);
            }
            // The credentials stay until the sweeper has looked for the marker once more (FactorySweeper).
        }

        @Override
        public void finish(BuildRequestRow request, JobRow row, FactoryImage saved, DashboardMirror mirror) {
            FactoryStatus outcome = row.factoryStatus();
            if (FactoryOutcome.jobStatusFor(outcome) == JobStatus.COMPLETE) {
                FactoryImage image = saved;
                mirror.show(store.change(row.id(), ChangeSource.WORKER, r -> {
                    r.recordPushResult(image.identifierOnProvider());
                    r.describeActivity("Registering the provider image in iwhd");
                }));
                registrar.registerProviderImage(build, row, image);
                List<JobRow> jobs = store.jobsOfRequest(request.id());
                boolean told = BuildJobRunner.othersEnded(jobs, row);
                if (told) {
                    registrar.finishPushes(request, jobs); // before COMPLETE shows, as for builds
                }
                JobRow done = store.end(row.id(), ChangeSource.WORKER,
                        r -> r.markComplete(store.now(), "Pushed as " + image.identifierOnProvider() + "; registered in iwhd"),
                        told ? ended -> { } : ended -> registrar.finishPushes(ended, store.jobsOfRequest(ended.id())));
                mirror.show(done);
                if (done.status() == JobStatus.CANCELLED) {
                    // Cancelled while it was being registered: nothing of it may stay behind.
                    cancelled(done, mirror);
                }
                return;
            }
            String error = row.error() != null ? row.error()
                    : "Image Factory reported " + outcome + " for provider image " + row.factoryImageId();
            throw fail(row, error, mirror);
        }
    }

    /** The side of the flow of a push of {@code build}, for the sweeper. */
    FactoryJobFlow.Image image(JobRow build) {
        return new ProviderImage(build);
    }

    private String credentials(JobRow row) {
        return store.findCredentials(row.id()).map(sealed -> cipher.open(sealed.sealed(), row.id())).orElse(null);
    }

    private static String factoryTarget(JobRow row) {
        return Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
    }

    /** Fails the row; returns the exception for the caller to throw, so that the JobRunr job fails too. */
    private FactoryBuildFailedException fail(JobRow row, String error, DashboardMirror mirror) {
        JobRow failed = store.end(row.id(), ChangeSource.WORKER, r -> {
                    if (!r.status().isTerminal()) {
                        r.markFailed(store.now(), error);
                    }
                }, ended -> { }); // a failed push: the build never becomes latest_build (Q10)
        mirror.show(failed);
        return new FactoryBuildFailedException("Image Factory push failed: " + failed.error());
    }
}
