package io.buildq.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a process's meters at {@code GET /metrics} in Prometheus' text format (OpenMetrics when
 * the scraper asks for it). Off unless an operator gives a port: the figures say how busy the
 * queue is and nothing secret, but a listener nobody asked for is one more thing to firewall.
 *
 * <p>Before each scrape it runs the given refreshers (the queue's gauges, read from the database),
 * so that a scrape shows the tables as they are at that moment and costs nothing between scrapes.
 */
public final class MetricsServer implements AutoCloseable {

    public static final String PATH = "/metrics";
    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusMeterRegistry registry;
    private final List<Runnable> beforeScrape;
    private final HttpServer server;

    private MetricsServer(PrometheusMeterRegistry registry, List<Runnable> beforeScrape, HttpServer server) {
        this.registry = registry;
        this.beforeScrape = beforeScrape;
        this.server = server;
    }

    /** A registry as the server expects it: Prometheus' defaults (a scrape reads every meter as it is). */
    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Listens on {@code bind} (port 0 picks a free one) and serves {@code registry}.
     *
     * @param beforeScrape run in order before each scrape; one that throws is logged and skipped
     */
    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress bind, List<Runnable> beforeScrape) {
        // Without it the JDK's server holds each answer's body for the scraper's delayed ACK (40 ms).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server;
        try {
            server = HttpServer.create(bind, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for metrics scrapes on " + bind.getHostString() + ":"
                    + bind.getPort() + " (" + e.getMessage() + ")", e);
        }
        MetricsServer metrics = new MetricsServer(registry, List.copyOf(beforeScrape), server);
        server.createContext(PATH, metrics::handle);
        // One thread: scrapes come every 15 s or so, and two at once would only read the tables twice.
        server.setExecutor(Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "buildq-metrics");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        log.info("Prometheus metrics at http://{}:{}{}", bind.getHostString(), server.getAddress().getPort(), PATH);
        return metrics;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            for (Runnable refresh : beforeScrape) {
                try {
                    refresh.run();
                } catch (RuntimeException e) {
                    log.warn("A metrics refresh failed; this scrape goes without its figures: {}", e.toString());
                }
            }
            String accept = exchange.getRequestHeaders().getFirst("Accept");
            String contentType = accept != null && accept.contains("application/openmetrics-text")
                    ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                    : "text/plain; version=0.0.4; charset=utf-8";
            byte[] body = registry.scrape(contentType).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
