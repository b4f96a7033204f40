package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.build.BuildRequest;
import io.buildq.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jobrunr.storage.JobNotFoundException;
import org.junit.jupiter.api.Test;

/** The reconciler sees every row in flight, however many finished rows the table holds. */
class ReconcilerScaleTest {

    private static final int FINISHED = 5_000;

    @Test
    void threeStuckRowsBehindFiveThousandNewerFailedRowsAreRepairedWithinTwoPasses() throws SQLException {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.POSTGRES, false)) {
            // Three builds whose JobRunr jobs are gone: QUEUED rows nothing would ever run.
            List<UUID> stuck = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                UUID buildId = pipeline.queue.build(BuildRequest.of("stuck-" + i,
                        BuildPipelineContract.TEMPLATE.formatted("plain"), List.of("ec2")));
                UUID jobId = pipeline.queue.status(buildId).target("ec2").jobId();
                pipeline.jobRunr.deletePermanently(jobId);
                stuck.add(jobId);
            }
            // Then 5,000 FAILED rows, all more recently updated than the stuck ones.
            try (Connection connection = pipeline.db.dataSource().getConnection();
                 Statement statement = connection.createStatement()) {
                UUID request = UUID.randomUUID();
                statement.execute("insert into buildq_request (id, image_id, image_name, template, fingerprint, created_at) "
                        + "values ('" + request + "', gen_random_uuid(), 'finished', '<template/>', 'f', now())");
                statement.execute("insert into buildq_job (id, request_id, kind, target, status, percent, error, attempt, "
                        + "jobrunr_job_id, created_at, updated_at, version, account_identifier) "
                        + "select gen_random_uuid(), '" + request + "', 'BUILD', 'ec2', 'FAILED', 0, 'old failure', 1, "
                        + "gen_random_uuid(), now(), now() + interval '1 minute', 0, 'row-' || n "
                        + "from generate_series(1, " + FINISHED + ") as n");
            }
            assertThat(pipeline.db.count("select count(*) from buildq_job where status = 'FAILED'")).isEqualTo(FINISHED);
            JobReconciler reconciler = pipeline.reconciler();

            int passes = 0;
            while (passes < 2 && !stuck.stream().allMatch(id -> hasJob(pipeline, id))) {
                reconciler.run();
                passes++;
            }

            long repaired = stuck.stream().filter(id -> hasJob(pipeline, id)).count();
            System.out.printf("reconciler with %,d finished rows and 3 stuck rows: repaired=%d within %d passes%n",
                    FINISHED, repaired, passes);
            assertThat(repaired).isEqualTo(3);
        }
    }

    private static boolean hasJob(Pipeline pipeline, UUID jobId) {
        try {
            return pipeline.jobRunr.getJobById(jobId) != null;
        } catch (JobNotFoundException e) {
            return false;
        }
    }
}
