package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import io.buildq.tls.FactoryTrust;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The worker against simulators that behave as a stock Aeolus install does
 * ({@code shared/reference/real-install-notes.md}): factory over HTTPS with a certificate made at
 * start, OAuth on factory and iwhd, restarts that lose builds, callbacks before the save, one OS
 * install shared by a build's targets.
 */
class StockInstallTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String TEMPLATE = BuildPipelineContract.TEMPLATE;

    @Test
    void aBuildAndPushCompleteOverHttpsWithOAuthOnFactoryAndIwhd() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false,
                factory -> factory.https(SelfSignedCertificate.Profile.PASTE).oauthClient("conductor", "factory-secret"),
                iwhd -> iwhd.oauthClient("conductor", "iwhd-secret"))) {
            assertThat(pipeline.factory.baseUrl()).startsWith("https://");
            String pin = SelfSignedCertificate.sha256Hex(pipeline.factory.certificate());
            pipeline.startWorker(settings -> settings.withFactoryTrust(FactoryTrust.pinnedSha256(pin))
                    .withFactoryOAuth("conductor", "factory-secret")
                    .withIwhdOAuth("conductor", "iwhd-secret"));

            UUID buildId = pipeline.queue.buildAndPush(BuildRequest.of("stock", TEMPLATE.formatted("plain"), List.of("ec2")),
                    List.of(PushPipelineContract.ec2("us-east-1", "AKIASTOCK", "secret")));

            BuildStatus status = awaitFinished(pipeline, buildId);
            assertThat(status.targets()).extracting(TargetStatus::status).containsExactly(JobStatus.COMPLETE);
            assertThat(status.pushes()).extracting(PushStatus::status).containsExactly(JobStatus.COMPLETE);
            String targetImage = status.targets().get(0).factoryImageId();
            assertThat(pipeline.iwhd.attributes("target_images", targetImage).orElseThrow())
                    .containsEntry("object_type", "target_image");
        }
    }

    @Test
    void aFactoryThatRefusesTheWorkersOAuthFailsTheBuildAtOnceNamingTheSetting() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false,
                factory -> factory.oauthClient("conductor", "factory-secret"))) {
            pipeline.startWorker(settings -> settings.withFactoryOAuth("conductor", "not-the-secret"));

            UUID buildId = pipeline.queue.build(BuildRequest.of("refused", TEMPLATE.formatted("plain"), List.of("ec2")));

            // Not 30 minutes of retries of a "5xx": factory's 500 says OAuth validation failed.
            TargetStatus target = awaitFinished(pipeline, buildId).targets().get(0);
            assertThat(target.status()).isEqualTo(JobStatus.FAILED);
            assertThat(target.error()).contains("BUILDQ_FACTORY_OAUTH_SECRET").contains("OAuth validation failed");
            assertThat(pipeline.factory.createdTargetImages()).isZero();
        }
    }

    @Test
    void aBuildThatAFactoryRestartLostFailsAtItsDeadlineAndARetryBuildsItAgain() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false, factory -> factory.stepDuration(Duration.ofMillis(400)))) {
            pipeline.startWorker(settings -> settings.withBuildDeadline(Duration.ofSeconds(4)));
            UUID buildId = pipeline.queue.build(BuildRequest.of("restarted", TEMPLATE.formatted("plain"), List.of("ec2")));
            TargetStatus running = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).targets().get(0),
                    target -> target.factoryImageId() != null);

            pipeline.factory.restart();

            TargetStatus lost = awaitFinished(pipeline, buildId).targets().get(0);
            assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
            assertThat(lost.error()).contains("Image Factory lost image " + running.factoryImageId());
            // buildq asked factory to delete the record the restart left at NEW.
            await().atMost(BOUND).until(() -> !pipeline.factoryHolds(running.factoryImageId()));

            pipeline.queue.retry(lost.jobId());

            TargetStatus retried = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).targets().get(0),
                    target -> target.status().isTerminal());
            assertThat(retried.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(retried.factoryImageId()).isNotEqualTo(running.factoryImageId());
        }
    }

    @Test
    void aCallbackThatArrivesBeforeFactorySavedTheOutcomeStillRegistersTheIcicle() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false,
                factory -> factory.callbackBeforeSave(Duration.ofMillis(700)))) {
            // Polls far apart: the outcome reaches the row by callback, while GET still says NEW.
            pipeline.startWorker(settings -> settings.withFactoryPollInterval(Duration.ofSeconds(30)));
            UUID buildId = pipeline.queue.build(BuildRequest.of("raced", TEMPLATE.formatted("plain"), List.of("ec2")));

            TargetStatus target = awaitFinished(pipeline, buildId).targets().get(0);

            assertThat(target.status()).isEqualTo(JobStatus.COMPLETE);
            Map<String, String> registered = pipeline.iwhd.attributes("target_images", target.factoryImageId()).orElseThrow();
            assertThat(registered.get("icicle")).as("the icicle GET shows only once saved").isNotEqualTo("none");
            assertThat(pipeline.iwhd.attributes("icicles", registered.get("icicle"))).isPresent();
        }
    }

    @Test
    void theTargetsOfOneBuildShareOneOsInstallAsTimDid() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            UUID buildId = pipeline.queue.build(BuildRequest.of("shared", TEMPLATE.formatted("plain"),
                    List.of("ec2", "rhevm", "vsphere")));

            BuildStatus status = awaitFinished(pipeline, buildId);

            assertThat(status.targets()).extracting(TargetStatus::status).containsOnly(JobStatus.COMPLETE);
            assertThat(pipeline.factory.createdBaseImages()).as("base images in factory's records").isEqualTo(1);
            assertThat(status.targets()).extracting(target -> pipeline.factory.baseImageOf(target.factoryImageId()))
                    .containsOnly(pipeline.factory.baseImageOf(status.targets().get(0).factoryImageId()));
        }
    }

    @Test
    void whenTheSharedBaseImageFailsEveryTargetFailsWithItsErrorAndARetryInstallsTheOsAgain() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            UUID buildId = pipeline.queue.build(BuildRequest.of("base-fails", TEMPLATE.formatted("simulate-failure"),
                    List.of("ec2", "rhevm")));

            BuildStatus failed = awaitFinished(pipeline, buildId);

            assertThat(failed.targets()).allSatisfy(target -> {
                assertThat(target.status()).isEqualTo(JobStatus.FAILED);
                assertThat(target.error()).contains("base image").contains("Timed out waiting for the JEOS install");
            });
            assertThat(pipeline.factory.createdBaseImages()).isEqualTo(1);

            pipeline.queue.retry(failed.targets().get(0).jobId());

            await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).targets().get(0).attempt() == 2
                    && pipeline.queue.status(buildId).targets().get(0).status().isTerminal());
            assertThat(pipeline.factory.createdBaseImages()).as("the retry built from the template").isEqualTo(2);
        }
    }

    @Test
    void aTemplateOf150KbAndOneInNonAsciiTextAreBothBuilt() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            UUID large = pipeline.queue.build(BuildRequest.of("large", TEMPLATE.formatted("x".repeat(150 * 1024)),
                    List.of("ec2")));
            UUID accented = pipeline.queue.build(BuildRequest.of("accented",
                    TEMPLATE.formatted("Serveur web \u00e9t\u00e9, \u65e5\u672c\u8a9e"), List.of("ec2")));

            assertThat(awaitFinished(pipeline, large).targets()).extracting(TargetStatus::status)
                    .containsExactly(JobStatus.COMPLETE);
            assertThat(awaitFinished(pipeline, accented).targets()).extracting(TargetStatus::status)
                    .containsExactly(JobStatus.COMPLETE);
        }
    }

    private static BuildStatus awaitFinished(Pipeline pipeline, UUID buildId) {
        return await().atMost(BOUND).until(() -> pipeline.queue.status(buildId), BuildStatus::isFinished);
    }
}
