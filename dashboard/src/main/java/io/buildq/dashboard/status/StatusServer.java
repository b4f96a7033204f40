package io.buildq.dashboard.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.buildq.api.BuildQueue;
import io.buildq.api.JobNotCancellableException;
import io.buildq.api.JobNotRetryableException;
import io.buildq.dashboard.AllowedHosts;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.internal.tls.ServerTls;
import io.buildq.error.BuildNotFoundException;
import io.buildq.error.BuildQueueException;
import io.buildq.status.BuildQuery;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobQuery;
import io.buildq.status.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * buildq's own status page and its JSON API, beside JobRunr's dashboard: builds and pushes by image,
 * target and account with retry and cancel (one by one, or every failed job at once).
 * <ul>
 *   <li>{@code GET /builds} (HTML, filters {@code status}, {@code image}, {@code target});
 *       {@code POST /builds/{id}/retry|cancel} and {@code /builds/retry-failed} from its forms;</li>
 *   <li>{@code GET /api/builds}, {@code GET /api/builds/{id}}, {@code POST /api/builds/{id}/retry|cancel},
 *       {@code POST /api/builds/retry-failed}.</li>
 * </ul>
 * State-changing requests are protected against cross-site use: forms carry a per-process token, API
 * calls must send the {@code X-Requested-By} header (which a cross-site page cannot send), and an
 * {@code Origin} other than this server's is refused. Every request must name this server in its
 * {@code Host} ({@link AllowedHosts}), so that a rebound DNS name reaches nothing.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusServer.class);
    private static final Pattern ACTION = Pattern.compile("/(api/)?builds/([0-9a-fA-F-]{36})(/(retry|cancel))?");
    private static final Pattern BUILD_PAGE = Pattern.compile("/builds/([0-9a-fA-F-]{36})(/live)?");
    /** How often the newest change is read while a page listens; what a user sees as "at once". */
    private static final Duration CHANGE_POLL = Duration.ofMillis(500);
    /** A comment this often keeps proxies from closing an idle event stream. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final BuildQueue queue;
    private final StatusHtml html;
    private final AllowedHosts hosts;
    private final ObjectMapper json;
    private final String csrfToken;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ChangeSignal changes;

    private StatusServer(BuildQueue queue, DashboardSettings settings, String jobRunrUrl) {
        this.queue = queue;
        this.html = new StatusHtml(jobRunrUrl);
        this.hosts = AllowedHosts.of(settings);
        this.json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        this.csrfToken = HexFormat.of().formatHex(token);
        this.changes = new ChangeSignal(queue::lastChangeId, CHANGE_POLL);
        try {
            this.server = ServerTls.listen(new InetSocketAddress(settings.host(), settings.port()), settings.tls());
        } catch (IOException e) {
            throw new UncheckedIOException("the status page cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "buildq-status");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        HttpContext context = server.createContext("/", this::handle);
        if (settings.requiresLogin()) {
            context.setAuthenticator(new BasicAuthenticator("buildq") {
                @Override
                public boolean checkCredentials(String username, String password) {
                    return equal(username, settings.username()) & equal(password, settings.password());
                }
            });
        }
        server.start();
        log.info("buildq status page at {}://{}:{}/builds", ServerTls.scheme(settings.tls()), settings.host(),
                server.getAddress().getPort());
    }

    /**
     * @param jobRunrUrl the JobRunr dashboard's base URL (e.g. {@code http://127.0.0.1:8000}), for links
     */
    public static StatusServer start(BuildQueue queue, DashboardSettings settings, String jobRunrUrl) {
        return new StatusServer(queue, settings, jobRunrUrl);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        changes.close();
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (!hosts.allowsHost(host)) {
                // A rebound name (DNS rebinding) reads no build and changes none.
                send(exchange, 400, "text/plain; charset=utf-8", hosts.refusal(host));
                return;
            }
            try {
                route(exchange, method, path);
            } catch (BuildNotFoundException e) {
                error(exchange, 404, e);
            } catch (JobNotRetryableException | JobNotCancellableException e) {
                error(exchange, 409, e);
            } catch (IllegalArgumentException | BuildQueueException e) {
                error(exchange, 400, e);
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        Map<String, String> params = query(exchange.getRequestURI());
        if (path.equals("/") || path.equals("/builds/")) {
            exchange.getResponseHeaders().set("Location", "/builds");
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        if (method.equals("GET") && path.equals("/builds")) {
            BuildQuery query = buildQuery(params);
            send(exchange, 200, "text/html; charset=utf-8", html.page(queue.builds(query), query, csrfToken, Instant.now()));
            return;
        }
        // /builds/rows: what pages served before the live part had a name fetch; kept for those still open.
        if (method.equals("GET") && (path.equals("/builds/live") || path.equals("/builds/rows"))) {
            BuildQuery query = buildQuery(params);
            send(exchange, 200, "text/html; charset=utf-8", html.live(queue.builds(query), query, csrfToken, Instant.now()));
            return;
        }
        if (method.equals("GET") && path.equals("/builds/events")) {
            events(exchange);
            return;
        }
        Matcher buildPage = BUILD_PAGE.matcher(path);
        if (method.equals("GET") && buildPage.matches()) {
            UUID buildId = UUID.fromString(buildPage.group(1));
            BuildStatus build = queue.status(buildId);
            Map<UUID, List<HistoryEntry>> history = queue.buildHistory(buildId);
            send(exchange, 200, "text/html; charset=utf-8", buildPage.group(2) == null
                    ? html.buildPage(build, history, csrfToken, Instant.now())
                    : html.buildLive(build, history, csrfToken, Instant.now()));
            return;
        }
        if (method.equals("GET") && path.equals("/api/builds")) {
            sendJson(exchange, 200, queue.jobs(jobQuery(params)));
            return;
        }
        boolean api = path.startsWith("/api/");
        if (method.equals("POST") && (path.equals("/builds/retry-failed") || path.equals("/api/builds/retry-failed"))) {
            Map<String, String> form = api ? params : form(exchange);
            if (!allowed(exchange, api, form)) {
                return;
            }
            List<UUID> retried = queue.retryAllFailed(blankToNull(form.get("image")));
            if (api) {
                sendJson(exchange, 200, Map.of("retried", retried));
            } else {
                backToList(exchange);
            }
            return;
        }
        Matcher matcher = ACTION.matcher(path);
        if (!matcher.matches()) {
            send(exchange, 404, "text/plain; charset=utf-8", "Not found");
            return;
        }
        UUID jobId = UUID.fromString(matcher.group(2));
        String action = matcher.group(4);
        if (method.equals("GET") && api && action == null) {
            ObjectNode body = json.valueToTree(queue.job(jobId));
            body.set("history", json.valueToTree(queue.history(jobId)));
            sendJson(exchange, 200, body);
            return;
        }
        if (!method.equals("POST") || action == null) {
            send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed");
            return;
        }
        Map<String, String> form = api ? params : form(exchange);
        if (!allowed(exchange, api, form)) {
            return;
        }
        if (action.equals("retry")) {
            queue.retry(jobId);
        } else {
            queue.cancel(jobId);
        }
        if (api) {
            sendJson(exchange, 200, queue.job(jobId));
        } else {
            backToList(exchange);
        }
    }

    /** Cross-site request protection for every state-changing request. */
    private boolean allowed(HttpExchange exchange, boolean api, Map<String, String> form) throws IOException {
        // Compared with the names this server answers to, not with Host, which a rebinding page sets too.
        boolean sameOrigin = hosts.allowsOrigin(exchange.getRequestHeaders().getFirst("Origin"));
        boolean proven = api ? exchange.getRequestHeaders().getFirst("X-Requested-By") != null
                : equal(form.get("csrf"), csrfToken);
        if (sameOrigin && proven) {
            return true;
        }
        send(exchange, 403, "text/plain; charset=utf-8", api
                ? "Refused: API calls that change state must send the X-Requested-By header"
                : "Refused: the form's token is missing or stale; reload the page");
        return false;
    }

    /**
     * A server-sent event stream: "change" whenever a job changed (the page then fetches its live part
     * again), a comment every {@link #KEEP_ALIVE} otherwise. It ends when the page goes away or the
     * server stops; the browser's EventSource reconnects by itself.
     */
    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long seen = changes.connect();
        try {
            write(out, "retry: 2000\n: connected\n\n");
            while (!Thread.currentThread().isInterrupted()) {
                long latest = changes.awaitAfter(seen, KEEP_ALIVE);
                if (latest != seen) {
                    seen = latest;
                    write(out, "event: change\ndata: " + latest + "\n\n");
                } else {
                    write(out, ": keep-alive\n\n");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
        } catch (IOException e) {
            log.debug("a status page's event stream closed: {}", e.toString());
        } finally {
            changes.disconnect();
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static BuildQuery buildQuery(Map<String, String> params) {
        String status = blankToNull(params.get("status"));
        String page = blankToNull(params.get("page"));
        int pageNumber;
        try {
            pageNumber = page == null ? 1 : Integer.parseInt(page);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("page must be a number, was '" + page + "'");
        }
        return new BuildQuery(status == null ? null : JobStatus.valueOf(status.toUpperCase(Locale.ROOT)),
                blankToNull(params.get("image")), blankToNull(params.get("target")), pageNumber,
                BuildQuery.DEFAULT_PAGE_SIZE);
    }

    private static JobQuery jobQuery(Map<String, String> params) {
        String status = blankToNull(params.get("status"));
        return new JobQuery(status == null ? null : JobStatus.valueOf(status.toUpperCase(Locale.ROOT)),
                blankToNull(params.get("image")), blankToNull(params.get("target")), 200);
    }

    private void backToList(HttpExchange exchange) throws IOException {
        String query = refererQuery(exchange.getRequestHeaders().getFirst("Referer"));
        exchange.getResponseHeaders().set("Location", "/builds" + (query == null ? "" : "?" + query));
        exchange.sendResponseHeaders(303, -1);
    }

    /**
     * The list's filters, from the page the form was on. The action is done by now: a Referer that is
     * not a URI costs only the filters, never a 400 for work that happened.
     */
    private static String refererQuery(String referer) {
        if (referer == null) {
            return null;
        }
        try {
            String query = new URI(referer).getRawQuery();
            // Only what a query of this page can hold: no header splitting through the Location.
            return query == null || !query.matches("[A-Za-z0-9=&%+._~-]*") ? null : query;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private void error(HttpExchange exchange, int status, Exception e) throws IOException {
        sendJson(exchange, status, Map.of("error", e.getClass().getSimpleName(), "message", String.valueOf(e.getMessage())));
    }

    private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", json.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", StatusHtml.CONTENT_SECURITY_POLICY);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static Map<String, String> query(URI uri) {
        return decode(uri.getRawQuery());
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        return decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (encoded == null) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static boolean equal(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }
}
