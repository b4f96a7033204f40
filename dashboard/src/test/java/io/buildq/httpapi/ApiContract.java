package io.buildq.httpapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import io.buildq.testing.Templates;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route of the HTTP API over real HTTP, on each database, every answer checked against
 * {@code /v1/openapi.json}; no worker runs, so rows stay as the API left them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiContract {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String CREDENTIALS = "<provider_credentials><ec2_credentials><access_key>AKIA-API-TEST</access_key>"
            + "<secret_access_key>SECRET-NEVER-SHOWN</secret_access_key></ec2_credentials></provider_credentials>";

    private final ObjectMapper json = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient();
    private final OpenApiDocument document = new OpenApiDocument();
    private TestDatabase db;
    private BuildQueue queue;
    private ApiServer server;
    private IwhdSimulator iwhd;
    private ApiTokens tokens;
    private String base;
    private String token;

    abstract TestDatabase.Kind kind();

    /** The test methods that ran: the coverage check below applies when all of them did. */
    private final java.util.Set<String> ran = new java.util.HashSet<>();

    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) {
        test.getTestMethod().ifPresent(method -> ran.add(method.getName()));
        db = TestDatabase.create(kind());
        new BuildqMigrations(db.dataSource()).migrate();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        iwhd = IwhdSimulator.builder().start();
        CredentialCipher cipher = CredentialCipher.fromBase64(Base64.getEncoder().encodeToString(key));
        queue = BuildQueue.builder(db.dataSource()).credentialCipher(cipher).iwhd(iwhd.baseUrl()).build();
        tokens = new ApiTokens(db.dataSource(), Clock.systemUTC());
        token = tokens.create("conductor");
        server = ApiServer.start(queue, db.dataSource(), cipher, DashboardSettings.loopback(0));
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
        queue.close();
        iwhd.close();
        db.close();
    }

    @AfterAll
    void everyRouteOfTheDocumentWasAnswered() {
        java.util.Set<String> tests = Stream.of(ApiContract.class.getDeclaredMethods())
                .filter(method -> method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(ParameterizedTest.class))
                .map(java.lang.reflect.Method::getName)
                .collect(java.util.stream.Collectors.toSet());
        if (ran.containsAll(tests)) { // not when a developer runs one test
            assertThat(document.answered()).as("routes these tests called")
                    .containsExactlyInAnyOrderElementsOf(document.routes());
        }
    }

    @Test
    void probesAnswerWithoutATokenOrAServedHostName() throws IOException {
        Consumer<Request.Builder> asAProbe = request -> request.removeHeader("Authorization").header("Host", "10.0.0.7:8081");
        Answer live = call("GET /health/live", "GET", "/health/live", null, asAProbe);
        Answer ready = call("GET /health/ready", "GET", "/health/ready", null, asAProbe);

        assertThat(live.status()).isEqualTo(200);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().at("/checks/database").asText()).isEqualTo("ok");
    }

    @Test
    void theDocumentIsServedWithoutATokenAndIsOpenApi31() throws IOException {
        Answer answer = call("GET /v1/openapi.json", "GET", "/v1/openapi.json", null, request -> request.removeHeader("Authorization"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(answer.body().get("paths").size()).isEqualTo(document.tree().get("paths").size());
    }

    @Test
    void aBuildIsEnqueuedReadBackAndItsJobsHistoryShown() throws IOException {
        Answer created = call("POST /v1/builds", "POST", "/v1/builds", build("web-server", List.of("ec2", "rhevm")));

        assertThat(created.status()).isEqualTo(201);
        String buildId = created.body().get("buildId").asText();
        assertThat(created.header("Location")).isEqualTo("/v1/builds/" + buildId);
        assertThat(created.body().get("targets")).extracting(target -> target.get("status").asText())
                .containsOnly("QUEUED");

        Answer read = call("GET /v1/builds/{id}", "GET", "/v1/builds/" + buildId, null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("image").asText()).isEqualTo("web-server");
        assertThat(read.body().get("finished").asBoolean()).isFalse();

        String jobId = read.body().get("targets").get(0).get("jobId").asText();
        Answer job = call("GET /v1/jobs/{id}", "GET", "/v1/jobs/" + jobId, null);
        assertThat(job.status()).isEqualTo(200);
        assertThat(job.body().at("/job/buildId").asText()).isEqualTo(buildId);
        assertThat(job.body().get("history")).singleElement()
                .satisfies(entry -> assertThat(entry.get("source").asText()).isEqualTo("enqueue"));
    }

    @Test
    void theSameIdempotencyKeyGivesTheSameBuildAndAnotherRequestWithItIsAConflictNamingTheField() throws IOException {
        Consumer<Request.Builder> key = request -> request.header("Idempotency-Key", "conductor-image-42");
        Answer first = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2")), key);
        Answer again = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2")), key);
        Answer other = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("rhevm")), key);

        assertThat(again.body().get("buildId")).isEqualTo(first.body().get("buildId"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.body().get("type").asText()).isEqualTo("urn:buildq:problem:idempotency-key-conflict");
        assertThat(other.body().get("field").asText()).isEqualTo("idempotencyKey");
    }

    @Test
    void aBuildWithAccountsQueuesItsPushesAndNeverShowsTheCredentials() throws IOException {
        ObjectNode body = build("web", List.of("ec2"));
        body.putArray("accounts").addObject().put("providerName", "ec2-us-east-1").put("target", "ec2")
                .put("factoryProvider", "ec2-us-east-1").put("credentials", CREDENTIALS);

        Answer created = call("POST /v1/builds", "POST", "/v1/builds", body);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("pushes")).singleElement().satisfies(push -> {
            assertThat(push.get("providerName").asText()).isEqualTo("ec2-us-east-1");
            assertThat(push.get("accountIdentifier").asText()).isEqualTo("AKIA-API-TEST");
        });
        assertThat(created.raw()).doesNotContain("SECRET-NEVER-SHOWN");
    }

    @Test
    void aCompletedBuildIsPushedOnceToEachAccountAndAnIncompleteOneIsAConflict() throws IOException {
        JsonNode build = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2"))).body();
        String buildId = build.get("buildId").asText();
        ObjectNode pushes = json.createObjectNode();
        pushes.putArray("accounts").addObject().put("providerName", "ec2-us-east-1").put("target", "ec2")
                .put("factoryProvider", "ec2-us-east-1").put("credentials", CREDENTIALS);

        Answer early = call("POST /v1/builds/{id}/pushes", "POST", "/v1/builds/" + buildId + "/pushes", pushes);
        // What a worker writes when factory reports the build COMPLETE.
        db.execute("UPDATE buildq_job SET status = 'COMPLETE', factory_image_id = 'target-image-1', percent = 100"
                + " WHERE id = '" + build.at("/targets/0/jobId").asText() + "'");
        Answer pushed = call("POST /v1/builds/{id}/pushes", "POST", "/v1/builds/" + buildId + "/pushes", pushes);
        Answer again = call("POST /v1/builds/{id}/pushes", "POST", "/v1/builds/" + buildId + "/pushes", pushes);
        Answer unknown = call("POST /v1/builds/{id}/pushes", "POST",
                "/v1/builds/6d1f4c50-0000-4000-8000-000000000000/pushes", pushes);

        assertThat(early.status()).isEqualTo(409);
        assertThat(early.body().get("type").asText()).isEqualTo("urn:buildq:problem:build-not-complete");
        assertThat(pushed.status()).isEqualTo(201);
        assertThat(pushed.body().get("pushes")).singleElement()
                .satisfies(push -> assertThat(push.get("status").asText()).isEqualTo("QUEUED"));
        assertThat(again.body().get("pushes")).as("the same account, not pushed twice").hasSize(1);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(pushed.raw()).doesNotContain("SECRET-NEVER-SHOWN");
    }

    @Test
    void anAccountIsRegisteredByNameNeverShownWithItsCredentialsAndUsedForTheCatalog() throws IOException {
        ObjectNode account = json.createObjectNode().put("target", "ec2").put("factoryProvider", "ec2-us-east-1")
                .put("credentials", CREDENTIALS);
        Answer registered = call("PUT /v1/accounts/{name}", "PUT", "/v1/accounts/ec2-us-east-1", account);
        Answer replaced = call("PUT /v1/accounts/{name}", "PUT", "/v1/accounts/ec2-us-east-1", account);
        Answer invalid = call("PUT /v1/accounts/{name}", "PUT", "/v1/accounts/rhevm-lab",
                account.deepCopy().put("credentials", "<credentials/>"));
        Answer listed = call("GET /v1/accounts", "GET", "/v1/accounts", null);
        JsonNode build = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2"))).body();

        Answer catalog = call("GET /v1/images/{id}/catalog", "GET",
                "/v1/images/" + build.get("imageId").asText() + "/catalog?account=ec2-us-east-1", null);
        Answer unknown = call("GET /v1/images/{id}/catalog", "GET",
                "/v1/images/" + build.get("imageId").asText() + "/catalog?account=nobody", null);

        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.body().get("accountIdentifier").asText()).isEqualTo("AKIA-API-TEST");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().get("field").asText()).isEqualTo("accounts");
        assertThat(listed.body().get("accounts")).extracting(entry -> entry.get("name").asText())
                .containsExactly("ec2-us-east-1");
        assertThat(registered.raw() + replaced.raw() + listed.raw()).doesNotContain("SECRET-NEVER-SHOWN");
        assertThat(db.count("select count(*) from buildq_account where sealed like '%SECRET%'")).isZero();
        assertThat(catalog.status()).isEqualTo(200);
        assertThat(catalog.body().get("entries")).singleElement()
                .satisfies(entry -> assertThat(entry.get("state").asText()).isEqualTo("building"));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.body().get("field").asText()).isEqualTo("account");
    }

    @Test
    void ensureBuildsWhatTheAccountsNeedOnceAndAskedAgainEnqueuesNothing() throws IOException {
        for (String[] account : new String[][] {{"ec2-us-east-1", "ec2"}, {"rhevm-lab", "rhevm"}}) {
            call("PUT /v1/accounts/{name}", "PUT", "/v1/accounts/" + account[0], json.createObjectNode()
                    .put("target", account[1]).put("factoryProvider", account[0]).put("credentials", CREDENTIALS
                            .replace("ec2_credentials", account[1] + "_credentials")));
        }
        String imageId = "7c9e6679-7425-40de-944b-e07fc1f90ae7"; // made by Conductor in iwhd, never built
        ObjectNode body = json.createObjectNode().put("image", "web").put("template", Templates.fedora16("web"));
        body.putArray("accounts").add("ec2-us-east-1").add("rhevm-lab");

        Answer first = call("POST /v1/images/{id}/ensure", "POST", "/v1/images/" + imageId + "/ensure", body);
        Answer again = call("POST /v1/images/{id}/ensure", "POST", "/v1/images/" + imageId + "/ensure", body);
        Answer noTemplate = call("POST /v1/images/{id}/ensure", "POST", "/v1/images/" + imageId + "/ensure",
                body.deepCopy().put("template", ""));
        Answer unknownAccount = call("POST /v1/images/{id}/ensure", "POST", "/v1/images/" + imageId + "/ensure",
                body.deepCopy().set("accounts", json.createArrayNode().add("nobody")));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("built")).extracting(JsonNode::asText).containsExactlyInAnyOrder("ec2", "rhevm");
        String buildId = first.body().get("buildId").asText();
        JsonNode build = call("GET /v1/builds/{id}", "GET", "/v1/builds/" + buildId, null).body();
        assertThat(build.get("imageId").asText()).isEqualTo(imageId);
        assertThat(build.get("pushes")).extracting(push -> push.get("providerName").asText())
                .containsExactlyInAnyOrder("ec2-us-east-1", "rhevm-lab");
        assertThat(again.body().get("buildId").isNull()).as("asked again while it builds: " + again.raw()).isTrue();
        assertThat(again.body().get("built")).isEmpty();
        assertThat(again.body().at("/catalog/entries")).extracting(entry -> entry.get("state").asText())
                .containsOnly("building");
        assertThat(db.count("select count(*) from buildq_request")).as("builds enqueued in all").isEqualTo(1);
        assertThat(noTemplate.status()).as("nothing to build, so no template needed").isEqualTo(200);
        Answer otherImage = call("POST /v1/images/{id}/ensure", "POST", "/v1/images/" + UUID.randomUUID() + "/ensure",
                body.deepCopy().put("template", ""));
        assertThat(otherImage.status()).as("a build needed, and no template").isEqualTo(422);
        assertThat(otherImage.body().get("field").asText()).isEqualTo("template");
        assertThat(unknownAccount.status()).isEqualTo(422);
        assertThat(unknownAccount.body().get("field").asText()).isEqualTo("accounts");
    }

    @Test
    void aQueuedJobIsCancelledOnceAndTheSecondCancelOrARetryIsAConflict() throws IOException {
        String jobId = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2")))
                .body().at("/targets/0/jobId").asText();

        Answer cancelled = call("POST /v1/jobs/{id}/cancel", "POST", "/v1/jobs/" + jobId + "/cancel", null);
        Answer again = call("POST /v1/jobs/{id}/cancel", "POST", "/v1/jobs/" + jobId + "/cancel", null);
        Answer retried = call("POST /v1/jobs/{id}/retry", "POST", "/v1/jobs/" + jobId + "/retry", null);

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().get("type").asText()).isEqualTo("urn:buildq:problem:job-not-cancellable");
        assertThat(retried.status()).isEqualTo(409);
        assertThat(retried.body().get("type").asText()).isEqualTo("urn:buildq:problem:job-not-retryable");
    }

    @Test
    void aFailedJobIsRetriedAsItsNextAttemptAndRetryFailedRetriesTheRestOfTheImage() throws IOException {
        JsonNode build = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2", "rhevm"))).body();
        String ec2 = build.at("/targets/0/jobId").asText();
        String rhevm = build.at("/targets/1/jobId").asText();
        // What a worker writes when factory reports FAILED.
        db.execute("UPDATE buildq_job SET status = 'FAILED', error = 'No plugin .info file loaded for target: x'"
                + " WHERE id IN ('" + ec2 + "', '" + rhevm + "')");

        Answer retried = call("POST /v1/jobs/{id}/retry", "POST", "/v1/jobs/" + ec2 + "/retry", null);
        Answer rest = call("POST /v1/jobs/retry-failed", "POST", "/v1/jobs/retry-failed",
                json.createObjectNode().put("image", "web"));

        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().get("status").asText()).isEqualTo("QUEUED");
        assertThat(retried.body().get("attempt").asInt()).isEqualTo(2);
        assertThat(rest.body().get("retried")).extracting(JsonNode::asText).containsExactly(rhevm);
        assertThat(call("GET /v1/jobs/{id}", "GET", "/v1/jobs/" + rhevm, null).body().at("/job/attempt").asInt())
                .isEqualTo(2);
    }

    @Test
    void retryFailedWithNothingFailedRetriesNothing() throws IOException {
        Answer all = call("POST /v1/jobs/retry-failed", "POST", "/v1/jobs/retry-failed", null);
        Answer oneImage = call("POST /v1/jobs/retry-failed", "POST", "/v1/jobs/retry-failed",
                json.createObjectNode().put("image", "web"));

        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().get("retried")).isEmpty();
        assertThat(oneImage.body().get("retried")).isEmpty();
    }

    @Test
    void unknownIdsAreA404Problem() throws IOException {
        Answer build = call("GET /v1/builds/{id}", "GET", "/v1/builds/6d1f4c50-0000-4000-8000-000000000000", null);
        Answer notAnId = call("GET /v1/jobs/{id}", "GET", "/v1/jobs/not-an-id", null);

        assertThat(build.status()).isEqualTo(404);
        assertThat(build.body().get("type").asText()).isEqualTo("urn:buildq:problem:build-not-found");
        assertThat(notAnId.status()).isEqualTo(404);
    }

    static Stream<Arguments> badBuilds() {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("blank image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", " ")});
        cases.put("image of 256 characters", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "x".repeat(256))});
        cases.put("bidi override in image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "a\u202egpj.exe")});
        cases.put("escape in image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "web\u001b[2J")});
        cases.put("no template", new Object[] {"template", (Consumer<ObjectNode>) body -> body.remove("template")});
        cases.put("template not XML", new Object[] {"template", (Consumer<ObjectNode>) body -> body.put("template", "<template>")});
        cases.put("template with an entity", new Object[] {"template", (Consumer<ObjectNode>) body -> body.put("template",
                "<!DOCTYPE template [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><template>&x;</template>")});
        cases.put("no targets", new Object[] {"targets", (Consumer<ObjectNode>) body -> body.putArray("targets")});
        cases.put("unknown target", new Object[] {"targets", (Consumer<ObjectNode>) body -> body.putArray("targets").add("azure")});
        cases.put("duplicate target", new Object[] {"targets", (Consumer<ObjectNode>) body -> body.putArray("targets").add("ec2").add("ec2")});
        cases.put("pool family with a quote", new Object[] {"poolFamily", (Consumer<ObjectNode>) body -> body.put("poolFamily", "a\"b")});
        cases.put("account without credentials", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", "p").put("target", "ec2").put("factoryProvider", "p").putNull("credentials")});
        cases.put("account of a target not built", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", "r").put("target", "rhevm").put("factoryProvider", "r").put("credentials", CREDENTIALS)});
        cases.put("a field the API does not have", new Object[] {"priority", (Consumer<ObjectNode>) body -> body.put("priority", 9)});
        cases.put("null image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.putNull("image")});
        cases.put("NUL in image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "web\u0000")});
        cases.put("bidi isolate in image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "a\u2067b")});
        cases.put("zero-width-only image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "\u200b\u200d")});
        cases.put("line separator in image", new Object[] {"image", (Consumer<ObjectNode>) body -> body.put("image", "a\u2028b")});
        cases.put("template of the wrong root", new Object[] {"template", (Consumer<ObjectNode>) body -> body.put("template", "<image/>")});
        cases.put("template too large", new Object[] {"template", (Consumer<ObjectNode>) body -> body.put("template",
                "<template>" + "x".repeat(BuildRequest.MAX_TEMPLATE_CHARS) + "</template>")});
        cases.put("too many targets", new Object[] {"targets", (Consumer<ObjectNode>) body -> {
            ArrayNode targets = body.putArray("targets");
            for (int i = 0; i < 17; i++) {
                targets.add("ec2");
            }
        }});
        cases.put("null target", new Object[] {"targets", (Consumer<ObjectNode>) body -> body.putArray("targets").add("ec2").addNull()});
        cases.put("blank pool family", new Object[] {"poolFamily", (Consumer<ObjectNode>) body -> body.put("poolFamily", " ")});
        cases.put("pool family too long", new Object[] {"poolFamily", (Consumer<ObjectNode>) body -> body.put("poolFamily", "p".repeat(256))});
        cases.put("account without a provider name", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", " ").put("target", "ec2").put("factoryProvider", "p").put("credentials", CREDENTIALS)});
        cases.put("account of an unknown target", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", "n").put("target", "azure").put("factoryProvider", "p").put("credentials", CREDENTIALS)});
        cases.put("account without a factory provider", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", "n").put("target", "ec2").put("factoryProvider", "").put("credentials", CREDENTIALS)});
        cases.put("credentials not XML", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", "n").put("target", "ec2").put("factoryProvider", "p")
                .put("credentials", "<provider_credentials><access_key>AKIA SECRET</provider_credentials>")});
        cases.put("credentials of the wrong root", new Object[] {"accounts", (Consumer<ObjectNode>) body -> body.putArray("accounts")
                .addObject().put("providerName", "n").put("target", "ec2").put("factoryProvider", "p").put("credentials", "<credentials/>")});
        cases.put("one account twice", new Object[] {"accounts", (Consumer<ObjectNode>) body -> {
            ArrayNode accounts = body.putArray("accounts");
            for (int i = 0; i < 2; i++) {
                accounts.addObject().put("providerName", "n").put("target", "ec2").put("factoryProvider", "p")
                        .put("credentials", CREDENTIALS);
            }
        }});
        return cases.entrySet().stream().map(entry -> Arguments.of(entry.getKey(), entry.getValue()[0], entry.getValue()[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBuilds")
    void aBadBuildIsA422NamingTheFieldAsTheJavaApiDoesAndWritesNothing(String name, String field, Consumer<ObjectNode> spoil)
            throws IOException {
        ObjectNode body = build("web", List.of("ec2"));
        spoil.accept(body);
        String before = counts();

        Answer refused = call("POST /v1/builds", "POST", "/v1/builds", body);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.body().get("field").asText()).isEqualTo(field);
        assertThat(refused.raw()).doesNotContain("SECRET");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anIdempotencyKeyHeaderTheJavaApiRefusesIsA422NamingIt() throws IOException {
        String before = counts();

        Answer refused = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2")),
                request -> request.header("Idempotency-Key", "k".repeat(256)));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body().get("field").asText()).isEqualTo("idempotencyKey");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void bodiesThatAreNotARequestAreRefusedBeforeTheQueueSeesThem() throws IOException {
        String before = counts();
        Answer malformed = send("POST /v1/builds", "/v1/builds", RequestBody.create("{\"image\": ", JSON));
        Answer array = send("POST /v1/builds", "/v1/builds", RequestBody.create("[]", JSON));
        Answer form = send("POST /v1/builds", "/v1/builds",
                RequestBody.create("image=web", MediaType.get("application/x-www-form-urlencoded")));
        Answer huge = send("POST /v1/builds", "/v1/builds",
                RequestBody.create("{\"image\": \"" + "x".repeat((int) ApiServer.MAX_BODY_BYTES) + "\"}", JSON));
        Answer wrongType = send("POST /v1/builds", "/v1/builds", RequestBody.create("{\"targets\": \"ec2\"}", JSON));

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(array.status()).isEqualTo(400);
        assertThat(form.status()).isEqualTo(415);
        assertThat(huge.status()).isEqualTo(413);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.body().get("field").asText()).isEqualTo("targets");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void withoutAValidTokenNothingIsReadOrWritten() throws IOException {
        String other = tokens.create("revoked-client");
        tokens.revoke("revoked-client");
        String before = counts();

        Answer none = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2")),
                request -> request.removeHeader("Authorization"));
        Answer forged = call("GET /v1/builds/{id}", "GET", "/v1/builds/6d1f4c50-0000-4000-8000-000000000000", null,
                request -> request.header("Authorization", "Bearer " + token.substring(0, token.length() - 2) + "xx"));
        Answer revoked = call("POST /v1/jobs/retry-failed", "POST", "/v1/jobs/retry-failed", null,
                request -> request.header("Authorization", "Bearer " + other));

        for (Answer refused : List.of(none, forged, revoked)) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(refused.body().get("type").asText()).isEqualTo("urn:buildq:problem:unauthorized");
        }
        assertThat(counts()).isEqualTo(before);
        assertThat(tokens.list()).extracting(ApiToken::name, ApiToken::isRevoked)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("conductor", false),
                        org.assertj.core.groups.Tuple.tuple("revoked-client", true));
    }

    @Test
    void aNameTheApiDoesNotServeReadsNothingEvenWithAToken() throws IOException {
        Answer rebound = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2")),
                request -> request.header("Host", "evil.example:" + server.port()));

        assertThat(rebound.status()).isEqualTo(400);
        assertThat(rebound.body().get("type").asText()).isEqualTo("urn:buildq:problem:unknown-host");
    }

    @Test
    void aClientThatDisconnectsAndResumesWithLastEventIdMissesNoChange() throws IOException {
        List<Event> first;
        try (EventStream stream = events(null)) {
            JsonNode build = call("POST /v1/builds", "POST", "/v1/builds", build("web", List.of("ec2", "rhevm"))).body();
            first = stream.next(2);
            assertThat(first).extracting(event -> event.data().get("buildId").asText())
                    .containsOnly(build.get("buildId").asText());
            assertThat(first).extracting(event -> event.data().get("source").asText()).containsOnly("enqueue");
        }
        // Gone: two changes happen while nobody listens.
        for (Event event : first) {
            call("POST /v1/jobs/{id}/cancel", "POST", "/v1/jobs/" + event.data().get("jobId").asText() + "/cancel", null);
        }

        try (EventStream resumed = events(first.get(1).id())) {
            List<Event> missed = resumed.next(2);
            assertThat(missed).extracting(event -> event.data().get("status").asText()).containsOnly("CANCELLED");
            assertThat(missed).extracting(event -> event.data().get("jobId").asText()).containsExactlyElementsOf(
                    first.stream().map(event -> event.data().get("jobId").asText()).toList());
            assertThat(Long.parseLong(missed.get(0).id())).isGreaterThan(Long.parseLong(first.get(1).id()));
        }
    }

    @Test
    void anEventStreamAskedForWithoutItsMediaTypeIsA406NotAnEmptyAnswer() throws IOException {
        Answer answer = call("GET /v1/events", "GET", "/v1/events", null);

        assertThat(answer.status()).isEqualTo(406);
        assertThat(answer.body().get("type").asText()).isEqualTo("urn:buildq:problem:not-acceptable");
    }

    // ------------------------------------------------------------------ helpers

    private record Event(String id, JsonNode data) {
    }

    /** A server-sent events stream, read line by line as EventSource does. */
    private final class EventStream implements AutoCloseable {
        private final Response response;

        EventStream(Response response) {
            this.response = response;
        }

        /** The next {@code count} {@code job} events, each checked against the document's JobChange. */
        List<Event> next(int count) throws IOException {
            List<Event> events = new java.util.ArrayList<>();
            String id = null;
            String data = null;
            while (events.size() < count) {
                String line = response.body().source().readUtf8LineStrict();
                if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).trim();
                } else if (line.isEmpty() && data != null) {
                    assertThat(document.checkComponent("JobChange", data)).as(data).isEmpty();
                    events.add(new Event(id, json.readTree(data)));
                    id = null;
                    data = null;
                }
            }
            return events;
        }

        @Override
        public void close() {
            response.close();
        }
    }

    private EventStream events(String lastEventId) throws IOException {
        Request.Builder request = new Request.Builder().url(base + "/v1/events").header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        Response response = http.newBuilder().readTimeout(java.time.Duration.ofSeconds(30)).build()
                .newCall(request.build()).execute();
        assertThat(document.check("GET /v1/events", response.code(), response.header("Content-Type"), "")).isEmpty();
        // The stream's opening comment: from here on, no change can be missed.
        assertThat(response.body().source().readUtf8LineStrict()).startsWith(": following changes after");
        return new EventStream(response);
    }

    private ObjectNode build(String image, List<String> targets) {
        ObjectNode body = json.createObjectNode().put("image", image).put("template", Templates.fedora16(image));
        ArrayNode array = body.putArray("targets");
        targets.forEach(array::add);
        return body;
    }

    private String counts() {
        return db.count("select count(*) from buildq_request") + " requests, " + db.count("select count(*) from buildq_job")
                + " jobs, " + db.count("select count(*) from buildq_credentials") + " credentials, "
                + db.count("select count(*) from jobrunr_jobs") + " JobRunr jobs";
    }

    private record Answer(int status, Map<String, String> headers, String raw, JsonNode body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Answer call(String route, String method, String path, JsonNode body) throws IOException {
        return call(route, method, path, body, request -> { });
    }

    private Answer call(String route, String method, String path, JsonNode body, Consumer<Request.Builder> adjust)
            throws IOException {
        RequestBody requestBody = body == null ? (method.equals("GET") ? null : RequestBody.create(new byte[0]))
                : RequestBody.create(body.toString(), JSON);
        Request.Builder request = new Request.Builder().url(base + path).method(method, requestBody)
                .header("Authorization", "Bearer " + token);
        adjust.accept(request);
        return answer(route, request.build());
    }

    private Answer send(String route, String path, RequestBody body) throws IOException {
        return answer(route, new Request.Builder().url(base + path).post(body).header("Authorization", "Bearer " + token)
                .build());
    }

    private Answer answer(String route, Request request) throws IOException {
        try (Response response = http.newCall(request).execute()) {
            String raw = response.body().string();
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().names().forEach(name -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                    response.header(name)));
            assertThat(document.check(route, response.code(), response.header("Content-Type"), raw))
                    .as("the answer to " + route + " by the OpenAPI document: " + raw).isEmpty();
            return new Answer(response.code(), headers, raw, raw.isEmpty() ? null : json.readTree(raw));
        }
    }
}
