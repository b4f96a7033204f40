package io.buildq.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.api.QueueUnavailableException;
import io.buildq.build.BuildRequest;
import io.buildq.factory.FactoryClient;
import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.push.ProviderAccount;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.PostgresServer;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Faults against real processes: `buildq worker` JVMs on the packaged jar, PostgreSQL, and both
 * simulators over HTTP. Each scenario prints one line of figures (and appends it to
 * target/fault-suite/figures.txt). Sizes are small by default; {@code BUILDQ_FAULT_SIZE=full} runs
 * the full sizes docs/reliability.md reports.
 *
 * <p>Scenarios run three at a time ({@code buildq.faults.parallelism} in cli/pom.xml): each has its own
 * database, simulators, worker processes and log names, and most of a scenario's time is spent waiting
 * on simulated builds, outages and kills. The SIGTERM scenario, which asserts a bound in time, runs
 * alone. The full sizes run one at a time, as their figures were taken.
 */
@Execution(ExecutionMode.CONCURRENT)
class FaultSuiteIT {

    /** Shared by the scenarios that run three at a time, held alone by the one that measures a bound in time. */
    private static final String MACHINE = "fault-suite-machine";
    private static final boolean FULL = "full".equals(System.getenv("BUILDQ_FAULT_SIZE"));
    private static final Path FIGURES = Path.of("target", "fault-suite", "figures.txt");
    private static final String TEMPLATE = Templates.fedora16("faults");

    private TestDatabase db;
    private FactorySimulator factory;
    private IwhdSimulator iwhd;
    private BuildQueue queue;
    private StorageProvider jobRunr;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private String scenario;
    private int started;

    @BeforeEach
    void database(TestInfo test) {
        scenario = test.getTestMethod().orElseThrow().getName();
        db = TestDatabase.create(TestDatabase.Kind.POSTGRES);
        new BuildqMigrations(db.dataSource()).migrate();
        queue = BuildQueue.builder(db.dataSource())
                .credentialCipher(CredentialCipher.fromBase64(WorkerProcess.SECRET_KEY)).build();
        jobRunr = JobRunrStorage.open(db.dataSource(), JobRunrStorage.jsonMapper());
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        jobRunr.close();
        queue.close();
        if (factory != null) {
            factory.close();
        }
        if (iwhd != null) {
            iwhd.close();
        }
        db.close();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void killNineOfTheWorkerFollowingABuildLosesNothingAndBuildsNothingTwice() throws Exception {
        int rounds = FULL ? 20 : 1;
        simulators(Duration.ofMillis(1500)); // six steps: builds of about nine seconds
        startWorker(4);
        startWorker(4);
        List<Double> resumedSeconds = new ArrayList<>();
        List<UUID> builds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            UUID buildId = queue.build(BuildRequest.of("kill-" + round, TEMPLATE, List.of("ec2")));
            builds.add(buildId);
            UUID jobId = target(buildId).jobId();
            await().atMost(Duration.ofSeconds(60)).until(() -> target(buildId).factoryImageId() != null
                    && processingServer(jobId) != null);
            String server = processingServer(jobId);
            WorkerProcess victim = workerNamed(server);
            victim.kill();
            long killedAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                String now = processingServer(jobId);
                return (now != null && !now.equals(server)) || target(buildId).status().isTerminal();
            });
            resumedSeconds.add((System.nanoTime() - killedAt) / 1e9);
            workers.remove(victim);
            startWorker(4); // keep two workers for the next round
            await().atMost(Duration.ofMinutes(3)).until(() -> target(buildId).status().isTerminal());
        }
        long lost = builds.stream().filter(id -> target(id).status() != JobStatus.COMPLETE).count();
        builds.stream().filter(id -> target(id).status() != JobStatus.COMPLETE)
                .forEach(id -> System.out.println("FAULT SUITE lost: " + history(id)));
        int duplicates = factory.createdTargetImages() - rounds;
        Collections.sort(resumedSeconds);
        figures(String.format("kill -9 worker mid-build x%d: lost=%d duplicate_factory_builds=%d resumed_p50=%.1fs "
                        + "resumed_max=%.1fs", rounds, lost, duplicates, resumedSeconds.get(resumedSeconds.size() / 2),
                resumedSeconds.get(resumedSeconds.size() - 1)));
        assertThat(lost).isZero();
        assertThat(duplicates).isZero();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void lostAnswersOnEveryFactoryAndIwhdRouteBuildAndPushEachImageOnce() throws Exception {
        int count = FULL ? 200 : 10;
        simulators(Duration.ofMillis(100));
        startWorker(8, "--factory-slots", "100", "--retry-max-wait", "2");
        startWorker(8, "--factory-slots", "100", "--retry-max-wait", "2");
        // The service acts in full, then the answer is lost: the image exists, the attribute is written.
        factory.faults().set(FaultSettings.none().withLoseAnswerRate(0.2).withSeed(21));
        iwhd.faults().set(FaultSettings.none().withLoseAnswerRate(0.2).withSeed(22));
        List<UUID> builds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            builds.add(queue.buildAndPush(BuildRequest.of("lossy-" + i, TEMPLATE, List.of("ec2")),
                    List.of(new ProviderAccount("ec2-lossy-" + i, "ec2", "{\"name\": \"ec2-lossy\"}",
                            "<provider_credentials><ec2_credentials><access_key>AKIALOSSY" + i + "</access_key>"
                                    + "<secret_access_key>s</secret_access_key></ec2_credentials></provider_credentials>"))));
        }
        await().atMost(Duration.ofMinutes(FULL ? 30 : 6)).until(() -> builds.stream()
                .allMatch(id -> queue.status(id).isFinished()));
        factory.faults().set(FaultSettings.none());
        iwhd.faults().set(FaultSettings.none());
        long completed = builds.stream().map(queue::status).filter(status -> status.targets().get(0).status()
                == JobStatus.COMPLETE && status.pushes().get(0).status() == JobStatus.COMPLETE).count();
        builds.stream().filter(id -> !(target(id).status() == JobStatus.COMPLETE))
                .forEach(id -> System.out.println("FAULT SUITE not complete: " + history(id)));
        FactoryClient client = new FactoryClient(new OkHttpClient(), new ObjectMapper(), factory.baseUrl());
        int targetImages = client.listTargetImages().size();
        int providerImages = client.listProviderImages().size();
        figures(String.format("lost answers 20%% on every factory and iwhd route, %d build-and-push: completed=%d "
                        + "factory_target_images=%d provider_images=%d duplicates=%d", count, completed, targetImages,
                providerImages, targetImages + providerImages - 2 * count));
        assertThat(completed).isEqualTo(count);
        assertThat(targetImages).isEqualTo(count);
        assertThat(providerImages).isEqualTo(count);
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void killNineAfterFactoryAcceptedTheStartBeforeTheIdWasStoredBuildsNothingTwice() throws Exception {
        int rounds = FULL ? 10 : 1;
        simulators(Duration.ofMillis(200));
        startWorker(4);
        List<UUID> builds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // Factory creates the image, then holds its 202: the worker waits for an answer that never comes.
            factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", true);
            int createdBefore = factory.createdTargetImages();
            UUID buildId = queue.build(BuildRequest.of("accepted-" + round, TEMPLATE, List.of("ec2")));
            builds.add(buildId);
            UUID jobId = target(buildId).jobId();
            await().atMost(Duration.ofSeconds(60)).until(() -> factory.createdTargetImages() == createdBefore + 1
                    && processingServer(jobId) != null);
            assertThat(target(buildId).factoryImageId()).as("the id was not stored yet").isNull();
            WorkerProcess victim = workerNamed(processingServer(jobId));
            victim.kill();
            workers.remove(victim);
            startWorker(4);
            await().atMost(Duration.ofMinutes(3)).until(() -> target(buildId).status().isTerminal());
        }
        long completed = builds.stream().filter(id -> target(id).status() == JobStatus.COMPLETE).count();
        int duplicates = factory.createdTargetImages() - rounds;
        FactoryClient client = new FactoryClient(new OkHttpClient(), new ObjectMapper(), factory.baseUrl());
        long leaked = client.listTargetImages().stream()
                .filter(id -> builds.stream().noneMatch(build -> id.equals(target(build).factoryImageId()))).count();
        figures(String.format("kill -9 after factory accepted the POST, before the id was stored, x%d: completed=%d "
                + "duplicates=%d leaked=%d", rounds, completed, duplicates, leaked));
        assertThat(completed).isEqualTo(rounds);
        assertThat(duplicates).isZero();
        assertThat(leaked).isZero();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void cancelsRacingTheWorkLeaveNothingInFactoryOrIwhd() throws Exception {
        int rounds = FULL ? 10 : 1;
        simulators(Duration.ofMillis(1500)); // six steps: builds of about nine seconds
        // A short call timeout: a held start gives up soon, and the sweeper waits 4 times that.
        String[] timeout = {"--http-timeout", "2"};
        startWorker(4, timeout);
        List<UUID> builds = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            // 1. Cancel while the start request is in flight: factory made the image and holds its 202.
            factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", true);
            int createdBefore = factory.createdTargetImages();
            UUID starting = queue.build(BuildRequest.of("cancel-starting-" + round, TEMPLATE, List.of("ec2")));
            builds.add(starting);
            await().atMost(Duration.ofSeconds(60)).until(() -> factory.createdTargetImages() == createdBefore + 1);
            queue.cancel(target(starting).jobId());

            // 2. Delete in JobRunr's dashboard of a RUNNING job.
            UUID deleted = queue.build(BuildRequest.of("cancel-deleted-" + round, TEMPLATE, List.of("ec2")));
            builds.add(deleted);
            UUID deletedJob = target(deleted).jobId();
            await().atMost(Duration.ofSeconds(60)).until(() -> target(deleted).factoryImageId() != null
                    && processingServer(deletedJob) != null);
            deleteInJobRunr(deletedJob);

            // 3. Cancel of a job whose worker is dead (kill -9); the next worker starts afterwards.
            UUID orphaned = queue.build(BuildRequest.of("cancel-orphaned-" + round, TEMPLATE, List.of("ec2")));
            builds.add(orphaned);
            UUID orphanedJob = target(orphaned).jobId();
            await().atMost(Duration.ofSeconds(60)).until(() -> target(orphaned).factoryImageId() != null
                    && processingServer(orphanedJob) != null);
            await().atMost(Duration.ofSeconds(60)).until(() -> target(deleted).status().isTerminal());
            WorkerProcess victim = workerNamed(processingServer(orphanedJob));
            victim.kill();
            workers.remove(victim);
            queue.cancel(orphanedJob);
            startWorker(4, timeout);

            // 4. Cancel racing the completion: the worker is registering the image in iwhd.
            iwhd.faults().set(FaultSettings.none().withLatency(Duration.ofMillis(300)));
            UUID racing = queue.build(BuildRequest.of("cancel-racing-" + round, TEMPLATE, List.of("ec2")));
            builds.add(racing);
            await().atMost(Duration.ofSeconds(60)).until(() -> target(racing).activity() != null
                    && target(racing).activity().startsWith("Registering the target image"));
            queue.cancel(target(racing).jobId());
            await().atMost(Duration.ofSeconds(60)).until(() -> target(racing).status().isTerminal());
            iwhd.faults().set(FaultSettings.none());
        }
        FactoryClient client = new FactoryClient(new OkHttpClient(), new ObjectMapper(), factory.baseUrl());
        // The sweeper comes last: once its records are gone, what factory and iwhd hold is final.
        await().atMost(Duration.ofMinutes(3)).until(() -> db.count("select count(*) from buildq_factory_sweep") == 0
                && iwhd.requestsInFlight() == 0);
        long cancelled = builds.stream().filter(id -> target(id).status() == JobStatus.CANCELLED).count();
        int leakedImages = client.listTargetImages().size(); // every row of this scenario was cancelled
        long iwhdObjects = 0;
        for (UUID build : builds) {
            List<String> imageIds = queue.history(target(build).jobId()).stream().map(entry -> entry.factoryImageId())
                    .filter(java.util.Objects::nonNull).distinct().toList();
            iwhdObjects += imageIds.stream().filter(id -> iwhd.attributes("target_images", id).isPresent()).count();
            UUID imageId = queue.status(build).imageId();
            iwhdObjects += iwhd.attributes("images", imageId.toString())
                    .filter(attributes -> build.toString().equals(attributes.get("latest_unpushed"))).isPresent() ? 1 : 0;
        }
        figures(String.format("cancel races x4 kinds x%d: cancelled=%d leaked_factory_images=%d "
                + "iwhd_objects_of_cancelled_rows=%d", rounds, cancelled, leakedImages, iwhdObjects));
        assertThat(cancelled).isEqualTo(builds.size());
        assertThat(leakedImages).isZero();
        assertThat(iwhdObjects).isZero();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void aFlakyFactoryCompletesEveryBuildOnce() throws Exception {
        int count = FULL ? 200 : 12;
        simulators(Duration.ofMillis(100));
        // Waits between tries capped at 5 s (not 60): the scenario is about what the faults do, and a
        // build that drew several in a row would otherwise spend minutes just waiting.
        String[] settings = {"--http-timeout", "2", "--factory-slots", "100", "--retry-max-wait", "5"};
        startWorker(8, settings);
        startWorker(8, settings);
        factory.faults().set(FaultSettings.none().withErrorRate(0.2).withHangRate(0.1).withSeed(7));
        List<UUID> builds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            builds.add(queue.build(BuildRequest.of("flaky-" + i, TEMPLATE, List.of("ec2"))));
        }
        await().atMost(Duration.ofMinutes(FULL ? 20 : 5)).until(() -> builds.stream()
                .allMatch(id -> target(id).status().isTerminal()));
        long completed = builds.stream().filter(id -> target(id).status() == JobStatus.COMPLETE).count();
        int duplicates = factory.createdTargetImages() - count;
        figures(String.format("factory 20%% 5xx + 10%% timeouts, %d builds: completed=%d duplicates=%d", count,
                completed, duplicates));
        assertThat(completed).isEqualTo(count);
        assertThat(duplicates).isZero();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void iwhdDownDuringCompletionsLosesNoObject() throws Exception {
        int count = FULL ? 50 : 6;
        Duration outage = Duration.ofSeconds(FULL ? 60 : 10);
        simulators(Duration.ofMillis(100));
        // A thread per build: every build reaches its end at factory while iwhd is away.
        startWorker(Math.max(8, count), "--factory-slots", "100");
        iwhd.faults().set(FaultSettings.none().withDropRate(1.0)); // every connection closed unanswered
        long downAt = System.nanoTime();
        List<UUID> builds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            builds.add(queue.build(BuildRequest.of("iwhd-" + i, TEMPLATE, List.of("ec2"))));
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> builds.stream()
                .allMatch(id -> "COMPLETE".equals(target(id).factoryStatus())));
        long rest = outage.toNanos() - (System.nanoTime() - downAt);
        if (rest > 0) {
            TimeUnit.NANOSECONDS.sleep(rest); // the outage lasts as long as the scenario says
        }
        long endedDuringOutage = builds.stream().filter(id -> target(id).status().isTerminal()).count();
        iwhd.faults().set(FaultSettings.none());
        await().atMost(Duration.ofMinutes(3)).until(() -> builds.stream().allMatch(id -> target(id).status().isTerminal()));
        long lostObjects = 0;
        for (UUID id : builds) {
            TargetStatus target = target(id);
            if (target.status() != JobStatus.COMPLETE || iwhd.attributes("target_images", target.factoryImageId()).isEmpty()
                    || iwhd.attributes("builds", id.toString()).isEmpty()) {
                lostObjects++;
            }
        }
        long waitedVisibly = builds.stream().filter(id -> queue.history(target(id).jobId()).stream()
                .anyMatch(entry -> entry.status() == JobStatus.RUNNING && entry.activity() != null
                        && entry.activity().startsWith("iwhd unreachable"))).count();
        figures(String.format("iwhd down %ds during %d completions: ended_while_down=%d said_so_on_the_row=%d "
                + "lost_objects=%d duplicates=%d", outage.toSeconds(), count, endedDuringOutage, waitedVisibly, lostObjects,
                factory.createdTargetImages() - count));
        assertThat(endedDuringOutage).isZero();
        assertThat(waitedVisibly).isEqualTo(count);
        assertThat(lostObjects).isZero();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void aDatabaseOutageStopsNoWorkerForGood() throws Exception {
        simulators(Duration.ofMillis(100));
        startWorker(4, "--poll-interval", "5");
        startWorker(4, "--poll-interval", "5");
        await().atMost(Duration.ofSeconds(60)).until(() -> heartbeatingServers(0) == 2);
        String name = db.url().replaceAll(".*/([^/?]+).*", "$1");
        Duration outage = Duration.ofSeconds(FULL ? 60 : 40);
        Throwable refused;

        // Conductor's queue, opened before the outage, with a pool that gives up on a connection after 2 s.
        try (HikariDataSource impatient = pool(db.url(), Duration.ofSeconds(2));
             BuildQueue conductor = BuildQueue.create(impatient)) {
            // The outage: every connection to the queue's database is cut and new ones are refused,
            // for longer than a worker's pool waits for one (30 s), so that JobRunr's heartbeats fail.
            PostgresServer.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
            PostgresServer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + name + "'");
            long outageStart = System.nanoTime();
            refused = catchThrowable(() -> conductor.build(BuildRequest.of("during", TEMPLATE, List.of("ec2"))));
            long rest = outage.toNanos() - (System.nanoTime() - outageStart);
            if (rest > 0) {
                TimeUnit.NANOSECONDS.sleep(rest); // the outage lasts as long as the scenario says
            }
        }
        PostgresServer.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
        long restoredAt = System.currentTimeMillis();
        long restoredNanos = System.nanoTime();
        await().atMost(Duration.ofMinutes(2)).until(() -> heartbeatingServers(restoredAt) == 2);
        double recoveredIn = (System.nanoTime() - restoredNanos) / 1e9;
        long stopped = workers.stream().filter(w -> w.logged("JobRunr's server has stopped")).count();
        long restarted = workers.stream().filter(w -> w.logged("JobRunr's server runs again")).count();

        UUID after = queue.build(BuildRequest.of("after", TEMPLATE, List.of("ec2")));
        await().atMost(Duration.ofMinutes(1)).until(() -> target(after).status().isTerminal());
        figures(String.format("database outage %ds: enqueue_during=%s workers_recovered=%d/2 in %.1fs "
                        + "servers_stopped_by_jobrunr=%d restarted_by_worker=%d build_after=%s", outage.toSeconds(),
                refused == null ? "accepted" : refused.getClass().getSimpleName(),
                heartbeatingServers(restoredAt), recoveredIn, stopped, restarted, target(after).status()));
        assertThat(refused).isInstanceOf(QueueUnavailableException.class);
        assertThat(restarted).isEqualTo(stopped);
        assertThat(target(after).status()).isEqualTo(JobStatus.COMPLETE);
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void twoWorkersSplitTheWorkAndRunEachBuildOnce() throws Exception {
        int count = FULL ? 500 : 40;
        simulators(Duration.ofMillis(50));
        startWorker(8, "--factory-slots", "100");
        startWorker(8, "--factory-slots", "100");
        List<UUID> builds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            builds.add(queue.build(BuildRequest.of("scale-" + i, TEMPLATE, List.of("ec2"))));
        }
        await().atMost(Duration.ofMinutes(FULL ? 20 : 5)).until(() -> builds.stream()
                .allMatch(id -> target(id).status().isTerminal()));
        Map<String, Integer> perServer = new HashMap<>();
        int ranTwice = 0;
        for (UUID id : builds) {
            Job job = jobRunr.getJobById(target(id).jobId());
            List<ProcessingState> runs = job.getJobStates().stream()
                    .filter(ProcessingState.class::isInstance).map(ProcessingState.class::cast).toList();
            if (runs.size() != 1) {
                ranTwice++;
            }
            runs.forEach(run -> perServer.merge(run.getServerName(), 1, Integer::sum));
        }
        long completed = builds.stream().filter(id -> target(id).status() == JobStatus.COMPLETE).count();
        figures(String.format("2 workers, %d builds: completed=%d ran_twice=%d factory_builds=%d split=%s", count,
                completed, ranTwice, factory.createdTargetImages(), perServer.values().stream().sorted().toList()));
        assertThat(completed).isEqualTo(count);
        assertThat(ranTwice).isZero();
        assertThat(factory.createdTargetImages()).isEqualTo(count);
        assertThat(perServer).hasSize(2);
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ_WRITE) // the one bound in time: alone
    void sigtermStopsAWorkerWithinItsBoundAndAnotherFinishesItsBuild() throws Exception {
        int rounds = FULL ? 5 : 1;
        simulators(Duration.ofMillis(1500));
        startWorker(4);
        startWorker(4);
        List<Long> exitMillis = new ArrayList<>();
        int finished = 0;
        for (int round = 0; round < rounds; round++) {
            UUID buildId = queue.build(BuildRequest.of("sigterm-" + round, TEMPLATE, List.of("ec2")));
            UUID jobId = target(buildId).jobId();
            await().atMost(Duration.ofSeconds(60)).until(() -> target(buildId).factoryImageId() != null
                    && processingServer(jobId) != null);
            WorkerProcess stopping = workerNamed(processingServer(jobId));
            long took = stopping.terminate(30);
            exitMillis.add(took);
            workers.remove(stopping);
            startWorker(4);
            await().atMost(Duration.ofMinutes(3)).until(() -> target(buildId).status().isTerminal());
            if (target(buildId).status() == JobStatus.COMPLETE) {
                finished++;
            } else {
                System.out.println("FAULT SUITE not finished: " + history(buildId));
            }
        }
        int duplicates = factory.createdTargetImages() - rounds;
        long slowest = Collections.max(exitMillis);
        figures(String.format("SIGTERM worker mid-build x%d: exited_within=%.1fs (bound 15s) finished_elsewhere=%d/%d "
                + "duplicates=%d", rounds, slowest / 1000.0, finished, rounds, duplicates));
        assertThat(exitMillis).allSatisfy(millis -> assertThat(millis).isBetween(0L, 15_000L));
        assertThat(finished).isEqualTo(rounds);
        assertThat(duplicates).isZero();
    }

    @Test
    @ResourceLock(value = MACHINE, mode = ResourceAccessMode.READ)
    void twoWorkersKeepToTheFactorysLimitTogether() throws Exception {
        int count = FULL ? 30 : 8;
        simulators(Duration.ofMillis(150));
        startWorker(4, "--factory-slots", "2");
        startWorker(4, "--factory-slots", "2");
        List<UUID> builds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            builds.add(queue.build(BuildRequest.of("slots-" + i, TEMPLATE, List.of("ec2"))));
        }
        await().atMost(Duration.ofMinutes(FULL ? 20 : 5)).until(() -> builds.stream()
                .allMatch(id -> target(id).status().isTerminal()));
        long completed = builds.stream().filter(id -> target(id).status() == JobStatus.COMPLETE).count();
        figures(String.format("factory limit 2, 2 workers x 4 threads, %d builds: completed=%d most_at_once=%d "
                + "factory_builds=%d", count, completed, factory.peakTargetBuildsInFlight(), factory.createdTargetImages()));
        assertThat(completed).isEqualTo(count);
        assertThat(factory.peakTargetBuildsInFlight()).isEqualTo(2);
        assertThat(factory.createdTargetImages()).isEqualTo(count);
    }

    private void simulators(Duration step) {
        factory = FactorySimulator.builder().stepDuration(step).maxConcurrentBuilds(1000).start();
        iwhd = IwhdSimulator.builder().start();
    }

    private void startWorker(int threads, String... extra) {
        // A pool no larger than the worker's threads need, so that three scenarios' workers fit in
        // PostgreSQL's 100 connections (the default of 16 each would not).
        List<String> arguments = new ArrayList<>(List.of("--db-pool-size", String.valueOf(Math.min(threads + 4, 16))));
        arguments.addAll(List.of(extra));
        WorkerProcess worker = WorkerProcess.start(scenario + "-worker-" + (++started), db.url(), factory.baseUrl(),
                iwhd.baseUrl(), threads, arguments.toArray(String[]::new));
        workers.add(worker);
        await().atMost(Duration.ofSeconds(60)).until(() -> worker.logged("buildq worker started") || !worker.isAlive());
        assertThat(worker.isAlive()).as("worker " + started + " started").isTrue();
    }

    private WorkerProcess workerNamed(String serverName) {
        long pid = Long.parseLong(serverName.substring(serverName.lastIndexOf('/') + 1));
        return workers.stream().filter(w -> w.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("no worker with pid " + pid));
    }

    /** The name (host/pid) of the server processing the job, or null if it is not processing. */
    private String processingServer(UUID jobId) {
        Job job = jobRunr.getJobById(jobId);
        return job.getState() == StateName.PROCESSING ? ((ProcessingState) job.getJobState()).getServerName() : null;
    }

    /** A build's history, for the report when it did not end as it should. */
    private String history(UUID buildId) {
        StringBuilder out = new StringBuilder();
        for (var entry : queue.history(target(buildId).jobId())) {
            out.append(System.lineSeparator()).append("  ").append(entry.recordedAt()).append(' ').append(entry.source())
                    .append(' ').append(entry.status()).append(' ').append(entry.factoryStatus()).append(' ')
                    .append(entry.activity()).append(' ').append(entry.error() == null ? "" : entry.error());
        }
        Job job = jobRunr.getJobById(target(buildId).jobId());
        out.append(System.lineSeparator()).append("  JobRunr: ");
        job.getJobStates().forEach(state -> out.append(state.getName()).append(' '));
        return out.toString();
    }

    private TargetStatus target(UUID buildId) {
        return queue.status(buildId).targets().get(0);
    }

    private long heartbeatingServers(long sinceEpochMillis) {
        return db.count("select count(*) from jobrunr_backgroundjobservers where lastHeartbeat > to_timestamp("
                + sinceEpochMillis / 1000.0 + ") and lastHeartbeat > now() - interval '15 seconds'");
    }

    private static HikariDataSource pool(String url, Duration timeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(timeout.toMillis());
        config.setInitializationFailTimeout(-1);
        return new HikariDataSource(config);
    }


    private static void figures(String line) throws IOException {
        System.out.println("FAULT SUITE " + line);
        Files.createDirectories(FIGURES.getParent());
        Files.writeString(FIGURES, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Delete as JobRunr's dashboard does it: read, change, save. Its worker saves a running job too
     * (heartbeats, progress), and JobRunr refuses a save over a newer version; the operator's click
     * then fails and is made again on a fresh copy, as worker's test Pipeline.saveInJobRunr does.
     */
    private void deleteInJobRunr(UUID jobId) {
        for (int attempt = 1; ; attempt++) {
            Job job = jobRunr.getJobById(jobId);
            job.delete("Deleted from the dashboard");
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
}
