package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The whole build path over real HTTP and a real database; run once per database by its subclasses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BuildPipelineContract {

    static final String TEMPLATE = """
            <template>
              <name>web-server</name>
              <os><name>Fedora</name><version>16</version><arch>x86_64</arch>
                <install type="url"><url>http://mirror.example/fedora/16/</url></install></os>
              <description>%s</description>
            </template>""";
    static final Duration BUILD_BOUND = Duration.ofSeconds(60);

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

    @Test
    void aBuildForTwoTargetsCompletesAndIsRegisteredInIwhdAsFactoryDid() {
        UUID buildId = pipeline.queue.build(BuildRequest.of("web-server", TEMPLATE.formatted("plain"), List.of("ec2", "rhevm")));

        BuildStatus status = awaitFinished(buildId);

        for (TargetStatus target : status.targets()) {
            assertThat(target.status()).as(target.target()).isEqualTo(JobStatus.COMPLETE);
            assertThat(target.percent()).isEqualTo(100);
            assertThat(target.error()).isNull();
            assertThat(target.attempt()).isEqualTo(1);
            assertThat(target.factoryImageId()).isNotNull();
            assertThat(target.startedAt()).isNotNull();
            assertThat(target.finishedAt()).isAfterOrEqualTo(target.startedAt());
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.jobRunrState(target.jobId()) == StateName.SUCCEEDED);

            Map<String, String> targetImage = pipeline.iwhd.attributes("target_images", target.factoryImageId()).orElseThrow();
            assertThat(targetImage).containsEntry("uuid", target.factoryImageId())
                    .containsEntry("object_type", "target_image")
                    .containsEntry("build", buildId.toString())
                    .containsEntry("target", target.target())
                    .containsEntry("target_parameters", "None");
            String icicle = targetImage.get("icicle");
            assertThat(pipeline.iwhd.attributes("icicles", icicle).orElseThrow()).containsEntry("object_type", "icicle");
            assertThat(pipeline.iwhd.attributes("templates", targetImage.get("template")).orElseThrow())
                    .containsEntry("object_type", "template");
        }
        Map<String, String> build = pipeline.iwhd.attributes("builds", buildId.toString()).orElseThrow();
        assertThat(build).containsEntry("uuid", buildId.toString())
                .containsEntry("object_type", "build")
                .containsEntry("image", status.imageId().toString());
        assertThat(build.get("timestamp")).matches("\\d{10}\\.\\d{2}");
        Map<String, String> image = pipeline.iwhd.attributes("images", status.imageId().toString()).orElseThrow();
        assertThat(image).containsEntry("object_type", "image")
                .containsEntry("latest_unpushed", buildId.toString());
        // One factory build per target: nothing was built twice.
        assertThat(pipeline.iwhd.keys("target_images")).contains(
                status.target("ec2").factoryImageId(), status.target("rhevm").factoryImageId());
    }

    @Test
    void aTargetFactoryFailsEndsFailedWithFactorysErrorAndItsJobRunrJobFailsWithoutRetries() {
        UUID buildId = pipeline.queue.build(BuildRequest.of("broken-on-rhevm",
                TEMPLATE.formatted("simulate-failure:rhevm"), List.of("ec2", "rhevm")));

        BuildStatus status = awaitFinished(buildId);

        TargetStatus rhevm = status.target("rhevm");
        assertThat(rhevm.status()).isEqualTo(JobStatus.FAILED);
        assertThat(rhevm.error()).contains("Failed to customize the image for target rhevm");
        assertThat(rhevm.factoryStatus()).isEqualTo("FAILED");
        assertThat(status.target("ec2").status()).isEqualTo(JobStatus.COMPLETE);

        await().atMost(Duration.ofSeconds(15)).until(() -> pipeline.jobRunrState(rhevm.jobId()) == StateName.FAILED);
        Job job = pipeline.jobRunr.getJobById(rhevm.jobId());
        assertThat(job.getJobStates()).filteredOn(state -> state.getName() == StateName.SCHEDULED).isEmpty();
        assertThat(((FailedState) job.getJobState()).getExceptionMessage()).contains("Failed to customize");
        // One target failed: factory v1's BuildWatcher never called all_completed, so the build does
        // not become latest_unpushed (real-install-notes.md Q10); ec2's target image is registered.
        assertThat(pipeline.iwhd.attributes("images", status.imageId().toString()).orElseThrow())
                .doesNotContainKey("latest_unpushed");
        assertThat(pipeline.iwhd.keys("target_images")).contains(status.target("ec2").factoryImageId());
    }

    @Test
    void aBaseImageFailureFailsEveryTargetWithTheParentError() {
        UUID buildId = pipeline.queue.build(BuildRequest.of("no-os", TEMPLATE.formatted("simulate-failure"),
                List.of("vsphere")));

        TargetStatus vsphere = awaitFinished(buildId).target("vsphere");

        assertThat(vsphere.status()).isEqualTo(JobStatus.FAILED);
        // Factory's own text only says the base failed; the row carries why (the base image's error).
        assertThat(vsphere.error()).contains("The base image (OS install)")
                .contains("Timed out waiting for the JEOS install to finish");
    }

    @Test
    void theHistoryShowsEveryStatusFactoryReportedInOrderIncludingThoseOnlyCallbacksCarried() {
        UUID buildId = pipeline.queue.build(BuildRequest.of("history", TEMPLATE.formatted("plain"), List.of("mock")));

        TargetStatus mock = awaitFinished(buildId).target("mock");
        List<HistoryEntry> history = pipeline.queue.history(mock.jobId());

        List<String> reported = pipeline.factory.reportedStatuses(mock.factoryImageId());
        assertThat(reported).containsSubsequence("NEW", "PENDING", "BUILDING", "COMPLETE");
        // Factory stores the record at NEW and answers the POST with PENDING or NEW (its build thread
        // races the answer, real-install-notes.md Q6): what buildq saw is the tail from there on.
        List<String> seen = collapse(history.stream().map(HistoryEntry::factoryStatus).filter(Objects::nonNull).toList());
        assertThat(seen).containsSubsequence("PENDING", "BUILDING", "COMPLETE");
        assertThat(reported).endsWith(seen.toArray(String[]::new));
        // Real factory's GET never shows BUILDING: only a callback can have written it.
        assertThat(history).filteredOn(entry -> "BUILDING".equals(entry.factoryStatus()))
                .first().extracting(HistoryEntry::source).isEqualTo("callback");
        assertThat(collapse(history.stream().map(entry -> entry.status().name()).toList()))
                .containsExactly("QUEUED", "RUNNING", "COMPLETE");
        assertThat(history.get(history.size() - 1).percent()).isEqualTo(100);
    }

    @Test
    void aQueuedRowWhoseJobRunrJobIsMissingIsEnqueuedByTheReconciler() {
        UUID buildId;
        // A worker-less pipeline on the same kind of database: the row is written, the job lost.
        try (Pipeline stalled = new Pipeline(kind(), false)) {
            buildId = stalled.queue.build(BuildRequest.of("lost-job", TEMPLATE.formatted("plain"), List.of("ec2")));
            UUID jobId = stalled.queue.status(buildId).target("ec2").jobId();
            stalled.jobRunr.deletePermanently(jobId);
            assertThat(stalled.db.count("select count(*) from jobrunr_jobs")).isZero();

            stalled.startWorker();

            await().atMost(BUILD_BOUND).until(() -> stalled.queue.status(buildId).isFinished());
            assertThat(stalled.queue.status(buildId).target("ec2").status()).isEqualTo(JobStatus.COMPLETE);
        }
    }

    private BuildStatus awaitFinished(UUID buildId) {
        await().atMost(BUILD_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> pipeline.queue.status(buildId).isFinished());
        return pipeline.queue.status(buildId);
    }

    private static List<String> collapse(List<String> values) {
        List<String> collapsed = new ArrayList<>();
        for (String value : values) {
            if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).equals(value)) {
                collapsed.add(value);
            }
        }
        return collapsed;
    }
}
