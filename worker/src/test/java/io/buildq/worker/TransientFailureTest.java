package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.retry.Backoff;
import io.buildq.sim.http.FaultSettings;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.Test;

/**
 * Factory or iwhd failing for a while: the build waits with its row RUNNING and saying why, then
 * completes on the same factory image; failing for longer than the retry budget, it fails visibly.
 */
class TransientFailureTest {

    private static final String TEMPLATE = Templates.fedora16("flaky");
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMinutes(5));

    @Test
    void iwhdDownWhenABuildCompletesLeavesItRunningUntilIwhdIsBackThenItCompletes() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withBackoff(FAST));
            pipeline.iwhd.faults().set(FaultSettings.none().withErrorRate(1.0));
            UUID buildId = pipeline.queue.build(BuildRequest.of("flaky", TEMPLATE, List.of("ec2")));

            await().atMost(Duration.ofSeconds(30)).until(() -> activity(pipeline, buildId).startsWith("iwhd unreachable"));
            TargetStatus waiting = target(pipeline, buildId);
            assertThat(waiting.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(waiting.factoryStatus()).isEqualTo("COMPLETE");
            assertThat(waiting.activity()).contains("trying again in");

            pipeline.iwhd.faults().set(FaultSettings.none());
            await().atMost(Duration.ofSeconds(30)).until(() -> target(pipeline, buildId).status().isTerminal());
            TargetStatus done = target(pipeline, buildId);
            assertThat(done.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(done.attempt()).isEqualTo(1);
            assertThat(pipeline.factory.createdTargetImages()).as("factory builds").isEqualTo(1);
            assertThat(pipeline.iwhd.attributes("target_images", done.factoryImageId())).isPresent();
            assertThat(pipeline.iwhd.attributes("builds", buildId.toString())).isPresent();
        }
    }

    @Test
    void factoryFailingMidBuildIsWaitedOutAndTheSameImageIsFollowedToTheEnd() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false, Duration.ofMillis(300))) {
            pipeline.startWorker(settings -> settings.withBackoff(FAST));
            UUID buildId = pipeline.queue.build(BuildRequest.of("flaky", TEMPLATE, List.of("ec2")));
            await().atMost(Duration.ofSeconds(30)).until(() -> target(pipeline, buildId).factoryImageId() != null);

            // Every call to factory now gets a 500; factory goes on building and calling back.
            pipeline.factory.faults().set(FaultSettings.none().withErrorRate(1.0));
            await().atMost(Duration.ofSeconds(30)).until(() -> activity(pipeline, buildId).startsWith("Image Factory unreachable"));
            assertThat(target(pipeline, buildId).status()).isEqualTo(JobStatus.RUNNING);

            pipeline.factory.faults().set(FaultSettings.none());
            await().atMost(Duration.ofSeconds(30)).until(() -> target(pipeline, buildId).status().isTerminal());
            assertThat(target(pipeline, buildId).status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(pipeline.factory.createdTargetImages()).as("factory builds").isEqualTo(1);
            List<HistoryEntry> history = pipeline.queue.history(target(pipeline, buildId).jobId());
            assertThat(history).anySatisfy(entry -> assertThat(entry.activity()).startsWith("Image Factory unreachable"));
        }
    }

    @Test
    void factoryFailingLongerThanTheBudgetFailsTheRowWithoutAutomaticRetries() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withBackoff(
                    new Backoff(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1))));
            pipeline.factory.faults().set(FaultSettings.none().withErrorRate(1.0));
            UUID buildId = pipeline.queue.build(BuildRequest.of("flaky", TEMPLATE, List.of("ec2")));

            await().atMost(Duration.ofSeconds(30)).until(() -> target(pipeline, buildId).status().isTerminal());
            TargetStatus failed = target(pipeline, buildId);
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error()).startsWith("Image Factory still failing after 0 min (").contains("tries)");
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.jobRunrState(failed.jobId()) == StateName.FAILED);
            assertThat(pipeline.factory.createdTargetImages()).isZero();
        }
    }

    private static TargetStatus target(Pipeline pipeline, UUID buildId) {
        return pipeline.queue.status(buildId).targets().get(0);
    }

    private static String activity(Pipeline pipeline, UUID buildId) {
        String activity = target(pipeline, buildId).activity();
        return activity == null ? "" : activity;
    }
}
