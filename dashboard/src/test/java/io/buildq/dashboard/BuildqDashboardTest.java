package io.buildq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BuildqDashboardTest {

    private final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void servesJobRunrsDashboardAndApiOnLoopbackWithAnEnqueuedBuild(TestDatabase.Kind kind) throws IOException {
        try (TestDatabase db = TestDatabase.create(kind)) {
            UUID jobId = migratedWithOneBuild(db);
            try (BuildqDashboard dashboard = BuildqDashboard.start(db.dataSource(), DashboardSettings.loopback(0))) {
                assertThat(dashboard.address().getAddress().isLoopbackAddress()).isTrue();
                String base = "http://127.0.0.1:" + dashboard.port();
                try (Response root = get(base + "/", null)) {
                    assertThat(root.code()).isEqualTo(302);
                    assertThat(root.header("Location")).isEqualTo("/dashboard");
                }
                try (Response page = get(base + "/dashboard", null)) {
                    assertThat(page.code()).isEqualTo(200);
                    assertThat(page.body().string()).containsIgnoringCase("<html");
                }
                try (Response jobs = get(base + "/api/jobs?state=ENQUEUED", null)) {
                    assertThat(jobs.code()).isEqualTo(200);
                    assertThat(jobs.body().string()).contains(jobId.toString()).contains("Build web for ec2");
                }
            }
        }
    }

    @Test
    void withCredentialsEveryPageButTheRedirectAsksForThem() throws IOException {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            new BuildqMigrations(db.dataSource()).migrate();
            DashboardSettings settings = new DashboardSettings("127.0.0.1", 0, "ops", "s3cret");
            try (BuildqDashboard dashboard = BuildqDashboard.start(db.dataSource(), settings)) {
                String base = "http://127.0.0.1:" + dashboard.port();
                assertThat(get(base + "/dashboard", null).code()).isEqualTo(401);
                assertThat(get(base + "/api/jobs?state=FAILED", Credentials.basic("ops", "wrong")).code()).isEqualTo(401);
                assertThat(get(base + "/api/jobs?state=FAILED", Credentials.basic("ops", "s3cret")).code()).isEqualTo(200);
                assertThat(get(base + "/", null).code()).isEqualTo(302);
            }
        }
    }

    @Test
    void jobRunrsApiRefusesAStateChangeFromAnotherSite() throws IOException {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            UUID jobId = migratedWithOneBuild(db);
            try (BuildqDashboard dashboard = BuildqDashboard.start(db.dataSource(), DashboardSettings.loopback(0))) {
                String url = "http://127.0.0.1:" + dashboard.port() + "/api/jobs/" + jobId;
                try (Response crossSite = http.newCall(new Request.Builder().url(url).delete()
                        .header("Origin", "http://evil.example").build()).execute()) {
                    assertThat(crossSite.code()).isEqualTo(403);
                }
                try (Response job = get(url, null)) {
                    assertThat(job.body().string()).contains("\"state\":\"ENQUEUED\"");
                }
                try (Response sameSite = http.newCall(new Request.Builder().url(url).delete()
                        .header("Origin", "http://127.0.0.1:" + dashboard.port()).build()).execute()) {
                    assertThat(sameSite.code()).isLessThan(300);
                }
            }
        }
    }

    @Test
    void aRebindingPageReadsNothingAndRequeuesNothing() throws IOException {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            UUID jobId = migratedWithOneBuild(db);
            try (BuildqDashboard dashboard = BuildqDashboard.start(db.dataSource(), DashboardSettings.loopback(0))) {
                String url = "http://127.0.0.1:" + dashboard.port() + "/api/jobs/" + jobId;
                String evil = "evil.example:" + dashboard.port();
                // evil.example re-pointed at 127.0.0.1: the browser sends its own name as Host and Origin.
                try (Response read = getNaming(url, evil)) {
                    assertThat(read.code()).isEqualTo(400);
                    assertThat(read.body().string()).doesNotContain(jobId.toString()).contains("--host-name");
                }
                try (Response delete = http.newCall(new Request.Builder().url(url).delete().header("Host", evil)
                        .header("Origin", "http://" + evil).build()).execute()) {
                    assertThat(delete.code()).isEqualTo(400);
                }
                try (Response job = get(url, null)) {
                    assertThat(job.body().string()).contains("\"state\":\"ENQUEUED\"");
                }
                try (Response localhost = getNaming(url, "localhost:" + dashboard.port())) {
                    assertThat(localhost.code()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void aNameTheOperatorConfiguredIsServed() throws IOException {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            new BuildqMigrations(db.dataSource()).migrate();
            DashboardSettings settings = new DashboardSettings("127.0.0.1", 0, null, null, List.of("Ops.Example.Org"));
            try (BuildqDashboard dashboard = BuildqDashboard.start(db.dataSource(), settings)) {
                String url = "http://127.0.0.1:" + dashboard.port() + "/api/jobs?state=FAILED";
                try (Response named = getNaming(url, "ops.example.org:" + dashboard.port())) {
                    assertThat(named.code()).isEqualTo(200);
                }
                try (Response other = getNaming(url, "other.example.org:" + dashboard.port())) {
                    assertThat(other.code()).isEqualTo(400);
                }
            }
        }
    }

    @Test
    void aRequeueOfAJobThatHasNotFailedIsAConflictNamingItsStateNotAStackTrace() throws IOException {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            UUID jobId = migratedWithOneBuild(db);
            try (BuildqDashboard dashboard = BuildqDashboard.start(db.dataSource(), DashboardSettings.loopback(0))) {
                String url = "http://127.0.0.1:" + dashboard.port() + "/api/jobs/" + jobId + "/requeue";
                try (Response requeue = http.newCall(new Request.Builder().url(url)
                        .post(okhttp3.RequestBody.create(new byte[0])).build()).execute()) {
                    String body = requeue.body().string();
                    assertThat(requeue.code()).as(body).isEqualTo(409);
                    assertThat(body).contains("ENQUEUED").doesNotContain("\tat ").doesNotContain("Exception");
                }
            }
        }
    }

    @Test
    void refusesToListenBeyondLoopbackWithoutAPassword() {
        assertThatThrownBy(() -> new DashboardSettings("0.0.0.0", 8000, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BUILDQ_DASHBOARD_PASSWORD");
    }

    /** Migrates the database and enqueues one build of "web" for ec2; returns its job's id. */
    private static UUID migratedWithOneBuild(TestDatabase db) {
        new BuildqMigrations(db.dataSource()).migrate();
        try (BuildQueue queue = BuildQueue.create(db.dataSource())) {
            UUID build = queue.build(BuildRequest.of("web", "<template><name>web</name></template>", List.of("ec2")));
            return queue.status(build).target("ec2").jobId();
        }
    }

    /** A GET whose Host header names {@code host}, as a browser sends it for a page on that name. */
    private Response getNaming(String url, String host) throws IOException {
        return http.newCall(new Request.Builder().url(url).header("Host", host).build()).execute();
    }

    private Response get(String url, String authorization) throws IOException {
        Request.Builder request = new Request.Builder().url(url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.newCall(request.build()).execute();
    }
}
