package io.buildq.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.api.BuildQueue;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryException;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;

/**
 * Everything a build needs, started for real: a fresh database, both simulators over HTTP, a worker
 * and a BuildQueue. Tests go through the same API Conductor uses.
 */
final class Pipeline implements AutoCloseable {

    final TestDatabase db;
    final FactorySimulator factory;
    final IwhdSimulator iwhd;
    final BuildQueue queue;
    final StorageProvider jobRunr;
    final CredentialCipher cipher = CredentialCipher.fromBase64(
            java.util.Base64.getEncoder().encodeToString(new java.security.SecureRandom().generateSeed(32)));
    private volatile BuildqWorker worker;

    private JobStore store;

    Pipeline(TestDatabase.Kind kind, boolean startWorker) {
        this(kind, startWorker, Duration.ofMillis(60));
    }

    /** @param step how long each of a simulated build's six steps takes */
    Pipeline(TestDatabase.Kind kind, boolean startWorker, Duration step) {
        this(kind, startWorker, factory -> factory.stepDuration(step));
    }

    /** @param factorySettings sets up the factory simulator */
    Pipeline(TestDatabase.Kind kind, boolean startWorker, UnaryOperator<FactorySimulator.Builder> factorySettings) {
        this(kind, startWorker, factorySettings, iwhdSettings -> iwhdSettings);
    }

    /** @param iwhdSettings sets up the iwhd simulator */
    Pipeline(TestDatabase.Kind kind, boolean startWorker, UnaryOperator<FactorySimulator.Builder> factorySettings,
             UnaryOperator<IwhdSimulator.Builder> iwhdSettings) {
        db = TestDatabase.create(kind);
        new BuildqMigrations(db.dataSource()).migrate();
        factory = factorySettings.apply(FactorySimulator.builder().stepDuration(Duration.ofMillis(60))).start();
        iwhd = iwhdSettings.apply(IwhdSimulator.builder().strictQueries(true)).start();
        // As in the demo: the worker in this process hears of enqueues at once (needed on H2).
        queue = BuildQueue.builder(db.dataSource()).credentialCipher(cipher).iwhd(iwhd.baseUrl())
                .onEnqueued(jobId -> {
                    BuildqWorker running = worker;
                    if (running != null) {
                        running.pickupSignal().enqueued(jobId);
                    }
                })
                .build();
        jobRunr = JobRunrStorage.open(db.dataSource(), JobRunrStorage.jsonMapper());
        if (startWorker) {
            startWorker();
        }
    }

    void startWorker() {
        startWorker(settings -> settings);
    }

    /** Starts the worker with the tests' settings, adjusted. */
    BuildqWorker startWorker(UnaryOperator<WorkerSettings> adjust) {
        return startWorker(adjust, io.buildq.telemetry.WorkerMeters.off());
    }

    /** Starts the worker with the tests' settings, adjusted, recording into {@code meters}. */
    BuildqWorker startWorker(UnaryOperator<WorkerSettings> adjust, io.buildq.telemetry.WorkerMeters meters) {
        worker = BuildqWorker.start(db.dataSource(), adjust.apply(WorkerSettings.defaults(factory.baseUrl(), iwhd.baseUrl())
                .withWorkers(4)
                .withFactorySlots(100) // FactorySlotsTest tests the limit; elsewhere it would only slow tests
                .withCallback(new InetSocketAddress("127.0.0.1", 0), null)
                // Long enough that the statuses only callbacks carry must come through callbacks.
                .withFactoryPollInterval(Duration.ofSeconds(2))
                .withReconcileInterval(Duration.ofSeconds(1))), cipher, meters);
        return worker;
    }

    /** The running worker, or null. */
    BuildqWorker worker() {
        return worker;
    }

    void stopWorker() {
        worker.close();
        worker = null;
    }

    /** A reconciler of its own, to run by hand as a worker's timer would. */
    JobReconciler reconciler() {
        if (store == null) {
            store = JobStore.open(db.dataSource(), java.time.Clock.systemUTC());
        }
        return new JobReconciler(store, new JobEnqueuer(jobRunr), Duration.ZERO,
                new IwhdRegistrar(new IwhdClient(new OkHttpClient(), iwhd.baseUrl())), io.buildq.telemetry.WorkerMeters.off());
    }

    /** What JobRunr's dashboard does on Delete: the job becomes DELETED, no filter runs. */
    void deleteInJobRunr(UUID jobId) {
        saveInJobRunr(jobId, job -> job.delete("Deleted from the dashboard"));
    }

    /** What JobRunr's dashboard does on Requeue: the job goes back to ENQUEUED, no filter runs. */
    void requeueInJobRunr(UUID jobId) {
        saveInJobRunr(jobId, org.jobrunr.jobs.Job::enqueue);
    }

    /**
     * Reads, changes and saves a job as JobRunr's dashboard does. A running job is saved by its worker
     * too (progress, heartbeats), and JobRunr refuses a save over a newer version: the operator's click
     * then fails and is made again, as here, on a fresh copy (a few times at most).
     */
    private void saveInJobRunr(UUID jobId, java.util.function.Consumer<org.jobrunr.jobs.Job> change) {
        for (int attempt = 1; ; attempt++) {
            org.jobrunr.jobs.Job job = jobRunr.getJobById(jobId);
            change.accept(job);
            try {
                jobRunr.save(job);
                return;
            } catch (org.jobrunr.storage.ConcurrentJobModificationException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Whether factory still has the image's record, asked by GET as any client would. */
    boolean factoryHolds(String imageId) {
        try {
            new FactoryClient(new OkHttpClient(), new ObjectMapper(), factory.baseUrl()).getTargetImage(imageId);
            return true;
        } catch (FactoryException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    StateName jobRunrState(UUID jobId) {
        return jobRunr.getJobById(jobId).getState();
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
        }
        if (store != null) {
            store.close();
        }
        jobRunr.close();
        queue.close();
        factory.close();
        iwhd.close();
        db.close();
    }
}
