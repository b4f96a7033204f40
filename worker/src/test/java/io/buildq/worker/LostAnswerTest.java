package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.build.BuildRequest;
import io.buildq.factory.FactoryClient;
import io.buildq.push.ProviderAccount;
import io.buildq.retry.Backoff;
import io.buildq.sim.http.FaultSettings;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Faults that act after the service did: factory (or iwhd) handles the request in full, then the
 * answer is lost. Each must cost a retry, never a second image.
 */
class LostAnswerTest {

    private static final Duration BOUND = Duration.ofSeconds(90);
    private static final String TEMPLATE = BuildPipelineContract.TEMPLATE;

    @Test
    void aBuildWhoseStartWasAcceptedButItsAnswerLostAdoptsThatImageInsteadOfBuildingTwice() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            pipeline.factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", false);

            UUID buildId = pipeline.queue.build(BuildRequest.of("lost-202", TEMPLATE.formatted("plain"), List.of("ec2")));

            TargetStatus ec2 = awaitFinished(pipeline, buildId).target("ec2");
            assertThat(ec2.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(pipeline.factory.createdTargetImages()).as("target images factory created").isEqualTo(1);
            assertThat(pipeline.queue.history(ec2.jobId())).extracting(HistoryEntry::activity)
                    .anyMatch(activity -> activity != null && activity.contains("adopted target image " + ec2.factoryImageId()));
        }
    }

    @Test
    void aBuildSentAsAFormWhoseStartAnswerWasLostFindsItsImageByTheMarkerInItsTemplate() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            // Not ASCII: factory's JSON parser would refuse it (Q9), so the start goes as a form,
            // which cannot carry parameters; the marker rides in the template.
            pipeline.factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", false);

            UUID buildId = pipeline.queue.build(BuildRequest.of("lost-form", TEMPLATE.formatted("caf\u00e9 \u65e5\u672c"),
                    List.of("ec2")));

            TargetStatus ec2 = awaitFinished(pipeline, buildId).target("ec2");
            assertThat(ec2.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(pipeline.factory.createdTargetImages()).as("target images factory created").isEqualTo(1);
            assertThat(pipeline.queue.history(ec2.jobId())).extracting(HistoryEntry::activity)
                    .anyMatch(activity -> activity != null && activity.contains("adopted target image " + ec2.factoryImageId()));
        }
    }

    @Test
    void theBuildOwningTheSharedBaseImageLosesItsAnswerAndTheBuildStillInstallsTheOsOnce() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            // The first POST is the owner's: the other targets wait for its base image id.
            pipeline.factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", false);

            UUID buildId = pipeline.queue.build(BuildRequest.of("lost-owner", TEMPLATE.formatted("plain"),
                    List.of("ec2", "rhevm", "vsphere")));

            BuildStatus status = awaitFinished(pipeline, buildId);
            assertThat(status.targets()).extracting(TargetStatus::status).containsOnly(JobStatus.COMPLETE);
            assertThat(pipeline.factory.createdTargetImages()).isEqualTo(3);
            assertThat(pipeline.factory.createdBaseImages()).isEqualTo(1);
        }
    }

    @Test
    void aPushWhoseStartAnswerWasLostMakesOneProviderImage() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            pipeline.factory.faults().loseAnswerOfNext("POST", "/imagefactory/provider_images", false);
            ProviderAccount account = PushPipelineContract.ec2("us-east-2", "AKIALOST", "lost-secret");

            UUID buildId = pipeline.queue.buildAndPush(BuildRequest.of("lost-push", TEMPLATE.formatted("plain"),
                    List.of("ec2")), List.of(account));

            PushStatus push = awaitFinished(pipeline, buildId).push("ec2-us-east-2");
            assertThat(push.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(factory(pipeline).listProviderImages()).containsExactly(push.factoryImageId());
        }
    }

    @Test
    void aBuildCancelledWhileFactoryHoldsTheAnswerToItsStartLeavesNoImageBehind() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(2)));
            // Factory creates the image and never answers: the row has no id when the cancel comes.
            pipeline.factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", true);
            UUID buildId = pipeline.queue.build(BuildRequest.of("cancel-in-flight", TEMPLATE.formatted("plain"),
                    List.of("ec2")));
            await().atMost(BOUND).until(() -> pipeline.factory.createdTargetImages() == 1);
            TargetStatus starting = pipeline.queue.status(buildId).target("ec2");
            assertThat(starting.factoryImageId()).isNull();

            pipeline.queue.cancel(starting.jobId());

            await().atMost(BOUND).until(() -> factory(pipeline).listTargetImages().isEmpty());
            assertThat(pipeline.queue.status(buildId).target("ec2").status()).isEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void aCancelThatRacesTheRegistrationInIwhdLeavesNeitherTheImageNorItsIwhdObject() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            // Each iwhd call takes 400 ms: the registration, a dozen calls, is a window of seconds.
            pipeline.iwhd.faults().set(FaultSettings.none().withLatency(Duration.ofMillis(400)));
            UUID buildId = pipeline.queue.build(BuildRequest.of("cancel-race", TEMPLATE.formatted("plain"), List.of("ec2")));
            TargetStatus registering = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2"),
                    target -> target.activity() != null && target.activity().startsWith("Registering the target image"));

            pipeline.queue.cancel(registering.jobId());

            // The worker says on the row when it cleaned up; then whatever iwhd call was on its way lands.
            await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2").activity(),
                    activity -> activity != null && activity.startsWith("Cancelled; asked Image Factory to delete"));
            await().atMost(BOUND).until(() -> pipeline.iwhd.requestsInFlight() == 0);
            assertThat(pipeline.factoryHolds(registering.factoryImageId())).isFalse();
            assertThat(pipeline.queue.status(buildId).target("ec2").status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(pipeline.iwhd.attributes("target_images", registering.factoryImageId()))
                    .as("iwhd objects of a cancelled row").isEmpty();
        }
    }

    @Test
    void aRetryDeletesTheImageAnEarlierAttemptStartedWithoutHearingOfIt() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withHttpTimeout(Duration.ofSeconds(1)).withBackoff(
                    new Backoff(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofSeconds(2))));
            // Attempt 1: factory creates the image and holds its answer, then fails every call until
            // the attempt gives up. The row never learns the image's id.
            pipeline.factory.faults().loseAnswerOfNext("POST", "/imagefactory/target_images", true);
            UUID buildId = pipeline.queue.build(BuildRequest.of("abandoned", TEMPLATE.formatted("plain"), List.of("ec2")));
            await().atMost(BOUND).until(() -> pipeline.factory.createdTargetImages() == 1);
            pipeline.factory.faults().set(FaultSettings.none().withErrorRate(1));
            TargetStatus failed = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2"),
                    target -> target.status() == JobStatus.FAILED);
            assertThat(failed.factoryImageId()).isNull();
            pipeline.factory.faults().set(FaultSettings.none());

            pipeline.queue.retry(failed.jobId());

            TargetStatus retried = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2"),
                    target -> target.attempt() == 2 && target.status().isTerminal());
            assertThat(retried.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(factory(pipeline).listTargetImages()).as("attempt 1's image was deleted")
                    .containsExactly(retried.factoryImageId());
        }
    }

    @Test
    void lostAnswersOnEveryFactoryAndIwhdRouteBuildAndPushEachImageExactlyOnce() {
        int count = 8;
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            // Retries 100 ms apart at first: the scenario is about what a retry does, not how long it waits.
            pipeline.startWorker(settings -> settings.withBackoff(
                    new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(5))));
            pipeline.factory.faults().set(FaultSettings.none().withLoseAnswerRate(0.2).withSeed(11));
            pipeline.iwhd.faults().set(FaultSettings.none().withLoseAnswerRate(0.2).withSeed(12));
            List<UUID> builds = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                builds.add(pipeline.queue.buildAndPush(BuildRequest.of("lossy-" + i, TEMPLATE.formatted("plain"),
                        List.of("ec2")), List.of(PushPipelineContract.ec2("eu-central-" + i, "AKIALOSSY" + i, "s"))));
            }

            await().atMost(Duration.ofMinutes(4)).until(() -> builds.stream()
                    .allMatch(id -> pipeline.queue.status(id).isFinished()));
            pipeline.factory.faults().set(FaultSettings.none());
            pipeline.iwhd.faults().set(FaultSettings.none());

            long completed = builds.stream().map(pipeline.queue::status)
                    .filter(status -> status.target("ec2").status() == JobStatus.COMPLETE
                            && status.pushes().get(0).status() == JobStatus.COMPLETE)
                    .count();
            int targetImages = factory(pipeline).listTargetImages().size();
            int providerImages = factory(pipeline).listProviderImages().size();
            System.out.printf("lost answers 20%% on every factory and iwhd route, %d build-and-push: completed=%d "
                    + "factory_target_images=%d provider_images=%d%n", count, completed, targetImages, providerImages);
            assertThat(completed).isEqualTo(count);
            assertThat(targetImages).as("target images in factory").isEqualTo(count);
            assertThat(providerImages).as("provider images in factory").isEqualTo(count);
        }
    }

    private static FactoryClient factory(Pipeline pipeline) {
        return new FactoryClient(new OkHttpClient(), new ObjectMapper(), pipeline.factory.baseUrl());
    }

    private static BuildStatus awaitFinished(Pipeline pipeline, UUID buildId) {
        return await().atMost(BOUND).until(() -> pipeline.queue.status(buildId), BuildStatus::isFinished);
    }
}
