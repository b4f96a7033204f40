package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** At most N builds run against one factory, over every worker sharing the database. */
class FactorySlotsTest {

    private static final String TEMPLATE = Templates.fedora16("slots");

    @Test
    void twoWorkersWithFourThreadsEachRunAtMostTwoBuildsAtOnceOnOneFactory() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.POSTGRES, false,
                factory -> factory.stepDuration(Duration.ofMillis(150)).maxConcurrentBuilds(100))) {
            pipeline.startWorker(settings -> settings.withFactorySlots(2));
            try (BuildqWorker second = BuildqWorker.start(pipeline.db.dataSource(),
                    WorkerSettings.defaults(pipeline.factory.baseUrl(), pipeline.iwhd.baseUrl())
                            .withWorkers(4).withFactorySlots(2)
                            .withCallback(new InetSocketAddress("127.0.0.1", 0), null))) {
                List<UUID> builds = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    builds.add(pipeline.queue.build(BuildRequest.of("slots-" + i, TEMPLATE, List.of("ec2"))));
                }
                await().atMost(Duration.ofMinutes(2)).until(() -> builds.stream()
                        .allMatch(id -> pipeline.queue.status(id).targets().get(0).status().isTerminal()));

                boolean someoneWaited = false;
                for (UUID id : builds) {
                    TargetStatus target = pipeline.queue.status(id).targets().get(0);
                    assertThat(target.status()).isEqualTo(JobStatus.COMPLETE);
                    assertThat(target.attempt()).isEqualTo(1);
                    List<HistoryEntry> history = pipeline.queue.history(target.jobId());
                    someoneWaited |= history.stream().anyMatch(entry -> entry.status() == JobStatus.QUEUED
                            && entry.activity() != null && entry.activity().startsWith("Waiting for a free Image Factory slot"));
                }
                assertThat(pipeline.factory.peakTargetBuildsInFlight()).as("builds factory ran at once").isEqualTo(2);
                assertThat(pipeline.factory.createdTargetImages()).isEqualTo(8);
                assertThat(someoneWaited).as("a build said it waited for a slot").isTrue();
            }
        }
    }
}
