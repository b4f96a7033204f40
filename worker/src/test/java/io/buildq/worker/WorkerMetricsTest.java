package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.metrics.MetricsServer;
import io.buildq.metrics.QueueGauges;
import io.buildq.status.BuildStatus;
import io.buildq.status.TargetStatus;
import io.buildq.telemetry.WorkerMeters;
import io.buildq.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * A worker's scrape, over HTTP as Prometheus reads it, before and after one build of two targets
 * (one completes, one fails on factory): each counter moved by what the build did, and by no more.
 */
class WorkerMetricsTest {

    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();

    @Test
    void aScrapeAfterABuildShowsWhatTheBuildDid() throws IOException {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.POSTGRES, false)) {
            PrometheusMeterRegistry registry = MetricsServer.newRegistry();
            QueueGauges gauges = new QueueGauges(pipeline.db.dataSource(), Clock.systemUTC(), Duration.ofSeconds(2));
            gauges.bindTo(registry);
            pipeline.startWorker(settings -> settings, WorkerMeters.on(registry));
            try (MetricsServer server = MetricsServer.start(registry, new InetSocketAddress("127.0.0.1", 0),
                    List.of(gauges::refresh))) {
                String url = "http://127.0.0.1:" + server.port() + MetricsServer.PATH;
                Map<String, Double> before = scrape(url);
                assertThat(before).containsEntry("buildq_queue_gauges_up", 1.0)
                        .containsEntry("buildq_factory_slots_limit{factory=\"" + pipeline.factory.baseUrl() + "\"}", 100.0)
                        .doesNotContainKey(durationCount("COMPLETE", "ec2"));

                UUID buildId = pipeline.queue.build(BuildRequest.of("metered",
                        BuildPipelineContract.TEMPLATE.formatted("simulate-failure:rhevm"), List.of("ec2", "rhevm")));
                BuildStatus status = await().atMost(BuildPipelineContract.BUILD_BOUND)
                        .until(() -> pipeline.queue.status(buildId),
                                build -> build.targets().stream().allMatch(target -> target.status().isTerminal()));
                assertThat(status.target("ec2").status()).hasToString("COMPLETE");
                assertThat(status.target("rhevm").status()).hasToString("FAILED");

                // The job's duration is recorded as its run ends, a moment after the row does.
                Map<String, Double> after = await().atMost(Duration.ofSeconds(10)).until(() -> scrape(url),
                        scrape -> scrape.containsKey(durationCount("FAILED", "rhevm")));
                assertThat(after).containsEntry(durationCount("COMPLETE", "ec2"), 1.0)
                        .containsEntry(durationCount("FAILED", "rhevm"), 1.0)
                        .containsEntry("buildq_jobs{kind=\"BUILD\",status=\"COMPLETE\",target=\"ec2\"}", 1.0)
                        .containsEntry("buildq_jobs{kind=\"BUILD\",status=\"FAILED\",target=\"rhevm\"}", 1.0)
                        .containsEntry("buildq_queue_depth{kind=\"BUILD\"}", 0.0);
                assertThat(after.get("buildq_pickup_latency_seconds_count{kind=\"BUILD\"}"))
                        .as("both targets were claimed at least once").isGreaterThanOrEqualTo(2.0);
                // Every target image factory created was asked for with one POST this scrape counts (the
                // base image comes with the first, implicitly, as real factory makes it from a template).
                int created = pipeline.factory.createdTargetImages();
                assertThat(sum(after, "buildq_http_client_requests_seconds_count", "service=\"factory\"",
                        "method=\"POST\"", "outcome=\"2xx\"")).isEqualTo(created);
                assertThat(sum(after, "buildq_http_client_requests_seconds_count", "service=\"iwhd\"", "outcome=\"2xx\""))
                        .as("the completed target registered in iwhd").isPositive();
                assertThat(after.get("buildq_factory_reports_total{via=\"callback\"}"))
                        .as("factory's callbacks, each taken in").isPositive();
                for (TargetStatus target : status.targets()) {
                    assertThat(pipeline.factory.reportedStatuses(target.factoryImageId())).isNotEmpty();
                }
                assertThat(after.keySet()).as("JobRunr's own meters, through its Micrometer binders")
                        .anyMatch(name -> name.startsWith("jobrunr_background_job_server_worker_pool_size_total"));
                // Every series the sample Grafana dashboard queries exists in a real scrape.
                Set<String> scraped = new HashSet<>();
                after.keySet().forEach(name -> scraped.add(name.replaceAll("\\{.*", "")));
                Matcher queried = Pattern.compile("\\b((?:buildq|jobrunr)_[a-z_]+)")
                        .matcher(Files.readString(Path.of("..", "docs", "grafana-dashboard.json")));
                List<String> missing = new ArrayList<>();
                while (queried.find()) {
                    if (!scraped.contains(queried.group(1))) {
                        missing.add(queried.group(1));
                    }
                }
                assertThat(missing).as("series docs/grafana-dashboard.json queries that no scrape shows").isEmpty();
            }
        }
    }

    private static String durationCount(String status, String target) {
        return "buildq_job_duration_seconds_count{kind=\"BUILD\",status=\"" + status + "\",target=\"" + target + "\"}";
    }

    private static double sum(Map<String, Double> scrape, String name, String... labels) {
        return scrape.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith(name + "{"))
                .filter(entry -> List.of(labels).stream().allMatch(entry.getKey()::contains))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Prometheus' text format: one sample per line, {@code name{labels} value}; comments skipped. */
    private Map<String, Double> scrape(String url) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            Map<String, Double> samples = new HashMap<>();
            Matcher sample = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$")
                    .matcher(response.body().string());
            while (sample.find()) {
                samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
            }
            return samples;
        }
    }
}
