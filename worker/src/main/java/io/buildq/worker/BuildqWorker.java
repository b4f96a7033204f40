package io.buildq.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.baseimage.SharedBaseImages;
import io.buildq.callback.CallbackReceiver;
import io.buildq.callback.CallbackTokens;
import io.buildq.health.HealthEndpoints;
import io.buildq.health.Reachability;
import io.buildq.internal.estimate.ProgressEstimator;
import io.buildq.internal.health.HealthCheck;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.MarkedImages;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.oauth.OAuth1Signer;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.migrations.InstallationSecrets;
import io.buildq.pickup.ClaimGuard;
import io.buildq.pickup.EnqueueNotifications;
import io.buildq.pickup.PickupTrigger;
import io.buildq.progress.ProgressSignals;
import io.buildq.progress.ProgressWriter;
import io.buildq.queue.BuildJobHandler;
import io.buildq.queue.EnqueueListener;
import io.buildq.queue.PushJobHandler;
import io.buildq.queue.RetentionJob;
import io.buildq.queue.RetentionJobHandler;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.retention.RetentionRunner;
import io.buildq.retention.RowRetention;
import io.buildq.secret.CredentialCipher;
import io.buildq.slots.FactorySlots;
import io.buildq.sweep.FactorySweeps;
import io.buildq.telemetry.PickupLatency;
import io.buildq.telemetry.WorkerMeters;
import io.buildq.tls.FactoryTrust;
import io.buildq.metrics.HttpCallMeter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.scheduling.RecurringJobBuilder;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.server.configuration.DefaultBackgroundJobServerWorkerPolicy;
import org.jobrunr.server.metrics.BackgroundJobServerMetricsBinder;
import io.buildq.pickup.OnDemandJobThreads;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process's parts, wired: JobRunr's BackgroundJobServer running {@link BuildJobRunner}s,
 * fast pickup ({@link PickupTrigger}), the factory callback listener, and the reconciler. Any number
 * of workers can share one database.
 */
public final class BuildqWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildqWorker.class);
    /**
     * A job's percentage is written at most this often: what a user watching it can tell apart,
     * and what keeps a chatty factory from costing the shared database a write per report.
     */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a build that found its factory full waits before it asks for a slot again, if no
     * ending build offered it one first.
     */
    static final Duration SLOT_RECHECK = Duration.ofSeconds(30);
    /** How long the durations progress estimates are made from are reused before they are read again. */
    static final Duration ESTIMATE_CACHE = Duration.ofMinutes(1);
    /** How long a stopping worker lets its jobs end by themselves before it interrupts them. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /**
     * How long factory may take to save an outcome its callback already reported (it sends the
     * callback first, real-install-notes.md Q5): a file write, normally milliseconds.
     */
    static final Duration SAVE_WAIT = Duration.ofSeconds(30);

    /** How long JobRunr keeps a DELETED job (a cancel, a refused claim) before it drops it: its default. */
    static final Duration JOBRUNR_KEEPS_DELETED = Duration.ofHours(72);

    private final JobStore store;
    private final StorageProvider storageProvider;
    private final OkHttpClient http;
    private final CallbackReceiver callbacks;
    private final ProgressWriter progress;
    private final BackgroundJobServer server;
    private final ScheduledExecutorService reconcilerTimer;
    private final PickupTrigger pickup;
    private final ClaimGuard claims;
    private final EnqueueNotifications notifications;
    private final ServerWatchdog watchdog;
    private final HealthCheck health;
    private final List<AutoCloseable> jobRunrMetrics;
    /** How long a health probe's check of the database may take before it counts as failed. */
    static final Duration HEALTH_BOUND = Duration.ofSeconds(2);

    private BuildqWorker(JobStore store, StorageProvider storageProvider, OkHttpClient http, CallbackReceiver callbacks,
                         ProgressWriter progress, BackgroundJobServer server, ScheduledExecutorService reconcilerTimer, PickupTrigger pickup,
                         ClaimGuard claims, EnqueueNotifications notifications, ServerWatchdog watchdog,
                         HealthCheck health, List<AutoCloseable> jobRunrMetrics) {
        this.health = health;
        this.jobRunrMetrics = jobRunrMetrics;
        this.store = store;
        this.storageProvider = storageProvider;
        this.http = http;
        this.callbacks = callbacks;
        this.progress = progress;
        this.server = server;
        this.reconcilerTimer = reconcilerTimer;
        this.pickup = pickup;
        this.claims = claims;
        this.notifications = notifications;
        this.watchdog = watchdog;
    }

    /** Starts a worker that can build but not push (it has no key to open credentials with). */
    public static BuildqWorker start(DataSource dataSource, WorkerSettings settings) {
        return start(dataSource, settings, null);
    }

    /**
     * Starts a worker on a migrated database; the DataSource stays the caller's to close.
     *
     * @param cipher opens the credentials pushes were enqueued with (the enqueuer's key); null to build only
     */
    public static BuildqWorker start(DataSource dataSource, WorkerSettings settings, CredentialCipher cipher) {
        return start(dataSource, settings, cipher, WorkerMeters.off());
    }

    /**
     * Starts a worker that records its meters, and JobRunr's, into {@code meters}' registry; serve
     * that registry with {@code io.buildq.metrics.MetricsServer} (what {@code buildq worker
     * --metrics-port} does).
     */
    public static BuildqWorker start(DataSource dataSource, WorkerSettings settings, CredentialCipher cipher,
                                     WorkerMeters meters) {
        new BuildqMigrations(dataSource).verify();
        JobStore store = JobStore.open(dataSource, Clock.systemUTC());
        JsonMapper jsonMapper = JobRunrStorage.jsonMapper();
        StorageProvider storageProvider = JobRunrStorage.open(dataSource, jsonMapper);
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(settings.httpTimeout())
                .callTimeout(settings.httpTimeout().multipliedBy(2))
                .build();
        OkHttpClient factoryHttp = metered(factoryHttp(http, settings), meters, "factory");
        FactoryClient factory = new FactoryClient(factoryHttp, new ObjectMapper(), settings.factoryUrl());
        MarkedImages markedImages = new MarkedImages(factory);
        OkHttpClient iwhdHttp = metered(settings.iwhdOAuthKey() == null ? http : http.newBuilder()
                .addInterceptor(OAuth1Signer.forIwhd(settings.iwhdOAuthKey(), settings.iwhdOAuthSecret(), Clock.systemUTC()))
                .build(), meters, "iwhd");
        IwhdRegistrar registrar = new IwhdRegistrar(new IwhdClient(iwhdHttp, settings.iwhdUrl()), settings.targetNames());
        ProgressSignals signals = new ProgressSignals();
        ProgressWriter progress = new ProgressWriter(store, signals, PROGRESS_INTERVAL, meters);
        CallbackReceiver callbacks = new CallbackReceiver(settings.callbackBind(), settings.callbackUrl(),
                settings.callbackTls(), new CallbackTokens(new InstallationSecrets(dataSource).callbackSigningKey()), progress, factory, meters);
        ImageFollower follower = new ImageFollower(store, progress, signals, settings.factoryPollInterval(),
                settings.buildDeadline(), SAVE_WAIT);
        PickupTrigger pickup = new PickupTrigger();
        JobEnqueuer enqueuer = new JobEnqueuer(storageProvider, jobId -> pickup.signal());
        FactorySlots slots = new FactorySlots(store, enqueuer, settings.factoryUrl(), settings.factorySlots(), SLOT_RECHECK);
        meters.factorySlots(settings.factoryUrl(), settings.factorySlots());
        FactorySweeps sweeps = new FactorySweeps(dataSource, Clock.systemUTC());
        FactoryJobFlow flow = new FactoryJobFlow(store, signals, progress, follower, settings.backoff(), slots, enqueuer,
                sweeps, meters, new ProgressEstimator(store, Clock.systemUTC(), ESTIMATE_CACHE));
        BuildJobRunner builds = new BuildJobRunner(store, factory, progress, callbacks, registrar, flow, enqueuer,
                new SharedBaseImages(dataSource, Clock.systemUTC()), settings.factoryUrl(), markedImages);
        PushJobRunner pushes = new PushJobRunner(store, factory, progress, callbacks, registrar, flow, cipher, markedImages);
        RetentionRunner retention = new RetentionRunner(new RowRetention(dataSource), storageProvider, Clock.systemUTC());
        JobActivator activator = new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                // JobRunr names the thin handlers of enqueue-api; the worker runs their subclasses.
                if (type == BuildJobHandler.class) {
                    return type.cast(builds);
                }
                if (type == RetentionJobHandler.class) {
                    return type.cast(retention);
                }
                return type == PushJobHandler.class ? type.cast(pushes) : null;
            }
        };
        BackgroundJobServer server = new BackgroundJobServer(storageProvider, jsonMapper, activator,
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        // host/pid: tells operators (and the fault suite) which process runs a job.
                        .andName(serverName())
                        // Up to twice as many threads as workers: a job claimed before a worker was
                        // free (JobRunr counts a worker busy only once its job starts) starts at once
                        // instead of waiting unheartbeaten in the pool's queue until it is orphaned.
                        // Made as jobs arrive, so a worker holds a thread per job running, not 2N.
                        .andBackgroundJobServerWorkerPolicy(new DefaultBackgroundJobServerWorkerPolicy(settings.workers(),
                                workers -> new OnDemandJobThreads(workers, 2 * workers, "backgroundjob-worker")))
                        .andPollInterval(settings.queuePollInterval())
                        // Stopping interrupts the jobs soon: they only follow builds that run on
                        // factory, and the next worker reattaches to them.
                        .andInterruptJobsAwaitDurationOnStopBackgroundJobServer(STOP_GRACE)
                        // JobRunr's own clean-up, set to agree with buildq's retention: its jobs are
                        // the dashboard's recent view, buildq's rows the history; neither outlives
                        // the rows (RetentionRunner deletes the FAILED jobs JobRunr would keep).
                        .andDeleteSucceededJobsAfter(jobRunrKeepsSucceeded(settings))
                        .andPermanentlyDeleteDeletedJobsAfter(JOBRUNR_KEEPS_DELETED));
        ClaimGuard claims = new ClaimGuard(settings.workers(), () -> server.getJobSteward().getOccupiedWorkerCount());
        server.setJobFilters(meters.enabled() ? List.of(slots, claims, pickup, JobLogFields.RESET, new PickupLatency(meters))
                : List.of(slots, claims, pickup, JobLogFields.RESET));
        // JobRunr's own figures for its server (workers, threads, memory) beside buildq's. Not its
        // StorageProviderMetricsBinder: that one counts JobRunr's table every 5 s in every worker,
        // scraped or not, for what buildq_jobs already says.
        List<AutoCloseable> jobRunrMetrics = !meters.enabled() ? List.of()
                : List.of(new BackgroundJobServerMetricsBinder(server, meters.registry()));
        server.start();
        scheduleRetention(storageProvider, settings);
        pickup.start(server, claims);
        EnqueueNotifications notifications = EnqueueNotifications.startIfPostgres(dataSource, pickup::signal);
        ScheduledExecutorService reconcilerTimer = Executors.newScheduledThreadPool(3, runnable -> {
            Thread thread = new Thread(runnable, "buildq-timer");
            thread.setDaemon(true);
            return thread;
        });
        JobReconciler reconciler = new JobReconciler(store, enqueuer, settings.reconcileInterval(), registrar, meters);
        long period = settings.reconcileInterval().toMillis();
        reconcilerTimer.scheduleWithFixedDelay(reconciler, period, period, TimeUnit.MILLISECONDS);
        // Swept once any call of a row's start is surely over: the client's whole call timeout, twice.
        FactorySweeper sweeper = new FactorySweeper(store, sweeps, builds, pushes, settings.httpTimeout().multipliedBy(4));
        reconcilerTimer.scheduleWithFixedDelay(sweeper, period, period, TimeUnit.MILLISECONDS);
        HealthCheck health = new HealthCheck(dataSource, HEALTH_BOUND).require("jobrunr", server::isRunning)
                .report("factory", Reachability.of(factoryHttp, settings.factoryUrl(), HEALTH_BOUND))
                .report("iwhd", Reachability.of(iwhdHttp, settings.iwhdUrl(), HEALTH_BOUND));
        HealthEndpoints endpoints = new HealthEndpoints(health);
        callbacks.serve(HealthEndpoints.LIVE, endpoints.live());
        callbacks.serve(HealthEndpoints.READY, endpoints.ready());
        ServerWatchdog watchdog = new ServerWatchdog(server);
        long watch = settings.queuePollInterval().toMillis();
        reconcilerTimer.scheduleWithFixedDelay(watchdog, watch, watch, TimeUnit.MILLISECONDS);
        log.info("buildq worker started: {} workers, factory {} ({} builds at once), iwhd {}, fast pickup by {}",
                settings.workers(), settings.factoryUrl(), settings.factorySlots(), settings.iwhdUrl(),
                notifications == null ? "in-process enqueues only (not PostgreSQL)" : "PostgreSQL LISTEN");
        return new BuildqWorker(store, storageProvider, http, callbacks, progress, server, reconcilerTimer, pickup, claims,
                notifications, watchdog, health, jobRunrMetrics);
    }

    /** {@code client}, timing each call to {@code service} when meters are on. */
    private static OkHttpClient metered(OkHttpClient client, WorkerMeters meters, String service) {
        return !meters.enabled() ? client
                : client.newBuilder().addInterceptor(new HttpCallMeter(meters.registry(), service)).build();
    }

    /**
     * Sets (or, with retention off, removes) the one recurring retention job. Every worker does this
     * at its start, so the last worker started decides the age: start them with the same setting.
     */
    private static void scheduleRetention(StorageProvider storageProvider, WorkerSettings settings) {
        if (settings.retention() == null) {
            if (storageProvider.deleteRecurringJob(RetentionJob.RECURRING_ID) > 0) {
                log.info("Retention off: finished builds are kept forever");
            }
            return;
        }
        int days = (int) settings.retention().toDays();
        new JobRequestScheduler(storageProvider).createRecurrently(RecurringJobBuilder.aRecurringJob()
                .withId(RetentionJob.RECURRING_ID)
                .withName("Delete finished builds older than " + days + " days")
                .withCron(RetentionRunner.SCHEDULE)
                .withJobRequest(new RetentionJob(days)));
    }

    /** JobRunr's default (36 h), or the retention when that is shorter. */
    private static Duration jobRunrKeepsSucceeded(WorkerSettings settings) {
        Duration jobRunrDefault = Duration.ofHours(36);
        return settings.retention() != null && settings.retention().compareTo(jobRunrDefault) < 0
                ? settings.retention() : jobRunrDefault;
    }

    /**
     * The factory client's HTTP: the shared client plus, for factory alone, its TLS trust and its
     * OAuth signature. Header-only signing is what real factory accepts (real-install-notes.md Q1);
     * the trust applies to this client only, so iwhd and the database keep the JDK's.
     */
    private static OkHttpClient factoryHttp(OkHttpClient http, WorkerSettings settings) {
        // No silent second POST: OkHttp retries a request whose pooled connection failed, and a
        // POST factory already acted on would start a second build. buildq decides, and looks for
        // the first one by its start marker before it asks again.
        OkHttpClient.Builder builder = http.newBuilder().retryOnConnectionFailure(false);
        if (settings.factoryUrl().startsWith("https:")) {
            settings.factoryTrust().apply(builder);
            if (settings.factoryTrust().mode() == FactoryTrust.Mode.INSECURE) {
                log.warn("INSECURE: trusting whatever certificate Image Factory at {} presents (--factory-tls insecure). "
                        + "Anyone who can intercept this connection sees the OAuth-signed requests and the credentials "
                        + "pushes send; prefer --factory-tls-cert FILE or --factory-tls-pin SHA256", settings.factoryUrl());
            } else {
                log.info("Image Factory TLS: {}", settings.factoryTrust().describe());
            }
        }
        if (settings.factoryOAuthKey() != null) {
            builder.addInterceptor(OAuth1Signer.forImageFactory(settings.factoryOAuthKey(), settings.factoryOAuthSecret(), Clock.systemUTC()));
        }
        return builder.build();
    }

    private static String serverName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        String name = host + "/" + ProcessHandle.current().pid();
        return name.length() > 120 ? name.substring(name.length() - 120) : name;
    }

    /**
     * Wakes this worker for a job enqueued in its own process: pass it to
     * {@code BuildQueue.builder(...).onEnqueued(...)}. Needed on H2; on PostgreSQL the database
     * tells every worker, so it only saves a round trip.
     */
    public EnqueueListener pickupSignal() {
        return jobId -> pickup.signal();
    }

    /** How this worker's claims went (see {@link ClaimGuard}); for operators and the benchmark. */
    public ClaimGuard.ClaimCounts claimCounts() {
        return claims.counts();
    }

    /**
     * Whether JobRunr's server runs. It stops itself after a database failure; the worker starts it
     * again within one poll interval of the database coming back, so false for longer than that
     * means the database is still away.
     */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** JobRunr's server itself, for tests that stop it as a database failure would. */
    BackgroundJobServer jobRunrServer() {
        return server;
    }

    public int callbackPort() {
        return callbacks.port();
    }

    /**
     * Stops taking jobs and returns within about {@link #STOP_GRACE} plus a few seconds: running jobs
     * are interrupted (factory goes on building) and JobRunr retries them, on another worker, which
     * reattaches to factory's images.
     */
    @Override
    public void close() {
        watchdog.stop();
        reconcilerTimer.shutdownNow();
        if (notifications != null) {
            notifications.close();
        }
        pickup.close();
        server.stop();
        for (AutoCloseable binder : jobRunrMetrics) {
            try {
                binder.close();
            } catch (Exception e) {
                log.debug("closing JobRunr's meters: {}", e.toString());
            }
        }
        callbacks.close();
        health.close();
        progress.close();
        storageProvider.close();
        store.close();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
