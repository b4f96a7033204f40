package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.build.BuildRequest;
import io.buildq.factory.FactoryClient;
import io.buildq.retry.Backoff;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What factory may hold of a row that no running job cleans up after: the sweeper finds it by the
 * row's start marker once no start of it can still be in factory's hands, and deletes it.
 */
class FactorySweepTest {

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String TEMPLATE = BuildPipelineContract.TEMPLATE;

    @Test
    void aStartFactoryHandledOnlyAfterTheWorkerSearchedForItAndStartedAgainIsDeletedBySweeping() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(1)).withBackoff(
                    new Backoff(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(30))));
            // Factory sits on the first POST for 4 s: the worker gives up after its 2 s call timeout,
            // searches for the marker, finds nothing yet, and starts again; then factory creates the
            // first image too.
            pipeline.factory.faults().actLateOnNext("POST", "/imagefactory/target_images", Duration.ofSeconds(4));

            UUID buildId = pipeline.queue.build(BuildRequest.of("late-start", TEMPLATE.formatted("plain"), List.of("ec2")));

            TargetStatus ec2 = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId), BuildStatus::isFinished)
                    .target("ec2");
            assertThat(ec2.status()).isEqualTo(JobStatus.COMPLETE);
            await().atMost(BOUND).until(() -> pipeline.factory.createdTargetImages() == 2);
            await().atMost(BOUND).untilAsserted(() -> assertThat(factory(pipeline).listTargetImages())
                    .as("the late start's image is deleted; the one the row keeps stays")
                    .containsExactly(ec2.factoryImageId()));
            await().atMost(BOUND).untilAsserted(() -> assertThat(pipeline.queue.history(ec2.jobId()))
                    .extracting(HistoryEntry::activity)
                    .anyMatch(activity -> activity != null && activity.contains("a start made twice")));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aCancelOfARowWhoseWorkerIsGoneDeletesItsImageInFactory(TestDatabase.Kind kind) {
        // Ten-second steps: the image is still building when the worker goes.
        try (Pipeline pipeline = new Pipeline(kind, false, Duration.ofSeconds(10))) {
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(1)));
            UUID buildId = pipeline.queue.build(BuildRequest.of("orphan-cancel", TEMPLATE.formatted("plain"), List.of("ec2")));
            TargetStatus building = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2"),
                    target -> target.factoryImageId() != null);
            pipeline.stopWorker();

            pipeline.queue.cancel(building.jobId());

            // No worker ran the row when it was cancelled; the next one to start sweeps.
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(1)));
            await().atMost(BOUND).until(() -> !pipeline.factoryHolds(building.factoryImageId()));
            assertThat(pipeline.queue.status(buildId).target("ec2").status()).isEqualTo(JobStatus.CANCELLED);
            // The note follows the deletion.
            await().atMost(BOUND).untilAsserted(() -> assertThat(pipeline.queue.history(building.jobId()))
                    .extracting(HistoryEntry::activity)
                    .anyMatch(activity -> activity != null && activity.contains("left by the cancelled job")));
        }
    }

    @Test
    void aCancelAfterTheLastTargetMadeTheBuildLatestUnpushedTakesThatBack() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(2)).withBackoff(
                    new Backoff(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofMinutes(5))));
            // iwhd writes latest_unpushed and holds its answer: the target times out and waits to try
            // again, its row still RUNNING, while iwhd already names the build.
            pipeline.iwhd.faults().loseAnswerOfNext("PUT", "/images/[^/]+/latest_unpushed", true);
            UUID buildId = pipeline.queue.build(BuildRequest.of("cancel-after-unpushed", TEMPLATE.formatted("plain"),
                    List.of("ec2")));
            UUID imageId = pipeline.queue.status(buildId).imageId();
            await().atMost(BOUND).until(() -> latestUnpushed(pipeline, imageId), buildId.toString()::equals);
            TargetStatus ec2 = pipeline.queue.status(buildId).target("ec2");
            assertThat(ec2.status()).isEqualTo(JobStatus.RUNNING);

            pipeline.queue.cancel(ec2.jobId());

            await().atMost(BOUND).until(() -> latestUnpushed(pipeline, imageId), "None"::equals);
            assertThat(pipeline.queue.status(buildId).target("ec2").status()).isEqualTo(JobStatus.CANCELLED);
            await().atMost(BOUND).until(() -> pipeline.iwhd.attributes("target_images", ec2.factoryImageId()).isEmpty());
        }
    }

    @Test
    void aCancelAfterTheLastPushMadeTheBuildLatestBuildTakesThatBack() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(2)).withBackoff(
                    new Backoff(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofMinutes(5))));
            pipeline.iwhd.faults().loseAnswerOfNext("PUT", "/images/[^/]+/latest_build", true);
            UUID buildId = pipeline.queue.buildAndPush(BuildRequest.of("cancel-after-pushed", TEMPLATE.formatted("plain"),
                    List.of("ec2")), List.of(PushPipelineContract.ec2("us-east-1", "AKIAPUSHED", "s")));
            UUID imageId = pipeline.queue.status(buildId).imageId();
            await().atMost(BOUND).until(() -> attribute(pipeline, imageId, "latest_build"), buildId.toString()::equals);
            PushStatus push = pipeline.queue.status(buildId).push("ec2-us-east-1");
            assertThat(push.status()).isEqualTo(JobStatus.RUNNING);

            pipeline.queue.cancel(push.jobId());

            await().atMost(BOUND).until(() -> attribute(pipeline, imageId, "latest_build"), "None"::equals);
            assertThat(attribute(pipeline, imageId, "latest_unpushed")).as("built, not pushed everywhere")
                    .isEqualTo(buildId.toString());
            await().atMost(BOUND).until(() -> pipeline.iwhd.attributes("provider_images", push.factoryImageId()).isEmpty());
        }
    }

    private static String attribute(Pipeline pipeline, UUID imageId, String name) {
        return pipeline.iwhd.attributes("images", imageId.toString()).map(attributes -> attributes.get(name)).orElse(null);
    }

    private static String latestUnpushed(Pipeline pipeline, UUID imageId) {
        return pipeline.iwhd.attributes("images", imageId.toString()).map(attributes -> attributes.get("latest_unpushed"))
                .orElse(null);
    }

    private static FactoryClient factory(Pipeline pipeline) {
        return new FactoryClient(new OkHttpClient(), new ObjectMapper(), pipeline.factory.baseUrl());
    }
}
