package io.buildq.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.migrations.BuildqMigrations;
import io.buildq.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The queue's gauges, scraped over HTTP as Prometheus would, on both databases. */
class QueueGaugesTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aScrapeShowsTheTablesAsTheyAre(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            new BuildqMigrations(db.dataSource()).migrate();
            UUID request = UUID.randomUUID();
            db.execute("insert into buildq_request (id, image_id, image_name, template, fingerprint, created_at) values ('"
                    + request + "', '" + UUID.randomUUID() + "', 'web', '<template/>', 'f', TIMESTAMP WITH TIME ZONE "
                    + "'2026-12-03 09:00:00+00')");
            db.execute("insert into buildq_factory (url) values ('http://factory-a:8075/imagefactory')");
            db.execute("insert into buildq_factory (url) values ('http://factory-b:8075/imagefactory')");
            job(db, request, "BUILD", "ec2", "COMPLETE", null, "09:10:00");
            job(db, request, "BUILD", "rhevm", "RUNNING", "http://factory-a:8075/imagefactory", "09:20:00");
            job(db, request, "BUILD", "vsphere", "QUEUED", null, "09:55:00");
            job(db, request, "PUSH", "ec2", "QUEUED", null, "09:30:00");

            PrometheusMeterRegistry registry = MetricsServer.newRegistry();
            QueueGauges gauges = new QueueGauges(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(2));
            gauges.bindTo(registry);
            try (MetricsServer server = MetricsServer.start(registry, new InetSocketAddress("127.0.0.1", 0),
                    List.of(gauges::refresh))) {
                String scrape = scrape(server);
                assertThat(scrape)
                        .contains("buildq_jobs{kind=\"BUILD\",status=\"COMPLETE\",target=\"ec2\"} 1")
                        .contains("buildq_jobs{kind=\"BUILD\",status=\"RUNNING\",target=\"rhevm\"} 1")
                        .contains("buildq_jobs{kind=\"PUSH\",status=\"QUEUED\",target=\"ec2\"} 1")
                        .contains("buildq_queue_depth{kind=\"BUILD\"} 1")
                        .contains("buildq_queue_depth{kind=\"PUSH\"} 1")
                        // the push has waited since 09:30, the build since 09:55
                        .contains("buildq_queue_oldest_age_seconds{kind=\"PUSH\"} 1800")
                        .contains("buildq_queue_oldest_age_seconds{kind=\"BUILD\"} 300")
                        .contains("buildq_factory_builds_running{factory=\"http://factory-a:8075/imagefactory\"} 1")
                        .contains("buildq_factory_builds_running{factory=\"http://factory-b:8075/imagefactory\"} 0")
                        .contains("buildq_queue_gauges_up 1");

                db.execute("update buildq_job set status = 'COMPLETE' where target = 'rhevm'");
                String after = scrape(server);
                assertThat(after).contains("buildq_jobs{kind=\"BUILD\",status=\"COMPLETE\",target=\"rhevm\"} 1")
                        .doesNotContain("status=\"RUNNING\"")
                        .contains("buildq_factory_builds_running{factory=\"http://factory-a:8075/imagefactory\"} 0");
            }
        }
    }

    private static void job(TestDatabase db, UUID request, String kind, String target, String status, String factory,
                            String updated) {
        db.execute("insert into buildq_job (id, request_id, kind, target, status, percent, attempt, jobrunr_job_id, "
                + "created_at, updated_at, version, factory_url) values ('" + UUID.randomUUID() + "', '" + request + "', '"
                + kind + "', '" + target + "', '" + status + "', 0, 1, '" + UUID.randomUUID() + "', TIMESTAMP WITH TIME ZONE "
                + "'2026-12-03 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-12-03 " + updated + "+00', 0, "
                + (factory == null ? "null" : "'" + factory + "'") + ")");
    }

    private static String scrape(MetricsServer server) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + MetricsServer.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/plain; version=0.0.4"));
        return response.body();
    }
}
