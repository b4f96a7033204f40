package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.testing.PostgresServer;
import io.buildq.testing.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The worker's probes: ready goes false while its database is cut off, and true again after. */
class HealthTest {

    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readyFollowsTheDatabaseAndLiveDoesNot() throws IOException {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.POSTGRES, true)) {
            String base = "http://127.0.0.1:" + pipeline.worker().callbackPort();
            String name = pipeline.db.url().replaceAll(".*/([^/?]+).*", "$1");

            assertThat(get(base + "/health/live").status()).isEqualTo(200);
            Probe ready = get(base + "/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body().at("/checks/database").asText()).isEqualTo("ok");
            assertThat(ready.body().at("/checks/jobrunr").asText()).isEqualTo("running");
            assertThat(ready.body().at("/checks/factory").asText()).startsWith("reachable");
            assertThat(ready.body().at("/checks/iwhd").asText()).startsWith("reachable");

            pipeline.iwhd.close(); // iwhd down: reported, and the worker stays ready (it waits iwhd out)
            Probe withoutIwhd = get(base + "/health/ready");
            assertThat(withoutIwhd.status()).isEqualTo(200);
            assertThat(withoutIwhd.body().at("/checks/iwhd").asText()).startsWith("unreachable");

            try {
                PostgresServer.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
                PostgresServer.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
                Probe cutOff = await().atMost(Duration.ofSeconds(30))
                        .until(() -> get(base + "/health/ready"), probe -> probe.status() == 503);
                assertThat(cutOff.body().at("/checks/database").asText()).isNotEqualTo("ok");
                assertThat(get(base + "/health/live").status()).as("the process still answers").isEqualTo(200);
            } finally {
                PostgresServer.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> get(base + "/health/ready").status() == 200);
        }
    }

    private record Probe(int status, JsonNode body) {
    }

    private Probe get(String url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return new Probe(response.code(), json.readTree(response.body().string()));
        }
    }
}
