package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.push.PushRequest;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Workers start enqueued builds without waiting for JobRunr's poll. The poll is set to a minute
 * here and the bound to 20 s, so three builds one after another complete within their bounds only
 * if something other than the poll started them.
 */
class FastPickupTest {

    private static final Duration SLOW_POLL = Duration.ofSeconds(60);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String TEMPLATE = Templates.fedora16("pickup");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void buildsEnqueuedWhileTheWorkerIdlesStartWithoutWaitingForThePoll(TestDatabase.Kind kind) {
        try (Pipeline pipeline = new Pipeline(kind, false)) {
            BuildqWorker worker = pipeline.startWorker(settings -> settings.withQueuePollInterval(SLOW_POLL));

            // On PostgreSQL the enqueuer stands for another process: its own pool and no wiring to the
            // worker, which hears of the job from the database. On H2 only a queue in the worker's
            // process can wake it (the pipeline's queue is wired like the demo's).
            try (HikariDataSource otherPool = kind == TestDatabase.Kind.POSTGRES ? pool(pipeline.db) : null;
                 BuildQueue otherQueue = otherPool != null ? BuildQueue.create(otherPool) : null) {
                BuildQueue enqueuer = otherQueue != null ? otherQueue : pipeline.queue;
                for (int round = 0; round < 3; round++) {
                    UUID buildId = enqueuer.build(BuildRequest.of("pickup-" + round, TEMPLATE, List.of("ec2")));
                    await().atMost(BOUND).until(() -> enqueuer.status(buildId).targets().get(0).status().isTerminal());
                    assertThat(enqueuer.status(buildId).targets().get(0).status()).isEqualTo(JobStatus.COMPLETE);
                }
            }
            assertThat(worker.claimCounts().claims()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aBurstOnTwoWorkersRunsEachBuildOnceAndNeverMoreThanTwoAtATime(TestDatabase.Kind kind) {
        try (Pipeline pipeline = new Pipeline(kind, false)) {
            BuildqWorker worker = pipeline.startWorker(settings -> settings.withWorkers(2).withQueuePollInterval(SLOW_POLL));

            List<UUID> builds = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                builds.add(pipeline.queue.build(BuildRequest.of("burst-" + i, TEMPLATE, List.of("ec2"))));
            }
            await().atMost(Duration.ofSeconds(120)).until(() -> builds.stream()
                    .allMatch(id -> pipeline.queue.status(id).targets().get(0).status().isTerminal()));

            for (UUID id : builds) {
                BuildStatus status = pipeline.queue.status(id);
                TargetStatus target = status.targets().get(0);
                assertThat(target.status()).as(status.image()).isEqualTo(JobStatus.COMPLETE);
                assertThat(target.attempt()).as(status.image()).isEqualTo(1);
            }
            assertThat(pipeline.factory.createdTargetImages()).as("factory builds started").isEqualTo(12);
            assertThat(pipeline.factory.peakTargetBuildsInFlight()).as("builds factory ran at once").isLessThanOrEqualTo(2);
            assertThat(worker.claimCounts().claims()).isEqualTo(12);
        }
    }

    @Test
    void aBuildRefusedForWantOfAFactorySlotDoesNotHoldUpThePickupOfTheNextJob() {
        // Two-second steps: a build holds factory's one slot for about twelve seconds.
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false, Duration.ofSeconds(2))) {
            pipeline.startWorker(settings -> settings.withFactorySlots(1).withQueuePollInterval(SLOW_POLL));
            UUID pushable = pipeline.queue.build(BuildRequest.of("slot-pushable", TEMPLATE, List.of("ec2")));
            await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.queue.status(pushable).target("ec2").status(),
                    JobStatus.COMPLETE::equals);
            UUID holding = pipeline.queue.build(BuildRequest.of("slot-holder", TEMPLATE, List.of("ec2")));
            await().atMost(BOUND).until(() -> pipeline.queue.status(holding).target("ec2").factoryImageId() != null);
            UUID refused = pipeline.queue.build(BuildRequest.of("slot-refused", TEMPLATE, List.of("ec2")));
            await().atMost(BOUND).until(() -> pipeline.queue.status(refused).target("ec2").activity(),
                    activity -> activity != null && activity.startsWith("Waiting for a free Image Factory slot"));

            // A push needs no slot: it starts at once, not at the next poll a minute away.
            pipeline.queue.push(new PushRequest(pushable, List.of(PushPipelineContract.ec2("us-east-1", "AKIASLOT", "s"))));

            await().atMost(BOUND).until(() -> pipeline.queue.status(pushable).push("ec2-us-east-1").factoryImageId() != null);
            assertThat(pipeline.queue.status(holding).target("ec2").status()).as("the slot's holder still builds")
                    .isEqualTo(JobStatus.RUNNING);
            assertThat(pipeline.queue.status(refused).target("ec2").status()).isEqualTo(JobStatus.QUEUED);
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
