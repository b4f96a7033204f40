package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.factory.FactoryImage;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.iwhd.IwhdException;
import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.job.JobStore;
import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.retry.Backoff;
import io.buildq.sim.http.FaultSettings;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** Work factory completed is never redone, and a failed push can always be retried. */
class NothingThrownAwayTest {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String TEMPLATE = BuildPipelineContract.TEMPLATE;
    /** Transient failures give up after 2 s: what --retry-for does after 30 min. */
    private static final Backoff SHORT = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2));

    @Test
    void aBuildFactoryCompletedWhileIwhdWasDownIsRegisteredOnRetryWithoutBuildingAgain() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, false)) {
            pipeline.startWorker(settings -> settings.withBackoff(SHORT));
            pipeline.iwhd.faults().set(FaultSettings.none().withErrorRate(1));
            UUID buildId = pipeline.queue.build(BuildRequest.of("iwhd-down", TEMPLATE.formatted("plain"), List.of("ec2")));

            TargetStatus failed = awaitFinished(pipeline, buildId).target("ec2");
            assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
            assertThat(failed.error()).contains("iwhd");
            assertThat(failed.factoryStatus()).isEqualTo("COMPLETE");
            pipeline.iwhd.faults().set(FaultSettings.none());
            int factoryBuilds = pipeline.factory.createdTargetImages();

            pipeline.queue.retry(failed.jobId());

            TargetStatus retried = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2"),
                    target -> target.attempt() == 2 && target.status().isTerminal());
            System.out.printf("iwhd down past --retry-for, then retry: factory_builds_added=%d registered=%d%n",
                    pipeline.factory.createdTargetImages() - factoryBuilds,
                    pipeline.iwhd.attributes("target_images", retried.factoryImageId()).isPresent() ? 1 : 0);
            assertThat(retried.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(retried.factoryImageId()).isEqualTo(failed.factoryImageId());
            assertThat(pipeline.factory.createdTargetImages()).isEqualTo(factoryBuilds);
            assertThat(pipeline.iwhd.attributes("target_images", retried.factoryImageId())).isPresent();
            // The history names the image in every attempt.
            assertThat(pipeline.queue.history(failed.jobId())).filteredOn(entry -> entry.attempt() == 2)
                    .extracting(HistoryEntry::factoryImageId).containsOnly(failed.factoryImageId());
        }
    }

    @Test
    void aPushThatFailedForItsOwnReasonsKeepsItsCredentialsAndCompletesOnRetry() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true)) {
            UUID buildId = pipeline.queue.build(BuildRequest.of("push-retry", TEMPLATE.formatted("plain"), List.of("ec2")));
            awaitFinished(pipeline, buildId);
            ProviderAccount account = PushPipelineContract.ec2("us-west-1", "AKIARETRYPUSH", "retry-push-secret");
            pipeline.factory.faults().set(FaultSettings.none().withBuildFailureRate(1));
            try {
                pipeline.queue.push(new PushRequest(buildId, List.of(account)));
                PushStatus failed = awaitFinished(pipeline, buildId).push("ec2-us-west-1");
                assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
                assertThat(pipeline.db.count("select count(*) from buildq_credentials where job_id = '" + failed.jobId()
                        + "'")).as("credentials kept for a retry").isEqualTo(1);
            } finally {
                pipeline.factory.faults().set(FaultSettings.none());
            }
            UUID pushJob = pipeline.queue.status(buildId).push("ec2-us-west-1").jobId();

            pipeline.queue.retry(pushJob);

            PushStatus retried = await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).push("ec2-us-west-1"),
                    push -> push.attempt() == 2 && push.status().isTerminal());
            System.out.printf("push failed, then retry: completed=%d%n", retried.status() == JobStatus.COMPLETE ? 1 : 0);
            assertThat(retried.status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(pipeline.db.count("select count(*) from buildq_credentials where job_id = '" + pushJob + "'"))
                    .as("forgotten once it completed").isZero();
        }
    }

    @Test
    void whatIwhdMustBeToldAfterTheLastTargetEndedIsDoneByTheReconcilerWhenTheWorkerCouldNot() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.POSTGRES, false)) {
            UUID buildId = pipeline.queue.build(BuildRequest.of("told-later", TEMPLATE.formatted("plain"), List.of("ec2")));
            UUID jobId = pipeline.queue.status(buildId).target("ec2").jobId();
            IwhdRegistrar registrar = new IwhdRegistrar(new IwhdClient(new OkHttpClient(), pipeline.iwhd.baseUrl()));
            // What a worker does at the end of a build, by hand: the row RUNNING with factory's image,
            // the target image registered, then the end, whose telling iwhd afterwards fails (a worker
            // that died right after the commit would leave the same).
            try (JobStore store = JobStore.open(pipeline.db.dataSource(), Clock.systemUTC())) {
                store.change(jobId, ChangeSource.TEST, row -> {
                    row.markRunning(store.now());
                    row.attachFactoryImage("factory-image-1", store.now());
                    row.recordFactoryProgress(FactoryStatus.COMPLETE, 100, "done", null);
                });
                BuildRequestRow request = store.findRequest(buildId).orElseThrow();
                registrar.registerTargetImage(request, store.findJob(jobId).orElseThrow(), new FactoryImage("factory-image-1",
                        "TargetImage", FactoryStatus.COMPLETE, 100, null, null, "<icicle/>", "ec2", null, null, null, null,
                        null));
                store.end(jobId, ChangeSource.TEST, row -> row.markComplete(store.now(), "done"), ended -> {
                    throw new IwhdException("iwhd could not be reached (simulated)", 0);
                });
            }
            String imageId = pipeline.queue.status(buildId).imageId().toString();
            assertThat(pipeline.queue.status(buildId).target("ec2").status()).isEqualTo(JobStatus.COMPLETE);
            assertThat(pipeline.iwhd.attributes("images", imageId).orElseThrow()).doesNotContainKey("latest_unpushed");
            assertThat(pipeline.db.count("select count(*) from buildq_iwhd_pending")).as("kept for later").isEqualTo(1);

            pipeline.reconciler().run();

            assertThat(pipeline.iwhd.attributes("images", imageId).orElseThrow())
                    .containsEntry("latest_unpushed", buildId.toString());
            assertThat(pipeline.db.count("select count(*) from buildq_iwhd_pending")).isZero();
        }
    }

    private static BuildStatus awaitFinished(Pipeline pipeline, UUID buildId) {
        return await().atMost(BOUND).until(() -> pipeline.queue.status(buildId), BuildStatus::isFinished);
    }
}
