package io.buildq.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import io.buildq.sim.http.FaultSettings;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulator behaves as Image Factory's REST v2 did (imagefactory-api.md, sections 4, 5 and 10). */
class FactorySimulatorTest {

    private static final String TEMPLATE = "<template><name>f16</name><os><name>Fedora</name></os></template>";
    private final ObjectMapper json = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient();
    private FactorySimulator factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    @Test
    void creatingATargetImageAnswers202AtOnceWithTheFullObjectInPending() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();

        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"ec2\", \"template\": \"" + TEMPLATE + "\"}}")) {
            assertThat(response.code()).isEqualTo(202);
            JsonNode image = json.readTree(response.body().string()).get("target_image");
            assertThat(image.get("_type").asText()).isEqualTo("TargetImage");
            // The target thread has already set PENDING when the 202 is built (observed; Q6).
            assertThat(image.get("status").asText()).isEqualTo("PENDING");
            assertThat(image.get("percent_complete").asInt()).isZero();
            assertThat(image.at("/status_detail/activity").asText()).isEqualTo("Initializing image prior to Cloud/OS customization");
            assertThat(image.at("/status_detail/error").isNull()).isTrue();
            assertThat(image.get("base_image_id").asText()).matches("[0-9a-f-]{36}");
            assertThat(image.get("href").asText()).endsWith("/imagefactory/target_images/" + image.get("id").asText());
            assertThat(image.get("target").asText()).isEqualTo("ec2");
        }
    }

    @Test
    void errorsArePlainTextWithTheRealStatusCodes() throws IOException {
        factory = FactorySimulator.builder().start();

        try (Response unwrapped = post("target_images", "{\"target\": \"ec2\"}")) {
            assertThat(unwrapped.code()).isEqualTo(400);
            assertThat(unwrapped.body().string()).isEqualTo("target_image not found in request.");
        }
        try (Response unknown = get("target_images/0b1e8c9a-0000-0000-0000-000000000000", null)) {
            assertThat(unknown.code()).isEqualTo(404);
            assertThat(unknown.body().string()).isEqualTo("No TargetImage found with id: 0b1e8c9a-0000-0000-0000-000000000000");
        }
        try (Response notAcceptable = get("target_images", "text/plain")) {
            assertThat(notAcceptable.code()).isEqualTo(406);
        }
    }

    @Test
    void getShowsNewUntilTheOutcomeWhileCallbacksCarryEveryStatusChange() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(100)).start();
        try (CallbackRecorder hook = new CallbackRecorder()) {
            String id = create("ec2", TEMPLATE, hook.url("conductor:s3cret", "/hooks/42"));

            await().atMost(Duration.ofSeconds(5)).until(() -> hook.received.stream().anyMatch(r -> r.body().contains("\"BUILDING\"")
                    && r.body().contains("target_image")));
            assertThat(status(id)).isEqualTo("NEW");
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("COMPLETE"));

            await().atMost(Duration.ofSeconds(5)).until(() -> hook.received.stream().anyMatch(r -> r.body().contains("\"COMPLETE\"")
                    && r.body().contains("target_image")));
            List<String> targetStatuses = hook.received.stream()
                    .filter(r -> r.body().startsWith("{\"target_image\""))
                    .map(r -> readStatus(r.body()))
                    .toList();
            assertThat(targetStatuses).containsExactly("PENDING", "BUILDING", "COMPLETE");
            assertThat(factory.reportedStatuses(id)).containsExactly("NEW", "PENDING", "BUILDING", "COMPLETE");
            // The implicit base image's changes reach the same hook, as they did from real factory.
            assertThat(hook.received).anyMatch(r -> r.body().startsWith("{\"base_image\""));
            assertThat(hook.received).allSatisfy(r -> {
                assertThat(r.method()).isEqualTo("PUT");
                assertThat(r.authorization()).isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("conductor:s3cret".getBytes(StandardCharsets.UTF_8)));
                assertThat(r.body()).doesNotContain("\"href\"");
            });
            JsonNode done = json.readTree(get("target_images/" + id, null).body().string()).get("target_image");
            assertThat(done.get("percent_complete").asInt()).isEqualTo(100);
            assertThat(done.get("icicle").asText()).startsWith("<icicle>");
            assertThat(done.at("/base_image/_type").asText()).isEqualTo("BaseImage");
        }
    }

    @Test
    void verboseModeShowsLiveProgressOverGet() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(300)).verbose(true).start();
        String id = create("ec2", TEMPLATE, null);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("BUILDING"));
        await().atMost(Duration.ofSeconds(10)).until(() -> percent(id) > 0);
    }

    @Test
    void aMarkerInTheTemplateFailsTheNamedTargetWithAnErrorText() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String template = "<template><name>f16</name><description>simulate-failure:rhevm</description></template>";
        String rhevm = create("rhevm", template, null);
        String ec2 = create("ec2", template, null);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(rhevm).equals("FAILED") && status(ec2).equals("COMPLETE"));
        JsonNode failed = json.readTree(get("target_images/" + rhevm, null).body().string()).get("target_image");
        assertThat(failed.at("/status_detail/activity").asText()).isEqualTo("Target Image build failed with exception");
        assertThat(failed.at("/status_detail/error").asText()).contains("rhevm");
    }

    @Test
    void aTemplateThatIsNotXmlFailsTheBaseImageWithTheParsersMessage() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(10)).start();
        String id = create("ec2", "<template><name>broken</template>", null);

        await().atMost(Duration.ofSeconds(10)).until(() -> status(id).equals("FAILED"));
        JsonNode failed = json.readTree(get("target_images/" + id, null).body().string()).get("target_image");
        assertThat(failed.at("/status_detail/error").asText()).contains("has failed its build");
    }

    @Test
    void withOAuthOnAnUnsignedRequestIsA500WithWwwAuthenticateButTheRootStaysOpen() throws IOException {
        factory = FactorySimulator.builder().oauthClient("mock-key", "mock-secret").start();
        try (Response refused = get("target_images", null)) {
            // Q1: OAuthTools' HTTPResponse(401) is caught by its own "except Exception" and wrapped.
            assertThat(refused.code()).isEqualTo(500);
            assertThat(refused.header("WWW-Authenticate")).isEqualTo("OAuth");
            assertThat(refused.body().string()).isEqualTo("OAuth validation failed: HTTP Response 401");
        }
        try (Response root = http.newCall(new Request.Builder().url(factory.baseUrl()).build()).execute()) {
            assertThat(root.code()).isEqualTo(200);
            assertThat(json.readTree(root.body().string()).get("api_version").asText()).isEqualTo("2.0");
        }
    }

    @Test
    void buildsBeyondTheConcurrencyLimitWaitInPending() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(300)).maxConcurrentBuilds(1).start();
        String first = create("ec2", TEMPLATE, null);
        String second = create("rhevm", TEMPLATE, null);

        await().atMost(Duration.ofSeconds(10)).until(() -> factory.reportedStatuses(first).contains("BUILDING"));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(first).equals("COMPLETE") && status(second).equals("COMPLETE"));
        // Two base images and two target images shared one slot: the later ones had to wait.
        assertThat(factory.reportedStatuses(second)).containsSubsequence("NEW", "PENDING", "BUILDING", "COMPLETE");
    }

    @Test
    void theListHoldsReferencesUnderTheDoubledKey() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();
        String id = create("ec2", TEMPLATE, null);

        JsonNode list = json.readTree(get("target_images", "application/json").body().string());
        assertThat(list.at("/target_images/0/target_image/id").asText()).isEqualTo(id);
        assertThat(list.at("/target_images/0/target_image/status").isMissingNode()).isTrue();
    }

    @Test
    void aSnapshotPushBuildsOnTheCloudWithoutBaseOrTargetImages() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String body = "{\"provider_image\": {\"provider\": \"rackspace\", \"credentials\": \"<c/>\", \"target\": \"rackspace\","
                + " \"template\": " + json.valueToTree(TEMPLATE) + ", \"parameters\": {\"snapshot\": true}}}";
        String id;
        try (Response response = post("provider_images", body)) {
            assertThat(response.code()).isEqualTo(202);
            JsonNode image = json.readTree(response.body().string()).get("provider_image");
            assertThat(image.get("target_image_id").isNull()).isTrue();
            assertThat(image.has("credentials")).isFalse();
            assertThat(image.has("target")).isFalse();
            id = image.get("id").asText();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> providerStatus(id).equals("COMPLETE"));
        JsonNode image = json.readTree(get("provider_images/" + id, null).body().string()).get("provider_image");
        assertThat(image.get("identifier_on_provider").asText()).isNotEmpty();
        assertThat(image.get("provider_account_identifier").asText()).isEqualTo("mock_user");
        assertThat(image.get("target_image").isNull()).isTrue();
        try (Response targets = get("target_images", null)) {
            assertThat(json.readTree(targets.body().string()).get("target_images")).isEmpty();
        }
    }

    @Test
    void lostCallbacksAreNeverSentAndTheRestArrive() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(30))
                .faults(FaultSettings.none().withLoseCallbacks(2)).start();
        try (CallbackRecorder hook = new CallbackRecorder()) {
            String id = create("ec2", TEMPLATE, hook.url(null, "/hook"));

            await().atMost(Duration.ofSeconds(10)).until(() -> hook.received.stream()
                    .anyMatch(r -> r.body().startsWith("{\"target_image\"") && r.body().contains("\"COMPLETE\"")));
            // Five were due (target PENDING, base BUILDING, base COMPLETE, target BUILDING and COMPLETE);
            // the first two were lost. Base and target callbacks leave from separate workers, so only
            // the order within one image is fixed (observed).
            assertThat(factory.reportedStatuses(id)).containsExactly("NEW", "PENDING", "BUILDING", "COMPLETE");
            assertThat(hook.received).hasSize(3);
            assertThat(hook.received).filteredOn(r -> r.body().startsWith("{\"base_image\""))
                    .singleElement().satisfies(r -> assertThat(r.body()).contains("\"COMPLETE\""));
            assertThat(hook.received).filteredOn(r -> r.body().startsWith("{\"target_image\""))
                    .extracting(r -> readStatus(r.body())).containsExactly("BUILDING", "COMPLETE");
            assertThat(factory.faults().settings().loseCallbacks()).isZero();
        }
    }

    @Test
    void aFormEncodedRequestIsReadAsFlatFields() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();
        String form = "template=" + java.net.URLEncoder.encode(TEMPLATE, java.nio.charset.StandardCharsets.UTF_8) + "&target=MockSphere";
        try (Response response = http.newCall(new Request.Builder().url(factory.baseUrl() + "/target_images")
                .post(RequestBody.create(form, MediaType.get("application/x-www-form-urlencoded"))).build()).execute()) {
            assertThat(response.code()).isEqualTo(202);
            assertThat(json.readTree(response.body().string()).at("/target_image/target").asText()).isEqualTo("MockSphere");
        }
    }

    @Test
    void anUnknownParentIsA500AndAProviderDeleteWithoutCredentialsA400() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"ec2\", \"base_image_id\": \"nope\"}}")) {
            assertThat(response.code()).isEqualTo(500);
        }
        String target = create("ec2", TEMPLATE, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(target).equals("COMPLETE"));
        String push;
        try (Response response = post("provider_images", "{\"provider_image\": {\"target_image_id\": \"" + target
                + "\", \"provider\": \"ec2-us-east-1\", \"credentials\": \"<c/>\", \"target\": \"ec2\"}}")) {
            push = json.readTree(response.body().string()).at("/provider_image/id").asText();
        }
        try (Response response = http.newCall(new Request.Builder().url(factory.baseUrl() + "/provider_images/" + push)
                .delete(RequestBody.create("{\"provider_image\": {\"target\": \"ec2\"}}", MediaType.get("application/json")))
                .build()).execute()) {
            assertThat(response.code()).isEqualTo(400);
            // RESTv2 delete_image_with_id formats a Python set: CPython 2.7's order, not the request's.
            assertThat(response.body().string()).isEqualTo("Missing required values: set(['credentials', 'provider'])");
        }
    }

    @Test
    void aDeleteTheProviderRefusesEndsInDeleteFailedWhichIsKept() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String target = create("ec2", TEMPLATE, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(target).equals("COMPLETE"));
        String push;
        try (Response response = post("provider_images", "{\"provider_image\": {\"target_image_id\": \"" + target
                + "\", \"provider\": \"ec2-us-east-1\", \"credentials\": \"<c/>\", \"target\": \"ec2\"}}")) {
            push = json.readTree(response.body().string()).at("/provider_image/id").asText();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> providerStatus(push).equals("COMPLETE"));
        try (Response response = http.newCall(new Request.Builder().url(factory.baseUrl() + "/provider_images/" + push)
                .delete(RequestBody.create("{\"provider_image\": {\"target\": \"ec2\", \"provider\": \"ec2-us-east-1\","
                        + " \"credentials\": \"<c>simulate-failure</c>\"}}", MediaType.get("application/json")))
                .build()).execute()) {
            assertThat(response.code()).isEqualTo(204);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> providerStatus(push).equals("DELETEFAILED"));
        assertThat(factory.reportedStatuses(push)).endsWith("COMPLETE", "DELETING", "DELETEFAILED");
    }

    private String providerStatus(String id) throws IOException {
        try (Response response = get("provider_images/" + id, null)) {
            return json.readTree(response.body().string()).at("/provider_image/status").asText();
        }
    }

    private String create(String target, String template, String callback) {
        String parameters = callback == null ? "{}" : "{\"callbacks\": [\"" + callback + "\"]}";
        String body = "{\"target_image\": {\"target\": \"" + target + "\", \"template\": " + json.valueToTree(template)
                + ", \"parameters\": " + parameters + "}}";
        try (Response response = post("target_images", body)) {
            assertThat(response.code()).isEqualTo(202);
            return json.readTree(response.body().string()).at("/target_image/id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String status(String id) throws IOException {
        try (Response response = get("target_images/" + id, null)) {
            return json.readTree(response.body().string()).at("/target_image/status").asText();
        }
    }

    private int percent(String id) throws IOException {
        try (Response response = get("target_images/" + id, null)) {
            return json.readTree(response.body().string()).at("/target_image/percent_complete").asInt();
        }
    }

    private String readStatus(String body) {
        try {
            return json.readTree(body).at("/target_image/status").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response post(String path, String body) throws IOException {
        return http.newCall(new Request.Builder().url(factory.baseUrl() + "/" + path)
                .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute();
    }

    private Response get(String path, String accept) throws IOException {
        Request.Builder request = new Request.Builder().url(factory.baseUrl() + "/" + path);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.newCall(request.build()).execute();
    }
}
