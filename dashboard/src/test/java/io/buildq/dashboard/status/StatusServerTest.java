package io.buildq.dashboard.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.JobStore;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.push.ProviderAccount;
import io.buildq.secret.CredentialCipher;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import io.buildq.status.BuildQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The status page and its JSON API over HTTP, with no worker: rows as enqueued, actions as refused or done. */
class StatusServerTest {

    private static final String TEMPLATE = "<template><name>t</name></template>";
    private final ObjectMapper json = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient.Builder().followRedirects(false).build();
    private TestDatabase db;
    private BuildQueue queue;
    private StatusServer status;
    private String base;

    void start(TestDatabase.Kind kind) {
        db = TestDatabase.create(kind);
        new BuildqMigrations(db.dataSource()).migrate();
        queue = BuildQueue.create(db.dataSource());
        status = StatusServer.start(queue, DashboardSettings.loopback(0), "http://127.0.0.1:8000");
        base = "http://127.0.0.1:" + status.port();
    }

    @BeforeEach
    void h2ByDefault() {
        start(TestDatabase.Kind.H2);
    }

    @AfterEach
    void stop() {
        status.close();
        queue.close();
        db.close();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void theApiListsFiltersCancelsAndRefusesWhatAJobsStatusForbids(TestDatabase.Kind kind) throws IOException {
        stop();
        start(kind);
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2", "rhevm")));
        UUID ec2 = queue.status(build).target("ec2").jobId();

        JsonNode all = get("/api/builds");
        assertThat(all).hasSize(2);
        assertThat(all.get(0).get("image").asText()).isEqualTo("web");
        assertThat(get("/api/builds?target=ec2")).hasSize(1);
        assertThat(get("/api/builds?status=failed")).isEmpty();

        try (Response cancelled = post("/api/builds/" + ec2 + "/cancel", true)) {
            assertThat(cancelled.code()).isEqualTo(200);
            assertThat(json.readTree(cancelled.body().string()).get("status").asText()).isEqualTo("CANCELLED");
        }
        try (Response refused = post("/api/builds/" + ec2 + "/retry", true)) {
            assertThat(refused.code()).isEqualTo(409);
            assertThat(json.readTree(refused.body().string()).get("error").asText()).isEqualTo("JobNotRetryableException");
        }
        JsonNode one = get("/api/builds/" + ec2);
        assertThat(one.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(one.get("history")).hasSize(2);
        try (Response unknown = post("/api/builds/" + UUID.randomUUID() + "/cancel", true)) {
            assertThat(unknown.code()).isEqualTo(404);
        }
    }

    @Test
    void aRebindingPageReadsNoBuildAndRetriesNone() throws IOException {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        UUID job = queue.status(build).target("ec2").jobId();
        String evil = "evil.example:" + status.port();

        // The reproduction: Host and Origin both the attacker's name, X-Requested-By set.
        try (Response cancel = http.newCall(new Request.Builder().url(base + "/api/builds/" + job + "/cancel")
                .header("Host", evil).header("Origin", "http://" + evil).header("X-Requested-By", "x")
                .post(RequestBody.create(new byte[0])).build()).execute()) {
            assertThat(cancel.code()).isEqualTo(400);
        }
        try (Response list = http.newCall(new Request.Builder().url(base + "/api/builds").header("Host", evil).build())
                .execute()) {
            assertThat(list.code()).isEqualTo(400);
            assertThat(list.body().string()).doesNotContain(job.toString());
        }
        // A loopback Host with the attacker's Origin: the Origin is compared with the names served.
        try (Response cancel = http.newCall(new Request.Builder().url(base + "/api/builds/" + job + "/cancel")
                .header("Host", "127.0.0.1:" + status.port()).header("Origin", "http://" + evil)
                .header("X-Requested-By", "x").post(RequestBody.create(new byte[0])).build()).execute()) {
            assertThat(cancel.code()).isEqualTo(403);
        }
        assertThat(queue.status(build).target("ec2").status().name()).isEqualTo("QUEUED");
    }

    @Test
    void stateChangingRequestsFromAnotherSiteAreRefused() throws IOException {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        UUID job = queue.status(build).target("ec2").jobId();

        try (Response noHeader = post("/api/builds/" + job + "/cancel", false)) {
            assertThat(noHeader.code()).isEqualTo(403);
        }
        try (Response noToken = http.newCall(new Request.Builder().url(base + "/builds/" + job + "/cancel")
                .post(new FormBody.Builder().add("csrf", "guess").build()).build()).execute()) {
            assertThat(noToken.code()).isEqualTo(403);
        }
        try (Response otherOrigin = http.newCall(new Request.Builder().url(base + "/api/builds/" + job + "/cancel")
                .header("X-Requested-By", "x").header("Origin", "http://evil.example")
                .post(RequestBody.create(new byte[0])).build()).execute()) {
            assertThat(otherOrigin.code()).isEqualTo(403);
        }
        assertThat(queue.status(build).target("ec2").status().name()).isEqualTo("QUEUED");

        // The page's own form, with its token, works and goes back to the list.
        String page = body("/builds");
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(page);
        assertThat(token.find()).isTrue();
        try (Response form = http.newCall(new Request.Builder().url(base + "/builds/" + job + "/cancel")
                .post(new FormBody.Builder().add("csrf", token.group(1)).build()).build()).execute()) {
            assertThat(form.code()).isEqualTo(303);
            assertThat(form.header("Location")).isEqualTo("/builds");
        }
        assertThat(queue.status(build).target("ec2").status().name()).isEqualTo("CANCELLED");
    }

    @Test
    void thePageMayRunOnlyItsOwnScriptAndNoSiteMayFrameIt() throws Exception {
        try (Response page = http.newCall(new Request.Builder().url(base + "/builds").build()).execute()) {
            String html = page.body().string();
            Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
            assertThat(script.find()).isTrue();
            String hash = Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(script.group(1).getBytes(java.nio.charset.StandardCharsets.UTF_8)));

            assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'")
                    .contains("script-src 'sha256-" + hash + "'").contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-eval").doesNotContain("script-src 'unsafe-inline'");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
    }

    @Test
    void aFormActionWithAMalformedRefererIsDoneAndAnsweredAsDone() throws IOException {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        UUID job = queue.status(build).target("ec2").jobId();
        Matcher token = Pattern.compile("name=\"csrf\" value=\"([0-9a-f]+)\"").matcher(body("/builds"));
        assertThat(token.find()).isTrue();

        try (Response form = http.newCall(new Request.Builder().url(base + "/builds/" + job + "/cancel")
                .header("Referer", "http://127.0.0.1/builds?image=a b|%zz\\")
                .post(new FormBody.Builder().add("csrf", token.group(1)).build()).build()).execute()) {
            assertThat(form.code()).as("the cancel happened; the answer says so").isEqualTo(303);
            assertThat(form.header("Location")).isEqualTo("/builds");
        }
        assertThat(queue.status(build).target("ec2").status().name()).isEqualTo("CANCELLED");
    }

    @Test
    void thePageEscapesWhatUsersAndFactoryWroteAndDisablesActionsThatDoNotApply() throws IOException {
        UUID build = queue.build(BuildRequest.of("<script>alert(1)</script>", TEMPLATE, List.of("ec2")));
        UUID job = queue.status(build).target("ec2").jobId();

        String page = body("/builds");

        assertThat(page).doesNotContain("<script>alert(1)</script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(page).contains("href=\"http://127.0.0.1:8000/dashboard/jobs/" + job + "\"");
        assertThat(page).containsPattern("action=\"/builds/" + job + "/retry\".*?<button type=\"submit\" class=\"retry\" disabled>");
        assertThat(page).containsPattern("action=\"/builds/" + job + "/cancel\".*?<button type=\"submit\" class=\"cancel\">");
        assertThat(body("/builds/rows?status=FAILED")).contains("No builds match.");
    }

    @Test
    void buildsAreGroupedByImageAndBuildCountedByStateAndPagedWithTheFiltersKept() throws IOException {
        List<UUID> web = new ArrayList<>();
        for (int i = 0; i < 27; i++) {
            web.add(queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2", "rhevm"))));
        }
        UUID db = queue.build(BuildRequest.of("db", TEMPLATE, List.of("ec2")));
        queue.cancel(queue.status(web.get(0)).target("rhevm").jobId());

        String first = body("/builds");
        // Newest first: db's build under its own image heading, then web's, each build with its targets.
        assertThat(first).containsPattern("(?s)<tr class=\"image\"><th colspan=\"9\">db</th></tr><tr class=\"build\" id=\"build-"
                + db + "\">.*?1 target: 1 QUEUED.*?<tr class=\"image\"><th colspan=\"9\">web</th></tr>");
        assertThat(first).containsPattern("(?s)id=\"build-" + web.get(26) + "\".*?2 targets: 2 QUEUED</td></tr>"
                + "<tr id=\"job-[0-9a-f-]{36}\" class=\"job target\"[^>]*><td>web</td><td><a [^>]*>build ec2</a>");
        assertThat(first).contains("QUEUED 54</a>").contains("CANCELLED 1</a>");
        assertThat(count(first, "<tr class=\"build\"")).isEqualTo(BuildQuery.DEFAULT_PAGE_SIZE);
        assertThat(first).contains("<a rel=\"next\" href=\"/builds?page=2\">older →</a>").doesNotContain("rel=\"prev\"");

        String second = body("/builds?page=2");
        assertThat(count(second, "<tr class=\"build\"")).isEqualTo(28 - BuildQuery.DEFAULT_PAGE_SIZE);
        assertThat(second).contains("id=\"build-" + web.get(0) + "\"").doesNotContain("rel=\"next\"")
                .contains("<a rel=\"prev\" href=\"/builds\">← newer</a>");

        String cancelled = body("/builds?status=CANCELLED&image=web");
        assertThat(count(cancelled, "<tr class=\"build\"")).isEqualTo(1);
        assertThat(cancelled).contains("id=\"build-" + web.get(0) + "\"")
                .contains("href=\"/builds?status=FAILED&amp;image=web\"")
                .contains("<option selected>CANCELLED</option>");
        try (Response bad = http.newCall(new Request.Builder().url(base + "/builds?page=0").build()).execute()) {
            assertThat(bad.code()).isEqualTo(400);
        }
    }

    @Test
    void aBuildsPageShowsEachJobsHistoryAsATimelineAndLinksItsJobRunrJob() throws IOException {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        UUID job = queue.status(build).target("ec2").jobId();
        queue.cancel(job);

        String page = body("/builds/" + build);

        assertThat(page).contains("href=\"http://127.0.0.1:8000/dashboard/jobs/" + job + "\"")
                .containsPattern("(?s)<ol class=\"timeline\"><li class=\"QUEUED\"><time datetime=\"[^\"]+\" title=\"[^\"]+ UTC\">"
                        + "just now</time> <b>QUEUED</b>.*?<li class=\"CANCELLED\">.*?<b>CANCELLED</b>");
        assertThat(body("/builds/" + build + "/live")).startsWith("<section id=\"job-" + job + "\">");
        try (Response missing = http.newCall(new Request.Builder().url(base + "/builds/" + UUID.randomUUID()).build())
                .execute()) {
            assertThat(missing.code()).isEqualTo(404);
        }
    }

    @Test
    void theEventStreamSaysWhenAJobChanges() throws Exception {
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        OkHttpClient streaming = http.newBuilder().readTimeout(Duration.ofSeconds(30)).build();
        try (Response events = streaming.newCall(new Request.Builder().url(base + "/builds/events").build()).execute()) {
            assertThat(events.header("Content-Type")).startsWith("text/event-stream");
            okio.BufferedSource stream = events.body().source();
            assertThat(stream.readUtf8Line()).isEqualTo("retry: 2000");
            assertThat(stream.readUtf8Line()).isEqualTo(": connected");

            queue.cancel(queue.status(build).target("ec2").jobId());

            String line;
            do {
                line = stream.readUtf8Line(); // bounded by the read timeout
            } while (line != null && !line.equals("event: change"));
            assertThat(line).isEqualTo("event: change");
            assertThat(stream.readUtf8Line()).matches("data: \\d+");
        }
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aRunningBuildFactoryReportsNoPercentageForShowsAnEstimateLabelledAsOne() throws IOException {
        for (int seconds : new int[] {600, 600, 600}) {
            UUID done = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
            db.execute("update buildq_job set status = 'COMPLETE', percent = 100, finished_at = CURRENT_TIMESTAMP, "
                    + "factory_started_at = CURRENT_TIMESTAMP - INTERVAL '" + seconds + "' SECOND where request_id = '"
                    + done + "'");
        }
        UUID build = queue.build(BuildRequest.of("web", TEMPLATE, List.of("ec2")));
        UUID job = queue.status(build).target("ec2").jobId();
        db.execute("update buildq_job set status = 'RUNNING', started_at = CURRENT_TIMESTAMP, "
                + "factory_started_at = CURRENT_TIMESTAMP - INTERVAL '150' SECOND where id = '" + job + "'");

        String row = body("/builds").replaceAll("(?s).*(<tr id=\"job-" + job + "\".*?</tr>).*", "$1");

        assertThat(row).contains("<span class=\"bar estimate\"><span style=\"width:25%\">")
                .contains("~25%")
                .contains("estimate: 3 recent ec2 builds of this template took 10 min (median)");
    }

    @Test
    void aPushThatFailedWithItsBuildOffersNoRetryButItsBuildDoes() throws IOException {
        UUID build;
        try (BuildQueue keyed = BuildQueue.builder(db.dataSource())
                .credentialCipher(CredentialCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[32]))).build()) {
            build = keyed.buildAndPush(BuildRequest.of("web", TEMPLATE, List.of("ec2")), List.of(new ProviderAccount(
                    "ec2-us-east-1", "ec2", "p", "<provider_credentials><ec2_credentials><access_key>A</access_key>"
                    + "</ec2_credentials></provider_credentials>")));
        }
        UUID buildJob = queue.status(build).target("ec2").jobId();
        UUID pushJob = queue.status(build).push("ec2-us-east-1").jobId();
        // What a worker does when factory fails the build: the build FAILED, its push with it.
        try (JobStore store = JobStore.open(db.dataSource(), Clock.systemUTC())) {
            store.change(buildJob, ChangeSource.TEST, row -> row.markRunning(store.now()));
            store.change(buildJob, ChangeSource.TEST, row -> row.markFailed(store.now(), "factory failed"));
            store.change(pushJob, ChangeSource.TEST, row -> row.failWithItsBuild(store.now()));
        }

        String page = body("/builds");

        assertThat(page).containsPattern("action=\"/builds/" + buildJob + "/retry\".*?<button type=\"submit\" class=\"retry\">");
        assertThat(page).containsPattern("action=\"/builds/" + pushJob + "/retry\".*?<button type=\"submit\" class=\"retry\" disabled>");
    }

    private JsonNode get(String path) throws IOException {
        return json.readTree(body(path));
    }

    private String body(String path) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(base + path).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            return response.body().string();
        }
    }

    private Response post(String path, boolean withHeader) throws IOException {
        Request.Builder request = new Request.Builder().url(base + path).post(RequestBody.create(new byte[0]));
        if (withHeader) {
            request.header("X-Requested-By", "test");
        }
        return http.newCall(request.build()).execute();
    }
}
