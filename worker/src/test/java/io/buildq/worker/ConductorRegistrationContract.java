package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What buildq writes to iwhd as Conductor reads it (real-install-notes Q10 and "Conductor and iwhd
 * images"): the image's environment, and latest_unpushed, latest_build and parent only as factory
 * v1 wrote them. Over real HTTP and a real database; once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConductorRegistrationContract {

    static final Duration BOUND = Duration.ofSeconds(90);
    private Pipeline pipeline;

    abstract TestDatabase.Kind kind();

    @BeforeAll
    void start() {
        pipeline = new Pipeline(kind(), true);
    }

    @AfterAll
    void stop() {
        pipeline.close();
    }

    private static String template(String description) {
        return BuildPipelineContract.TEMPLATE.formatted(description);
    }

    @Test
    void aBuildNamingAPoolFamilyMakesAnImageConductorListsInThatEnvironment() {
        UUID buildId = pipeline.queue.build(BuildRequest.of("pooled", template("plain"), List.of("ec2", "mock"))
                .withPoolFamily("default"));

        BuildStatus status = awaitFinished(buildId);

        // Two targets ending at once tell iwhd just after the second one's COMPLETE, not before it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(image(status))
                .containsEntry("object_type", "image")
                .containsEntry("environment", "default")
                .containsEntry("latest_unpushed", buildId.toString()));
    }

    @Test
    void anImageCreatedByAnotherWriterWithoutEnvironmentGetsTheRequestsAndOneWithAnEnvironmentKeepsIt() {
        IwhdClient iwhd = new IwhdClient(new OkHttpClient(), pipeline.iwhd.baseUrl());
        iwhd.ensureBucket("images");
        UUID bare = UUID.randomUUID();
        UUID placed = UUID.randomUUID();
        for (UUID id : List.of(bare, placed)) {
            iwhd.putObject("images", id.toString(), "<image><name>theirs</name></image>".getBytes(StandardCharsets.UTF_8));
            iwhd.setAttributes("images", id.toString(), Map.of("uuid", id.toString(), "object_type", "image"));
        }
        iwhd.putAttribute("images", placed.toString(), "environment", "production");

        awaitFinished(pipeline.queue.build(BuildRequest.of("theirs", template("plain"), List.of("ec2"))
                .withImageId(bare).withPoolFamily("default")));
        awaitFinished(pipeline.queue.build(BuildRequest.of("theirs", template("plain"), List.of("ec2"))
                .withImageId(placed).withPoolFamily("default")));

        assertThat(pipeline.iwhd.attributes("images", bare.toString()).orElseThrow()).containsEntry("environment", "default");
        assertThat(pipeline.iwhd.attributes("images", placed.toString()).orElseThrow())
                .containsEntry("environment", "production");
    }

    @Test
    void aBuildWithoutAPoolFamilyWritesNoEnvironment() {
        BuildStatus status = awaitFinished(pipeline.queue.build(BuildRequest.of("unpooled", template("plain"), List.of("ec2"))));

        assertThat(image(status)).doesNotContainKey("environment");
    }

    @Test
    void aBuildWithOneFailedTargetNeverBecomesLatestUnpushed() {
        UUID buildId = pipeline.queue.build(BuildRequest.of("half-built", template("simulate-failure:rhevm"),
                List.of("ec2", "rhevm")));

        BuildStatus status = awaitFinished(buildId);

        assertThat(status.target("ec2").status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(status.target("rhevm").status()).isEqualTo(JobStatus.FAILED);
        // ec2's target image is registered, as factory stored each target image when it ended...
        assertThat(pipeline.iwhd.attributes("target_images", status.target("ec2").factoryImageId())).isPresent();
        // ...but BuildWatcher's all_completed never ran (Q10).
        assertThat(image(status)).doesNotContainKeys("latest_unpushed", "latest_build");
        assertThat(pipeline.iwhd.attributes("builds", buildId.toString()).orElseThrow()).doesNotContainKey("parent");
    }

    @Test
    void aFailedPushLeavesTheBuildUnpushedInIwhd() {
        UUID buildId = pipeline.queue.buildAndPush(BuildRequest.of("half-pushed", template("plain"), List.of("ec2")),
                List.of(PushPipelineContract.ec2("us-east-1", "AKIAGOOD", "good-secret"),
                        PushPipelineContract.ec2("eu-west-1", "AKIABAD", "simulate-failure")));

        BuildStatus status = awaitFinished(buildId);

        assertThat(status.push("ec2-us-east-1").status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(status.push("ec2-eu-west-1").status()).isEqualTo(JobStatus.FAILED);
        assertThat(pipeline.iwhd.attributes("provider_images", status.push("ec2-us-east-1").factoryImageId())).isPresent();
        // PushWatcher's all_completed never ran (Q10): the build stays the image's latest_unpushed.
        assertThat(image(status)).doesNotContainKey("latest_build")
                .containsEntry("latest_unpushed", buildId.toString());
    }

    @Test
    void theBuildAfterAPushHasTheParentNoneAsFactoryV1Wrote() {
        UUID imageId = UUID.randomUUID();
        UUID first = pipeline.queue.buildAndPush(BuildRequest.of("lineage", template("first"), List.of("ec2"))
                .withImageId(imageId), List.of(PushPipelineContract.ec2("ap-east-1", "AKIALINE", "line-secret")));
        BuildStatus pushed = awaitFinished(first);
        assertThat(pushed.push("ec2-ap-east-1").status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(image(pushed)).containsEntry("latest_build", first.toString()).containsEntry("latest_unpushed", "None");
        assertThat(pipeline.iwhd.attributes("builds", first.toString()).orElseThrow()).doesNotContainKey("parent");

        UUID second = pipeline.queue.build(BuildRequest.of("lineage", template("second"), List.of("ec2")).withImageId(imageId));
        BuildStatus rebuilt = awaitFinished(second);

        assertThat(pipeline.iwhd.attributes("builds", second.toString()).orElseThrow()).containsEntry("parent", "None");
        assertThat(image(rebuilt)).containsEntry("latest_build", first.toString())
                .containsEntry("latest_unpushed", second.toString());

        UUID third = pipeline.queue.build(BuildRequest.of("lineage", template("third"), List.of("ec2")).withImageId(imageId));
        awaitFinished(third);
        assertThat(pipeline.iwhd.attributes("builds", third.toString()).orElseThrow()).containsEntry("parent", second.toString());
    }

    private Map<String, String> image(BuildStatus status) {
        return pipeline.iwhd.attributes("images", status.imageId().toString()).orElseThrow();
    }

    private BuildStatus awaitFinished(UUID buildId) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> pipeline.queue.status(buildId).isFinished());
        return pipeline.queue.status(buildId);
    }
}
