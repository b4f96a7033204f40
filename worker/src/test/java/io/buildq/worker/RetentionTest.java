package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.error.BuildNotFoundException;
import io.buildq.queue.RetentionJob;
import io.buildq.retention.RetentionRunner;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.RecurringJob;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.JobNotFoundException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention, run by a worker as JobRunr runs it: finished builds past their age go with everything
 * that hangs off them; the latest build of every image, the newest complete one the catalog reads,
 * a running build and a recent one stay, untouched.
 */
class RetentionTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void oldFinishedBuildsGoAndWhatTheCatalogOrAnUnfinishedBuildNeedsStays(TestDatabase.Kind kind) {
        try (Pipeline pipeline = new Pipeline(kind, true)) {
            Map<String, UUID> builds = new LinkedHashMap<>();
            // Made one after another, so each is newer than the one before (created_at orders them).
            builds.put("a1", build(pipeline, "image-a", "plain"));             // old, superseded: goes
            builds.put("a2", build(pipeline, "image-a", "simulate-failure"));  // old, failed, superseded: goes
            builds.put("a3", build(pipeline, "image-a", "plain"));             // old, the latest of image-a: stays
            builds.put("b1", build(pipeline, "image-b", "plain"));             // old, the newest COMPLETE of image-b: stays
            builds.put("b2", build(pipeline, "image-b", "simulate-failure"));  // old, the latest of image-b: stays
            builds.put("c1", build(pipeline, "image-c", "plain"));             // old, but running again: stays
            builds.put("c2", build(pipeline, "image-c", "plain"));
            builds.put("d1", build(pipeline, "image-d", "plain"));             // superseded, but recent: stays
            builds.put("d2", build(pipeline, "image-d", "plain"));
            for (UUID build : builds.values()) {
                await().atMost(BuildPipelineContract.BUILD_BOUND).until(() -> pipeline.queue.status(build).isFinished());
            }
            UUID a2Job = pipeline.queue.status(builds.get("a2")).target("ec2").jobId();
            await().atMost(Duration.ofSeconds(15)).until(() -> pipeline.jobRunrState(a2Job).name().equals("FAILED"));
            // Everything but image-d happened 100 days ago; c1 runs again (as if retried and reattached).
            for (String name : List.of("a1", "a2", "a3", "b1", "b2", "c1", "c2")) {
                age(pipeline.db, builds.get(name), 100);
            }
            pipeline.db.execute("update buildq_job set status = 'RUNNING', finished_at = null where request_id = '"
                    + builds.get("c1") + "'");
            long c1History = history(pipeline.db, builds.get("c1"));
            long a1History = history(pipeline.db, builds.get("a1"));
            assertThat(a1History).isPositive();

            RecurringJob recurring = pipeline.jobRunr.getRecurringJobs().stream()
                    .filter(job -> job.getId().equals(RetentionJob.RECURRING_ID)).findFirst().orElseThrow();
            assertThat(recurring.getScheduleExpression()).isEqualTo(RetentionRunner.SCHEDULE);
            assertThat(recurring.getJobName()).isEqualTo("Delete finished builds older than 90 days");
            // What "Trigger" in JobRunr's dashboard does: the worker runs it now.
            new JobRequestScheduler(pipeline.jobRunr).enqueue(new RetentionJob(90));
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.db.count(
                    "select count(*) from buildq_request where id = '" + builds.get("a2") + "'") == 0);

            for (String gone : List.of("a1", "a2")) {
                UUID build = builds.get(gone);
                assertThatThrownBy(() -> pipeline.queue.status(build)).as(gone).isInstanceOf(BuildNotFoundException.class);
                assertThat(pipeline.db.count("select count(*) from buildq_job where request_id = '" + build + "'"))
                        .isZero();
            }
            assertThat(pipeline.db.count("select count(*) from buildq_job_history h where not exists "
                    + "(select 1 from buildq_job j where j.id = h.job_id)")).as("history of deleted jobs").isZero();
            assertThatThrownBy(() -> pipeline.jobRunr.getJobById(a2Job)).as("the failed JobRunr job JobRunr would keep")
                    .isInstanceOf(JobNotFoundException.class);
            for (String kept : List.of("a3", "b1", "b2", "c1", "c2", "d1", "d2")) {
                BuildStatus status = pipeline.queue.status(builds.get(kept));
                assertThat(status.targets()).as(kept).isNotEmpty();
            }
            assertThat(pipeline.queue.status(builds.get("c1")).target("ec2").status()).isEqualTo(JobStatus.RUNNING);
            assertThat(history(pipeline.db, builds.get("c1"))).as("the running build's history").isEqualTo(c1History);
        }
    }

    private final Map<String, UUID> imageIds = new HashMap<>();

    /** A build of {@code image}: the same image id each time, as Conductor sends for one image. */
    private UUID build(Pipeline pipeline, String image, String description) {
        UUID imageId = imageIds.computeIfAbsent(image, name -> UUID.randomUUID());
        return pipeline.queue.build(BuildRequest.of(image, BuildPipelineContract.TEMPLATE.formatted(description),
                List.of("ec2")).withImageId(imageId));
    }

    private static void age(TestDatabase db, UUID request, int days) {
        String by = " - INTERVAL '" + days + "' DAY";
        db.execute("update buildq_request set created_at = created_at" + by + " where id = '" + request + "'");
        db.execute("update buildq_job set created_at = created_at" + by + ", updated_at = updated_at" + by
                + ", started_at = started_at" + by + ", finished_at = finished_at" + by + " where request_id = '"
                + request + "'");
    }

    private static long history(TestDatabase db, UUID request) {
        return db.count("select count(*) from buildq_job_history h join buildq_job j on j.id = h.job_id "
                + "where j.request_id = '" + request + "'");
    }
}
