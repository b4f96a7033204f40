package io.buildq.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a user sees of a build real factory reports 0 % for: an estimate from the durations of
 * recent completed builds, of the same template when there are enough, and factory's own figure
 * as soon as it sends one.
 */
class ProgressEstimateTest {

    private static final String WEB = Templates.fedora16("web");
    private static final String DB = Templates.fedora16("db");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aRunningBuildFactoryReportsNothingForShowsAnEstimateFromRecentBuilds(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            new BuildqMigrations(db.dataSource()).migrate();
            try (BuildQueue queue = BuildQueue.create(db.dataSource())) {
                // Three web builds for ec2 took 80, 100 and 300 s on factory (median 100 s); two db
                // builds took 1000 s; an rhevm build says nothing of ec2.
                completed(db, queue, WEB, "ec2", 80);
                completed(db, queue, WEB, "ec2", 100);
                completed(db, queue, WEB, "ec2", 300);
                completed(db, queue, DB, "ec2", 1000);
                completed(db, queue, DB, "ec2", 1000);
                completed(db, queue, WEB, "rhevm", 5);

                UUID web = running(db, queue, WEB, "ec2", 50);
                ProgressEstimate estimate = queue.status(web).target("ec2").estimate();
                assertThat(estimate).isEqualTo(new ProgressEstimate(50, 3, 100, true, false));
                assertThat(estimate.basis("ec2"))
                        .isEqualTo("estimate: 3 recent ec2 builds of this template took 2 min (median)");
                assertThat(queue.jobs(JobQuery.all()).stream().filter(job -> job.buildId().equals(web)).findFirst()
                        .orElseThrow().estimate()).as("the status page's line").isEqualTo(estimate);

                // Two db builds are too few: the median of all five ec2 builds (300 s), not of the template.
                UUID other = running(db, queue, DB, "ec2", 150);
                assertThat(queue.status(other).target("ec2").estimate())
                        .isEqualTo(new ProgressEstimate(50, 5, 300, false, false));

                // Past the median it stays below 100 and says so.
                UUID slow = running(db, queue, WEB, "ec2", 400);
                assertThat(queue.status(slow).target("ec2").estimate())
                        .isEqualTo(new ProgressEstimate(99, 3, 100, true, true));

                // Factory's own percentage, once it sends one, replaces the estimate.
                db.execute("update buildq_job set percent = 30 where request_id = '" + web + "'");
                assertThat(queue.status(web).target("ec2").estimate()).isNull();
                assertThat(queue.status(web).target("ec2").percent()).isEqualTo(30);

                // A target with too few completed builds gets none; nor does a finished build.
                UUID rhevm = running(db, queue, WEB, "rhevm", 1);
                assertThat(queue.status(rhevm).target("rhevm").estimate()).isNull();
                assertThat(queue.jobs(JobQuery.all()).stream().filter(job -> job.status() == JobStatus.COMPLETE))
                        .allSatisfy(job -> assertThat(job.estimate()).isNull());
            }
        }
    }

    private static void completed(TestDatabase db, BuildQueue queue, String template, String target, int seconds) {
        UUID build = queue.build(BuildRequest.of("image", template, List.of(target)));
        db.execute("update buildq_job set status = 'COMPLETE', percent = 100, started_at = CURRENT_TIMESTAMP, "
                + "factory_started_at = CURRENT_TIMESTAMP - INTERVAL '" + seconds + "' SECOND, "
                + "finished_at = CURRENT_TIMESTAMP where request_id = '" + build + "'");
    }

    private static UUID running(TestDatabase db, BuildQueue queue, String template, String target, int seconds) {
        UUID build = queue.build(BuildRequest.of("image", template, List.of(target)));
        db.execute("update buildq_job set status = 'RUNNING', percent = 0, started_at = CURRENT_TIMESTAMP, "
                + "factory_started_at = CURRENT_TIMESTAMP - INTERVAL '" + seconds + "' SECOND where request_id = '"
                + build + "'");
        return build;
    }
}
