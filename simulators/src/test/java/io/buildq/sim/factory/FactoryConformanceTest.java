package io.buildq.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator, left at its defaults, does what a stock Image Factory did (real-install-notes Q4 to
 * Q9 and "Observed by running the real daemon"), over real HTTP.
 */
class FactoryConformanceTest {

    private static final String TEMPLATE = "<template><name>f16</name><os><name>Fedora</name></os></template>";
    private static final String INITIAL_ACTIVITY = "Initializing image prior to Cloud/OS customization";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private static final String NO_JSON = "'NoneType' object has no attribute 'items'";
    private final ObjectMapper json = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient();
    private FactorySimulator factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    // ---------------------------------------------------------------- Q9 bodies

    @Test
    void q9_jsonOf102400BytesIsA500ButOneByteLessIsAccepted() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();
        try (Response response = post("target_images", jsonOfLength(102_400), JSON)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
            assertThat(response.body().string()).isEqualTo(NO_JSON);
        }
        try (Response response = post("target_images", jsonOfLength(102_399), JSON)) {
            assertThat(response.code()).isEqualTo(202);
        }
    }

    @Test
    void q9_nonAsciiInADictValueIsA500ButInAListItSurvives() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();
        String inTemplate = "{\"target_image\": {\"target\": \"ec2\", \"template\": \"<template><name>caf\u00e9</name></template>\"}}";
        try (Response response = post("target_images", inTemplate, JSON)) {
            assertThat(response.code()).isEqualTo(500);
        }
        String inParameters = "{\"target_image\": {\"target\": \"ec2\", \"template\": \"" + TEMPLATE.replace("\"", "\\\"")
                + "\", \"parameters\": {\"marker\": \"\\u00e9\"}}}";
        try (Response response = post("target_images", inParameters, JSON)) {
            assertThat(response.code()).isEqualTo(500);
        }
        String inList = "{\"target_image\": {\"target\": \"ec2\", \"template\": \"" + TEMPLATE.replace("\"", "\\\"")
                + "\", \"parameters\": {\"tags\": [\"caf\u00e9\"]}}}";
        try (Response response = post("target_images", inList, JSON)) {
            assertThat(response.code()).isEqualTo(202);
        }
    }

    @Test
    void q9_aPostWithoutContentTypeIsA400NamingTheSingularAndAFormHasNoSizeLimitAndTakesUtf8() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();
        try (Response response = http.newCall(new Request.Builder().url(factory.baseUrl() + "/target_images")
                .post(RequestBody.create("{\"target_image\": {\"target\": \"ec2\"}}".getBytes(StandardCharsets.UTF_8), null))
                .build()).execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.body().string()).isEqualTo("target_image not found in request.");
        }
        String bigTemplate = "<template><name>caf\u00e9</name><description>" + "x".repeat(150_000) + "</description></template>";
        String form = "target=ec2&template=" + URLEncoder.encode(bigTemplate, StandardCharsets.UTF_8);
        try (Response response = post("target_images", form, FORM)) {
            assertThat(response.code()).isEqualTo(202);
        }
    }

    @Test
    void q9_deleteWithoutContentTypeOrWithAnEmptyFormIs204ButWithEmptyJsonA500() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String first = create("ec2", null);
        String second = create("ec2", null);
        try (Response response = delete("target_images/" + first, RequestBody.create(new byte[0], JSON))) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo(NO_JSON);
        }
        try (Response response = delete("target_images/" + first, null)) {
            assertThat(response.code()).isEqualTo(204);
        }
        try (Response response = delete("target_images/" + second, RequestBody.create(new byte[0], FORM))) {
            assertThat(response.code()).isEqualTo(204);
        }
        assertThat(getCode("target_images/" + first)).isEqualTo(404);
        assertThat(getCode("target_images/" + second)).isEqualTo(404);
    }

    @Test
    void q9_aFormEncodedParametersNamingCallbacksIsA500AfterTheRecordIsStored() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String form = "target=ec2&template=" + URLEncoder.encode(TEMPLATE, StandardCharsets.UTF_8) + "&parameters="
                + URLEncoder.encode("{\"callbacks\": [\"http://127.0.0.1:9/hook\"]}", StandardCharsets.UTF_8);
        try (Response response = post("target_images", form, FORM)) {
            // Builder.customize_image_for_target: 'callbacks' in a str is a substring test, then str['callbacks'].
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo("string indices must be integers, not str");
        }
        List<String> ids = listIds("target_images");
        assertThat(ids).hasSize(1);
        assertThat(factory.createdBaseImages()).isZero();
        JsonNode orphan = getImage("target_images", ids.get(0));
        assertThat(orphan.get("status").asText()).isEqualTo("NEW");
        assertThat(orphan.get("parameters").asText()).contains("callbacks");
    }

    // ---------------------------------------------------------------- Q6 concurrency

    @Test
    void q6_everyBuildStartsAtOnceWithNoLimit() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(1)).start();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            targets.add(create("ec2", null));
        }
        List<String> bases = targets.stream().map(id -> factory.baseImageOf(id).orElseThrow()).toList();
        await().atMost(Duration.ofSeconds(2)).until(() -> bases.stream()
                .allMatch(base -> factory.reportedStatuses(base).contains("BUILDING")));
        assertThat(bases).allSatisfy(base -> assertThat(factory.reportedStatuses(base)).doesNotContain("PENDING", "COMPLETE"));
    }

    @Test
    void q6_getNeverShowsPendingOnlyTheStoredNewUntilTheOutcomeWhileCallbacksCarryPending() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(100)).start();
        try (CallbackRecorder hook = new CallbackRecorder()) {
            String id = create("ec2", hook.url(null, "/hook"));
            List<JsonNode> seen = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                JsonNode image = getImage("target_images", id);
                seen.add(image);
                return image.get("status").asText().equals("COMPLETE");
            });
            assertThat(seen).allSatisfy(image -> {
                if (!image.get("status").asText().equals("COMPLETE")) {
                    assertThat(image.get("status").asText()).isEqualTo("NEW");
                    assertThat(image.get("percent_complete").asInt()).isZero();
                    assertThat(image.at("/status_detail/activity").asText()).isEqualTo(INITIAL_ACTIVITY);
                }
            });
            assertThat(seen).anyMatch(image -> image.get("status").asText().equals("NEW"));
            await().atMost(Duration.ofSeconds(5)).until(() -> targetStatuses(hook, id).contains("COMPLETE"));
            assertThat(targetStatuses(hook, id)).containsExactly("PENDING", "BUILDING", "COMPLETE");
        }
    }

    // ---------------------------------------------------------------- Q7 base images

    @Test
    void q7_aTemplateBuildsANewBaseImageEvenWhenABaseImageIdIsSentToo() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String first = create("ec2", null);
        String base = factory.baseImageOf(first).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", first).equals("COMPLETE"));
        String both = "{\"target_image\": {\"target\": \"rhevm\", \"base_image_id\": \"" + base + "\", \"template\": "
                + json.valueToTree(TEMPLATE) + "}}";
        String second;
        try (Response response = post("target_images", both, JSON)) {
            assertThat(response.code()).isEqualTo(202);
            second = json.readTree(response.body().string()).at("/target_image/id").asText();
        }
        assertThat(factory.createdBaseImages()).isEqualTo(2);
        assertThat(factory.baseImageOf(second)).isPresent().get().isNotEqualTo(base);
    }

    @Test
    void q7_aBaseImageIdAloneReusesThatBaseImageAndWaitsForItWhileItBuilds() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(100)).start();
        String first = create("ec2", null);
        String base = factory.baseImageOf(first).orElseThrow();
        String second;
        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"rhevm\", \"base_image_id\": \""
                + base + "\"}}", JSON)) {
            assertThat(response.code()).isEqualTo(202);
            JsonNode image = json.readTree(response.body().string()).get("target_image");
            assertThat(image.get("status").asText()).isEqualTo("PENDING");
            second = image.get("id").asText();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", second).equals("COMPLETE"));
        assertThat(factory.createdBaseImages()).isEqualTo(1);
        assertThat(factory.baseImageOf(second)).contains(base);
        assertThat(factory.reportedStatuses(second)).containsExactly("NEW", "PENDING", "BUILDING", "COMPLETE");
    }

    @Test
    void q7_aBaseImageIdOfAFailedBaseImageFailsWithFactorysText() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String first = create("ec2", null, "<template><name>simulate-failure</name></template>");
        String base = factory.baseImageOf(first).orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> status("base_images", base).equals("FAILED"));
        assertThat(getImage("base_images", base).at("/status_detail/activity").asText())
                .isEqualTo("Base Image build failed with exception.");
        String second;
        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"ec2\", \"base_image_id\": \""
                + base + "\"}}", JSON)) {
            second = json.readTree(response.body().string()).at("/target_image/id").asText();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", second).equals("FAILED"));
        assertThat(getImage("target_images", second).at("/status_detail/error").asText())
                .isEqualTo("The BaseImage (" + base + ") for our TargetImage has failed its build.  Cannot continue.");
    }

    @Test
    void q7_anUnknownBaseImageIdIsA500AndLeavesAnOrphanTargetAtNew() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"ec2\", \"base_image_id\": \"nope\"}}", JSON)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo("'NoneType' object has no attribute 'template'");
        }
        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"ec2\"}}", JSON)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo("Asked to create a TargetImage without a BaseImage or a template");
        }
        List<String> orphans = listIds("target_images");
        assertThat(orphans).hasSize(2);
        // A later build completes; the orphans are still NEW.
        String later = create("ec2", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", later).equals("COMPLETE"));
        for (String orphan : orphans) {
            JsonNode image = getImage("target_images", orphan);
            assertThat(image.get("status").asText()).isEqualTo("NEW");
            assertThat(image.at("/status_detail/activity").asText()).isEqualTo(INITIAL_ACTIVITY);
        }
    }

    @Test
    void q7_baseImageCallbacksGoToTheTargetsUrlFromTheirOwnWorker() {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        try (CallbackRecorder hook = new CallbackRecorder()) {
            String id = create("ec2", hook.url(null, "/hook"));
            String base = factory.baseImageOf(id).orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> targetStatuses(hook, id).contains("COMPLETE"));
            await().atMost(Duration.ofSeconds(5)).until(() -> hook.received.stream()
                    .anyMatch(r -> r.body().startsWith("{\"base_image\"") && r.body().contains(base) && r.body().contains("\"COMPLETE\"")));
            assertThat(hook.received).filteredOn(r -> r.body().startsWith("{\"base_image\""))
                    .extracting(r -> callbackStatus(r.body(), "base_image")).containsExactly("BUILDING", "COMPLETE");
        }
    }

    // ---------------------------------------------------------------- Q4 restart

    @Test
    void q4_aRestartLeavesInFlightImagesAtNewForeverWithoutCallbacksAndKeepsFinishedOnes() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(100)).start();
        String done = create("ec2", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", done).equals("COMPLETE"));
        try (CallbackRecorder hook = new CallbackRecorder(); CallbackRecorder sentinelHook = new CallbackRecorder()) {
            String interrupted = create("ec2", hook.url(null, "/hook"));
            String base = factory.baseImageOf(interrupted).orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> !hook.received.isEmpty());
            try (Response response = post("../_sim/restart", "", JSON)) {
                assertThat(response.code()).isEqualTo(204);
            }
            int heardBefore = hook.received.size();
            String waiting;
            try (Response response = post("target_images", "{\"target_image\": {\"target\": \"rhevm\", \"base_image_id\": \""
                    + base + "\", \"parameters\": {\"callbacks\": [\"" + hook.url(null, "/waiting") + "\"]}}}", JSON)) {
                assertThat(response.code()).isEqualTo(202);
                waiting = json.readTree(response.body().string()).at("/target_image/id").asText();
            }
            // A sentinel build after the restart runs to its end: the interrupted ones never move.
            String sentinel = create("ec2", sentinelHook.url(null, "/sentinel"));
            await().atMost(Duration.ofSeconds(10)).until(() -> targetStatuses(sentinelHook, sentinel).contains("COMPLETE"));
            for (String id : List.of(interrupted, waiting)) {
                JsonNode image = getImage("target_images", id);
                assertThat(image.get("status").asText()).isEqualTo("NEW");
                assertThat(image.get("percent_complete").asInt()).isZero();
                assertThat(image.at("/status_detail/activity").asText()).isEqualTo(INITIAL_ACTIVITY);
                assertThat(image.at("/status_detail/error").isNull()).isTrue();
            }
            assertThat(status("base_images", base)).isEqualTo("NEW");
            assertThat(hook.received.subList(heardBefore, hook.received.size()))
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("/waiting"));
            assertThat(targetStatuses(hook, waiting)).containsOnly("PENDING");
            assertThat(status("target_images", done)).isEqualTo("COMPLETE");
            try (Response response = delete("target_images/" + interrupted, null)) {
                assertThat(response.code()).isEqualTo(204);
            }
            assertThat(getCode("target_images/" + interrupted)).isEqualTo(404);
        }
    }

    // ---------------------------------------------------------------- Q5 callback before save

    @Test
    void q5_withCallbackBeforeSaveGetStillShowsNewWhenTheCompleteCallbackArrives() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20))
                .callbackBeforeSave(Duration.ofSeconds(2)).start();
        try (CallbackRecorder hook = new CallbackRecorder()) {
            String id = create("ec2", hook.url(null, "/hook"));
            await().atMost(Duration.ofSeconds(10)).until(() -> targetStatuses(hook, id).contains("COMPLETE"));
            assertThat(status("target_images", id)).isEqualTo("NEW");
            await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", id).equals("COMPLETE"));
        }
    }

    // ---------------------------------------------------------------- deletes (observed, Q5)

    @Test
    void observed_deletingAnImageInFlightRemovesTheRecordButTheBuildCallsBackCompleteThenNotManaged() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(100)).start();
        try (CallbackRecorder hook = new CallbackRecorder()) {
            String id = create("ec2", hook.url(null, "/hook"));
            try (Response response = delete("target_images/" + id, null)) {
                assertThat(response.code()).isEqualTo(204);
            }
            assertThat(getCode("target_images/" + id)).isEqualTo(404);
            await().atMost(Duration.ofSeconds(10)).until(() -> targetStatuses(hook, id).contains("FAILED"));
            assertThat(targetStatuses(hook, id)).containsExactly("PENDING", "BUILDING", "COMPLETE", "FAILED");
            String failed = hook.received.get(hook.received.size() - 1).body();
            assertThat(json.readTree(failed).at("/target_image/status_detail/error").asText())
                    .isEqualTo("Image " + id + " not managed, use \"add_image()\" first.");
            assertThat(getCode("target_images/" + id)).isEqualTo(404);
        }
    }

    @Test
    void q5_deletingAFinishedImageSendsDeletedToTheDeletesCallbacksAfterTheRecordIsGone() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String id = create("ec2", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", id).equals("COMPLETE"));
        try (CallbackRecorder hook = new CallbackRecorder()) {
            List<Integer> getWhenDeleted = new CopyOnWriteArrayList<>();
            String body = "{\"target_image\": {\"parameters\": {\"callbacks\": [\"" + hook.url(null, "/deleted") + "\"]}}}";
            try (Response response = delete("target_images/" + id, RequestBody.create(body, JSON))) {
                assertThat(response.code()).isEqualTo(204);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> targetStatuses(hook, id).contains("DELETED"));
            getWhenDeleted.add(getCode("target_images/" + id));
            assertThat(targetStatuses(hook, id)).containsExactly("DELETING", "DELETED");
            assertThat(getWhenDeleted).containsExactly(404);
        }
    }

    // ---------------------------------------------------------------- Q8, unknown target

    @Test
    void q8_arbitraryParametersAreStoredAndTheListGivesRefsOnlyForEveryRecordOrphansIncluded() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofSeconds(5)).start();
        String body = "{\"target_image\": {\"target\": \"ec2\", \"template\": " + json.valueToTree(TEMPLATE)
                + ", \"parameters\": {\"buildq_marker\": \"req-42\", \"nested\": {\"a\": 1}}}}";
        String id;
        try (Response response = post("target_images", body, JSON)) {
            id = json.readTree(response.body().string()).at("/target_image/id").asText();
        }
        try (Response response = post("target_images", "{\"target_image\": {\"target\": \"ec2\", \"base_image_id\": \"gone\"}}", JSON)) {
            assertThat(response.code()).isEqualTo(500);
        }
        JsonNode image = getImage("target_images", id);
        assertThat(image.at("/parameters/buildq_marker").asText()).isEqualTo("req-42");
        assertThat(image.at("/parameters/nested/a").asInt()).isEqualTo(1);
        JsonNode list;
        try (Response response = get("target_images")) {
            list = json.readTree(response.body().string()).get("target_images");
        }
        assertThat(list).hasSize(2);
        for (JsonNode item : list) {
            List<String> keys = new ArrayList<>();
            Iterator<String> names = item.get("target_image").fieldNames();
            names.forEachRemaining(keys::add);
            assertThat(keys).containsExactlyInAnyOrder("_type", "id", "href");
        }
    }

    @Test
    void observed_anUnknownTargetGets202ThenFailsWithNoPluginInfoFile() throws IOException {
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(20)).start();
        String id = create("openstack", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> status("target_images", id).equals("FAILED"));
        JsonNode image = getImage("target_images", id);
        assertThat(image.at("/status_detail/error").asText()).isEqualTo("No plugin .info file loaded for target: openstack");
        assertThat(image.at("/status_detail/activity").asText()).isEqualTo("Target Image build failed with exception");
        assertThat(factory.reportedStatuses(id)).containsExactly("NEW", "PENDING", "FAILED");
    }

    // ---------------------------------------------------------------- helpers

    private String jsonOfLength(int bytes) {
        String head = "{\"target_image\": {\"target\": \"ec2\", \"template\": \"<template><name>big</name><description>";
        String tail = "</description></template>\"}}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private String create(String target, String callback) {
        return create(target, callback, TEMPLATE);
    }

    private String create(String target, String callback, String template) {
        String parameters = callback == null ? "{}" : "{\"callbacks\": [\"" + callback + "\"]}";
        String body = "{\"target_image\": {\"target\": \"" + target + "\", \"template\": " + json.valueToTree(template)
                + ", \"parameters\": " + parameters + "}}";
        try (Response response = post("target_images", body, JSON)) {
            assertThat(response.code()).isEqualTo(202);
            return json.readTree(response.body().string()).at("/target_image/id").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> targetStatuses(CallbackRecorder hook, String id) {
        return hook.received.stream().filter(r -> r.body().startsWith("{\"target_image\"") && r.body().contains(id))
                .map(r -> callbackStatus(r.body(), "target_image")).toList();
    }

    private String callbackStatus(String body, String type) {
        try {
            return json.readTree(body).at("/" + type + "/status").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> listIds(String collection) throws IOException {
        try (Response response = get(collection)) {
            List<String> ids = new ArrayList<>();
            json.readTree(response.body().string()).get(collection)
                    .forEach(item -> ids.add(item.get(collection.substring(0, collection.length() - 1)).get("id").asText()));
            return ids;
        }
    }

    private JsonNode getImage(String collection, String id) throws IOException {
        try (Response response = get(collection + "/" + id)) {
            assertThat(response.code()).isEqualTo(200);
            return json.readTree(response.body().string()).get(collection.substring(0, collection.length() - 1));
        }
    }

    private String status(String collection, String id) throws IOException {
        return getImage(collection, id).get("status").asText();
    }

    private int getCode(String path) throws IOException {
        try (Response response = get(path)) {
            return response.code();
        }
    }

    private Response get(String path) throws IOException {
        return http.newCall(new Request.Builder().url(factory.baseUrl() + "/" + path).build()).execute();
    }

    private Response post(String path, String body, MediaType type) throws IOException {
        return http.newCall(new Request.Builder().url(factory.baseUrl() + "/" + path)
                .post(RequestBody.create(body, type)).build()).execute();
    }

    private Response delete(String path, RequestBody body) throws IOException {
        Request.Builder request = new Request.Builder().url(factory.baseUrl() + "/" + path);
        request = body == null ? request.delete() : request.delete(body);
        return http.newCall(request.build()).execute();
    }
}
