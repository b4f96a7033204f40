package io.buildq.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.buildq.internal.health.HealthCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health/live} and {@code /health/ready} for systemd and Kubernetes probes, on the worker's
 * callback listener: live while the process answers at all; ready (200, else 503) while the database
 * is reachable and migrated and JobRunr's server runs, with each check's state in a small JSON body.
 * They need no credentials and say nothing a probe's network should not hear.
 */
public final class HealthEndpoints {

    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";

    private final HealthCheck check;
    private final ObjectMapper json = new ObjectMapper();

    public HealthEndpoints(HealthCheck check) {
        this.check = check;
    }

    public HttpHandler live() {
        return exchange -> respond(exchange, 200, Map.of("status", "live"));
    }

    public HttpHandler ready() {
        return exchange -> {
            HealthCheck.Report report = check.ready();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.ready() ? "ready" : "not ready");
            body.put("checks", new java.util.TreeMap<>(report.checks()));
            respond(exchange, report.ready() ? 200 : 503, body);
        };
    }

    private void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseBody().write(bytes);
            }
        }
    }
}
