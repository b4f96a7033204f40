package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.buildq.api.BuildQueue;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.httpapi.ApiServer;
import io.buildq.httpapi.ApiTokens;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import io.buildq.testing.Templates;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Conductor's flow over the HTTP API, against a real worker and both simulators on PostgreSQL: the
 * catalog says not built, ensure builds and pushes, the event stream follows it to the end, and the
 * catalog then says pushed, with nothing left to ensure.
 */
class ConductorOverHttpTest {

    private static final MediaType JSON = MediaType.get("application/json");
    private final ObjectMapper json = new ObjectMapper();
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();
    private String base;
    private String token;

    @Test
    void catalogThenEnsureThenEventsUntilPushedThenTheCatalogSaysPushed() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        CredentialCipher cipher = CredentialCipher.fromBase64(Base64.getEncoder().encodeToString(key));
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.POSTGRES);
             FactorySimulator factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(50)).start();
             IwhdSimulator iwhd = IwhdSimulator.builder().start()) {
            new BuildqMigrations(db.dataSource()).migrate();
            try (BuildqWorker worker = BuildqWorker.start(db.dataSource(), WorkerSettings.defaults(factory.baseUrl(),
                         iwhd.baseUrl()).withCallback(new InetSocketAddress("127.0.0.1", 0), null)
                         .withFactoryPollInterval(Duration.ofSeconds(1)), cipher);
                 BuildQueue queue = BuildQueue.builder(db.dataSource()).credentialCipher(cipher).iwhd(iwhd.baseUrl()).build();
                 ApiServer api = ApiServer.start(queue, db.dataSource(), cipher, DashboardSettings.loopback(0))) {
                base = "http://127.0.0.1:" + api.port();
                token = new ApiTokens(db.dataSource(), Clock.systemUTC()).create("conductor");
                register("ec2-us-east-1", "ec2");
                register("rhevm-lab", "rhevm");
                String image = UUID.randomUUID().toString();
                String catalogPath = "/v1/images/" + image + "/catalog?account=ec2-us-east-1&account=rhevm-lab";

                JsonNode before = get(catalogPath);
                assertThat(before.at("/missing/build")).extracting(JsonNode::asText).containsExactlyInAnyOrder("ec2", "rhevm");

                try (Response events = http.newCall(new Request.Builder().url(base + "/v1/events")
                        .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build()).execute()) {
                    assertThat(events.body().source().readUtf8LineStrict()).startsWith(": following changes after");
                    ObjectNode ensure = json.createObjectNode().put("image", "web-server")
                            .put("template", Templates.fedora16("web-server"));
                    ensure.putArray("accounts").add("ec2-us-east-1").add("rhevm-lab");
                    JsonNode ensured = post("/v1/images/" + image + "/ensure", ensure);
                    String buildId = ensured.get("buildId").asText();

                    // Follow the build's jobs by their events until both pushes have ended.
                    Map<String, String> pushes = new HashMap<>();
                    while (pushes.size() < 2 || pushes.values().stream().anyMatch(status -> !status.equals("COMPLETE")
                            && !status.equals("FAILED") && !status.equals("CANCELLED"))) {
                        String line = events.body().source().readUtf8LineStrict();
                        if (line.startsWith("data:")) {
                            JsonNode change = json.readTree(line.substring(5).trim());
                            if (change.get("buildId").asText().equals(buildId) && change.get("kind").asText().equals("PUSH")) {
                                pushes.put(change.get("jobId").asText(), change.get("status").asText());
                            }
                        }
                    }
                    assertThat(pushes.values()).containsOnly("COMPLETE");
                }

                JsonNode after = get(catalogPath);
                assertThat(after.get("entries")).extracting(entry -> entry.get("state").asText()).containsOnly("pushed");
                assertThat(after.at("/missing/build")).isEmpty();
                assertThat(after.at("/missing/push")).isEmpty();
                ObjectNode again = json.createObjectNode().put("image", "web-server").put("template", "");
                again.putArray("accounts").add("ec2-us-east-1").add("rhevm-lab");
                JsonNode nothing = post("/v1/images/" + image + "/ensure", again);
                assertThat(nothing.get("buildId").isNull()).isTrue();
                assertThat(nothing.get("pushes")).isEmpty();
            }
        }
    }

    private void register(String name, String target) throws IOException {
        ObjectNode account = json.createObjectNode().put("target", target).put("factoryProvider", name)
                .put("credentials", "<provider_credentials><" + target + "_credentials><username>u-" + name
                        + "</username><password>p</password></" + target + "_credentials></provider_credentials>");
        try (Response response = http.newCall(new Request.Builder().url(base + "/v1/accounts/" + name)
                .header("Authorization", "Bearer " + token).put(RequestBody.create(account.toString(), JSON)).build())
                .execute()) {
            assertThat(response.code()).as(response.body().string()).isEqualTo(201);
        }
    }

    private JsonNode get(String path) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(base + path)
                .header("Authorization", "Bearer " + token).build()).execute()) {
            String body = response.body().string();
            assertThat(response.code()).as(body).isEqualTo(200);
            return json.readTree(body);
        }
    }

    private JsonNode post(String path, JsonNode body) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(base + path)
                .header("Authorization", "Bearer " + token).post(RequestBody.create(body.toString(), JSON)).build())
                .execute()) {
            String answer = response.body().string();
            assertThat(response.code()).as(answer).isEqualTo(200);
            return json.readTree(answer);
        }
    }
}
