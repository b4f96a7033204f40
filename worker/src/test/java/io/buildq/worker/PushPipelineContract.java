package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.catalog.Catalog;
import io.buildq.catalog.CatalogState;
import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import io.buildq.sim.http.FaultSettings;
import io.buildq.status.BuildStatus;
import io.buildq.status.JobStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Pushes, build-and-push and the catalog, over real HTTP and a real database; once per database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PushPipelineContract {

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

    static ProviderAccount ec2(String region, String accessKey, String secret) {
        return new ProviderAccount("ec2-" + region, "ec2", "{\"name\": \"ec2-" + region + "\"}",
                "<provider_account><name>" + region + "</name><provider_credentials><ec2_credentials>"
                        + "<access_key>" + accessKey + "</access_key><secret_access_key>" + secret + "</secret_access_key>"
                        + "<account_number>1234-5678</account_number></ec2_credentials></provider_credentials></provider_account>");
    }

    static ProviderAccount rhevm(String name, String user, String password) {
        return new ProviderAccount(name, "rhevm", "{\"api-url\": \"https://rhevm.example/api\", \"cluster\": \"Default\"}",
                "<provider_credentials><rhevm_credentials><username>" + user + "</username><password>" + password
                        + "</password></rhevm_credentials></provider_credentials>");
    }

    @Test
    void buildAndPushForTwoTargetsAndTwoAccountsEachLeavesIwhdAsFactoryWouldAndTheSecretsNowhere() throws SQLException {
        String secret = "SECRET-" + UUID.randomUUID();
        List<ProviderAccount> accounts = List.of(
                ec2("us-east-1", "AKIAEAST", secret + "-1"), ec2("eu-west-1", "AKIAWEST", secret + "-2"),
                rhevm("rhevm-lab", "admin@lab", secret + "-3"), rhevm("rhevm-prod", "admin@prod", secret + "-4"));
        UUID buildId;
        BuildStatus status;
        try (CapturedLogs logs = new CapturedLogs()) {
            buildId = pipeline.queue.buildAndPush(BuildRequest.of("pushed", BuildPipelineContract.TEMPLATE.formatted("plain"),
                    List.of("ec2", "rhevm")), accounts);
            assertThat(pipeline.queue.status(buildId).pushes()).hasSize(4)
                    .allSatisfy(push -> assertThat(push.activity()).isEqualTo("Waiting for the build"));
            // While the pushes wait, their credentials are stored sealed: no table shows the secret.
            assertThat(pipeline.db.count("select count(*) from buildq_credentials")).isEqualTo(4);
            assertThat(tablesContaining(secret)).isEmpty();
            status = awaitFinished(buildId);

            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(secret));
        }
        assertThat(status.targets()).extracting(TargetStatus::status).containsOnly(JobStatus.COMPLETE);
        assertThat(status.pushes()).extracting(PushStatus::status).containsOnly(JobStatus.COMPLETE);
        for (PushStatus push : status.pushes()) {
            TargetStatus built = status.target(push.target());
            assertThat(push.buildJobId()).isEqualTo(built.jobId());
            Map<String, String> object = pipeline.iwhd.attributes("provider_images", push.factoryImageId()).orElseThrow();
            assertThat(object).containsEntry("uuid", push.factoryImageId())
                    .containsEntry("object_type", "provider_image")
                    .containsEntry("target_image", built.factoryImageId())
                    .containsEntry("provider", push.providerName())
                    .containsEntry("target_identifier", push.identifierOnProvider())
                    .containsEntry("provider_account_identifier", push.accountIdentifier())
                    .containsEntry("icicle", pipeline.iwhd.attributes("target_images", built.factoryImageId())
                            .orElseThrow().get("icicle"));
        }
        assertThat(status.push("ec2-us-east-1").identifierOnProvider()).startsWith("ami-");
        assertThat(status.push("ec2-us-east-1").accountIdentifier()).isEqualTo("AKIAEAST");
        // Pushes ending at once tell iwhd just after the last one's COMPLETE, not before it.
        await().atMost(BOUND).untilAsserted(() -> assertThat(pipeline.iwhd.attributes("images",
                status.imageId().toString()).orElseThrow())
                .containsEntry("latest_build", buildId.toString())
                .containsEntry("latest_unpushed", "None"));
        // Credentials are deleted once their push ended; nothing anywhere holds the secret.
        assertThat(pipeline.db.count("select count(*) from buildq_credentials")).isZero();
        assertThat(tablesContaining(secret)).isEmpty();
    }

    @Test
    void theCatalogPassesThroughEveryStateAsTheWorkHappens() {
        ProviderAccount account = ec2("ap-south-1", "AKIACAT", "catalog-secret");
        UUID imageId = UUID.randomUUID();
        BuildRequest request = BuildRequest.of("catalogued", BuildPipelineContract.TEMPLATE.formatted("plain"), List.of("ec2"))
                .withImageId(imageId);

        assertThat(state(imageId, account)).isEqualTo(CatalogState.NOT_BUILT);
        assertThat(pipeline.queue.catalog(imageId, List.of(account)).targetsToBuild()).containsExactly("ec2");

        UUID buildId = pipeline.queue.build(request);
        assertThat(state(imageId, account)).isEqualTo(CatalogState.BUILDING);

        awaitFinished(buildId);
        Catalog built = pipeline.queue.catalog(imageId, List.of(account));
        assertThat(built.entry("ec2-ap-south-1").state()).isEqualTo(CatalogState.NOT_PUSHED);
        assertThat(built.latestBuildId()).isEqualTo(buildId.toString());
        assertThat(built.accountsToPush()).hasSize(1);

        pipeline.queue.push(new PushRequest(buildId, List.of(account)));
        assertThat(state(imageId, account)).isEqualTo(CatalogState.PUSHING);

        BuildStatus pushed = awaitFinished(buildId);
        Catalog done = pipeline.queue.catalog(imageId, List.of(account));
        assertThat(done.entry("ec2-ap-south-1").state()).isEqualTo(CatalogState.PUSHED);
        assertThat(done.entry("ec2-ap-south-1").targetIdentifier()).isEqualTo(pushed.push("ec2-ap-south-1").identifierOnProvider());
        assertThat(done.targetsToBuild()).isEmpty();
        assertThat(done.accountsToPush()).isEmpty();
        // Another account of the same target is built for but not pushed to.
        assertThat(state(imageId, ec2("ap-south-2", "AKIAOTHER", "x"))).isEqualTo(CatalogState.NOT_PUSHED);
    }

    @Test
    void aBuildWithOneFailedTargetLeavesTheImageAttributesAloneYetTheCatalogShowsWhatCompleted() {
        UUID imageId = UUID.randomUUID();
        ProviderAccount ec2 = ec2("ca-central-1", "AKIAHALF", "half-secret");
        ProviderAccount rhevm = rhevm("rhevm-half", "admin@half", "half-secret");
        UUID buildId = pipeline.queue.buildAndPush(BuildRequest.of("half", BuildPipelineContract.TEMPLATE.formatted(
                "simulate-failure:rhevm"), List.of("ec2", "rhevm")).withImageId(imageId), List.of(ec2, rhevm));

        BuildStatus status = awaitFinished(buildId);

        assertThat(status.push("ec2-ca-central-1").status()).isEqualTo(JobStatus.COMPLETE);
        // As factory v1 left it (Q10): neither latest_unpushed nor latest_build names a half-failed build.
        assertThat(pipeline.iwhd.attributes("images", imageId.toString()).orElseThrow())
                .doesNotContainKeys("latest_unpushed", "latest_build");
        Catalog catalog = pipeline.queue.catalog(imageId, List.of(ec2, rhevm));
        assertThat(catalog.latestBuildId()).isEqualTo(buildId.toString());
        assertThat(catalog.entry("ec2-ca-central-1").state()).isEqualTo(CatalogState.PUSHED);
        assertThat(catalog.entry("rhevm-half").state()).isEqualTo(CatalogState.NOT_BUILT);
        assertThat(catalog.targetsToBuild()).containsExactly("rhevm");
    }

    @Test
    void aFailedBuildFailsItsPushesWithTheReasonAndOnceRetriedAndCompleteTheyRun() {
        pipeline.factory.faults().set(FaultSettings.none().withBuildFailureRate(1.0));
        UUID buildId;
        try {
            buildId = pipeline.queue.buildAndPush(BuildRequest.of("flaky", BuildPipelineContract.TEMPLATE.formatted("plain"),
                    List.of("ec2")), List.of(ec2("sa-east-1", "AKIARETRY", "retry-secret")));
            BuildStatus failed = awaitFinished(buildId);
            assertThat(failed.target("ec2").status()).isEqualTo(JobStatus.FAILED);
            PushStatus push = failed.push("ec2-sa-east-1");
            assertThat(push.status()).isEqualTo(JobStatus.FAILED);
            assertThat(push.error()).isEqualTo("build failed");
            assertThat(pipeline.db.count("select count(*) from buildq_credentials where job_id = '" + push.jobId() + "'"))
                    .as("a push that failed with its build keeps its credentials for the retry").isEqualTo(1);
        } finally {
            pipeline.factory.faults().set(FaultSettings.none());
        }
        UUID buildJob = pipeline.queue.status(buildId).target("ec2").jobId();
        await().atMost(BOUND).until(() -> pipeline.jobRunrState(buildJob) == StateName.FAILED);

        pipeline.requeueInJobRunr(buildJob);

        await().atMost(BOUND).until(() -> pipeline.queue.status(buildId).target("ec2").status() == JobStatus.COMPLETE
                && pipeline.queue.status(buildId).isFinished());
        BuildStatus retried = pipeline.queue.status(buildId);
        assertThat(retried.target("ec2").attempt()).isEqualTo(2);
        assertThat(retried.push("ec2-sa-east-1").status()).isEqualTo(JobStatus.COMPLETE);
        assertThat(retried.push("ec2-sa-east-1").attempt()).isEqualTo(2);
        assertThat(retried.push("ec2-sa-east-1").error()).isNull();
    }

    private CatalogState state(UUID imageId, ProviderAccount account) {
        return pipeline.queue.catalog(imageId, List.of(account)).entries().get(0).state();
    }

    private BuildStatus awaitFinished(UUID buildId) {
        await().atMost(BOUND).pollInterval(Duration.ofMillis(100)).until(() -> pipeline.queue.status(buildId).isFinished());
        return pipeline.queue.status(buildId);
    }

    /** Every table (buildq's and JobRunr's) whose rows, read as text, contain the value. */
    private List<String> tablesContaining(String value) throws SQLException {
        List<String> hits = new ArrayList<>();
        try (Connection connection = pipeline.db.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : List.of("buildq_request", "buildq_job", "buildq_job_history", "buildq_credentials",
                    "jobrunr_jobs", "jobrunr_recurring_jobs", "jobrunr_metadata")) {
                try (ResultSet rows = statement.executeQuery("select * from " + table)) {
                    int columns = rows.getMetaData().getColumnCount();
                    while (rows.next()) {
                        for (int column = 1; column <= columns; column++) {
                            String text = rows.getString(column);
                            if (text != null && text.contains(value)) {
                                hits.add(table);
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }
}
