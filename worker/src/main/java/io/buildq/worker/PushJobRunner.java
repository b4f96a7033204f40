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
import io.buildq.queue.PushJob;
import io.buildq.queue.PushJobHandler;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.secret.CredentialCipher;
import java.util.List;
import java.util.UUID;
import org.jobrunr.JobRunrException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one push: once its build is COMPLETE, open the account's credentials, POST a provider image
 * to factory (or reattach to the one an earlier run started), follow it like a build, and on COMPLETE
 * register the provider image in iwhd. The credentials are opened only for the factory call.
 */
public final class PushJobRunner extends PushJobHandler {

    private static final Logger log = LoggerFactory.getLogger(PushJobRunner.class);

    private final JobStore store;
    private final FactoryClient factory;
    private final ProgressWriter progress;
    private final ProgressSignals signals;
    private final CallbackReceiver callbacks;
    private final IwhdRegistrar registrar;
    private final ImageFollower follower;
    private final CredentialCipher cipher;

    public PushJobRunner(JobStore store, FactoryClient factory, ProgressWriter progress, ProgressSignals signals,
                         CallbackReceiver callbacks, IwhdRegistrar registrar, ImageFollower follower, CredentialCipher cipher) {
        this.store = store;
        this.factory = factory;
        this.progress = progress;
        this.signals = signals;
        this.callbacks = callbacks;
        this.registrar = registrar;
        this.follower = follower;
        this.cipher = cipher;
    }

    @Override
    public void run(PushJob job) throws Exception {
        UUID jobId = job.jobId();
        JobRow row = store.findJob(jobId).orElse(null);
        if (row == null) {
            log.warn("Job {} has no row; nothing to push", jobId);
            return;
        }
        if (row.status() == JobStatus.COMPLETE || row.status() == JobStatus.CANCELLED) {
            return;
        }
        JobRow build = store.findJob(row.parentJobId()).orElseThrow();
        if (build.status() == JobStatus.FAILED || build.status() == JobStatus.CANCELLED) {
            if (row.status() != JobStatus.FAILED) {
                store.end(jobId, ProgressWriter.SOURCE_WORKER, r -> r.failWithItsBuild(store.now()),
                        registrar::finishPushes);
            }
            throw new FactoryBuildFailedException("The push cannot run: its build is " + build.status());
        }
        if (build.status() != JobStatus.COMPLETE) {
            // Only a Requeue in JobRunr's dashboard gets here early; JobRunr retries it later.
            throw new JobRunrException("The push waits for its build, which is " + build.status());
        }
        if (row.status() == JobStatus.FAILED) {
            row = store.change(jobId, ProgressWriter.SOURCE_WORKER,
                    r -> r.requeueForRetry("Requeued in JobRunr's dashboard"));
        }
        row = store.change(jobId, ProgressWriter.SOURCE_WORKER, r -> r.markRunning(store.now()));
        BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
        DashboardMirror mirror = new DashboardMirror(jobContext());
        signals.register(jobId);
        try {
            if (row.factoryImageId() == null) {
                row = startOnFactory(row, build, mirror);
                mirror.log("Image Factory accepted the push as provider image " + row.factoryImageId());
            } else {
                mirror.log("Reattaching to Image Factory provider image " + row.factoryImageId());
            }
            try {
                row = follower.follow(row, mirror, factory::getProviderImage);
            } catch (InterruptedException e) {
                deleteFactoryImageIfCancelled(store.findJob(jobId).orElseThrow(), mirror);
                throw e;
            }
            finish(request, build, row, mirror);
        } finally {
            signals.unregister(jobId);
        }
    }

    private JobRow startOnFactory(JobRow row, JobRow build, DashboardMirror mirror) {
        if (cipher == null) {
            return fail(row, "This worker has no secret key to open the credentials (set BUILDQ_SECRET_KEY)", mirror);
        }
        String credentials = store.findCredentials(row.id())
                .map(sealed -> cipher.open(sealed.sealed(), row.id()))
                .orElse(null);
        if (credentials == null) {
            return fail(row, "The push's credentials are gone (deleted when an earlier attempt ended)", mirror);
        }
        String factoryTarget = Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
        FactoryImage created = factory.createProviderImage(build.factoryImageId(), factoryTarget, row.factoryProvider(),
                credentials, List.of(callbacks.callbackUrl(CallbackReceiver.PROVIDER_IMAGES, row.id(), row.attempt())));
        return progress.attach(row.id(), row.attempt(), created);
    }

    /** A cancelled push's provider image is deleted from the provider, with the credentials kept for that. */
    private void deleteFactoryImageIfCancelled(JobRow row, DashboardMirror mirror) {
        if (row.status() != JobStatus.CANCELLED || row.factoryImageId() == null) {
            return;
        }
        String credentials = cipher == null ? null : store.findCredentials(row.id())
                .map(sealed -> cipher.open(sealed.sealed(), row.id())).orElse(null);
        if (credentials != null) {
            String factoryTarget = Target.byId(row.target()).map(Target::factoryName).orElse(row.target());
            factory.deleteProviderImageIfPresent(row.factoryImageId(), factoryTarget, row.factoryProvider(), credentials);
            mirror.log("Cancelled: asked Image Factory to delete provider image " + row.factoryImageId());
        }
        store.forgetCredentials(row.id());
    }

    private void finish(BuildRequestRow request, JobRow build, JobRow row, DashboardMirror mirror) {
        if (row.status().isTerminal()) {
            deleteFactoryImageIfCancelled(row, mirror);
            return;
        }
        FactoryStatus outcome = FactoryStatus.parse(row.factoryStatus());
        if (FactoryOutcome.jobStatusFor(outcome) == JobStatus.COMPLETE) {
            FactoryImage image = factory.getProviderImage(row.factoryImageId());
            mirror.show(store.change(row.id(), ProgressWriter.SOURCE_WORKER, r -> {
                r.recordPushResult(image.identifierOnProvider());
                r.describeActivity("Registering the provider image in iwhd");
            }));
            registrar.registerProviderImage(build, row, image);
            mirror.show(store.end(row.id(), ProgressWriter.SOURCE_WORKER,
                    r -> r.markComplete(store.now(), "Pushed as " + image.identifierOnProvider() + "; registered in iwhd"),
                    registrar::finishPushes));
            return;
        }
        String error = row.error() != null ? row.error()
                : "Image Factory reported " + outcome + " for provider image " + row.factoryImageId();
        fail(row, error, mirror);
    }

    private JobRow fail(JobRow row, String error, DashboardMirror mirror) {
        JobRow failed = store.end(row.id(), ProgressWriter.SOURCE_WORKER, r -> r.markFailed(store.now(), error),
                registrar::finishPushes);
        mirror.show(failed);
        throw new FactoryBuildFailedException("Image Factory push failed: " + failed.error());
    }
}
