package io.buildq.httpapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.buildq.api.BuildQueue;
import io.buildq.dashboard.AllowedHosts;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.build.BuildRequest;
import io.buildq.catalog.Catalog;
import io.buildq.catalog.CatalogEntry;
import io.buildq.error.BuildQueueException;
import io.buildq.internal.health.HealthCheck;
import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import io.buildq.secret.CredentialCipher;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobChange;
import io.buildq.status.JobSummary;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * buildq's HTTP API, {@code /v1}: the same {@link BuildQueue} the CLI and Conductor's Java code use,
 * for callers that are not on the JVM (Conductor's Rails app, aeolus-image's Ruby tools). Every
 * route but the OpenAPI document needs a bearer token ({@link ApiTokens}); accounts registered by name
 * keep their credentials sealed ({@link AccountRegistry}); errors are
 * {@link Problem}s. {@code /v1/openapi.json} describes every route, and the contract tests validate
 * every answer against it.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    static final String OPENAPI_PATH = "/v1/openapi.json";
    /** The largest body taken: a template (256 Ki characters, up to 4 bytes each) and its accounts. */
    static final long MAX_BODY_BYTES = 2L * 1024 * 1024;

    static final Duration EVENT_POLL = Duration.ofMillis(250);
    static final Duration EVENT_HEARTBEAT = Duration.ofSeconds(15);
    /** How long the event stream waits for a change with a lower id to commit before it moves past it. */
    static final Duration EVENT_GAP_WAIT = Duration.ofSeconds(5);

    private final Javalin app;
    private final HealthCheck health;

    private ApiServer(Javalin app, HealthCheck health) {
        this.app = app;
        this.health = health;
    }

    /**
     * Starts the API where {@code settings} say (address, port, TLS, the host names it answers to).
     * Off loopback, {@link DashboardSettings} has already required HTTPS or a TLS-terminating proxy.
     */
    public static ApiServer start(BuildQueue queue, DataSource dataSource, CredentialCipher cipher,
                                  DashboardSettings settings) {
        ApiTokens tokens = new ApiTokens(dataSource, Clock.systemUTC());
        AccountRegistry accounts = new AccountRegistry(dataSource, cipher, Clock.systemUTC());
        HealthCheck health = new HealthCheck(dataSource, Duration.ofSeconds(2));
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        byte[] openApi = openApiDocument();
        AllowedHosts hosts = AllowedHosts.of(settings);
        Routes routes = new Routes(queue, accounts, json);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = settings.tls() == null
                        ? new ServerConnector(server, new HttpConnectionFactory(http))
                        : new ServerConnector(server, new SslConnectionFactory(sslContextFactory(settings), "http/1.1"),
                                new HttpConnectionFactory(http));
                connector.setHost(settings.host());
                connector.setPort(settings.port());
                return connector;
            });
            config.routes.before(ctx -> {
                if (ctx.path().startsWith("/health/")) {
                    return; // probes come by the pod's address and carry no token; they read nothing of the queue
                }
                // DNS rebinding: a name the API does not serve reads nothing, token or not.
                if (!hosts.allowsHost(ctx.header("Host"))) {
                    throw new ProblemException(Problem.of("unknown-host", "Unknown host", 400,
                            hosts.refusal(ctx.header("Host")), null));
                }
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Cache-Control", "no-store");
                if (!ctx.path().equals(OPENAPI_PATH)) {
                    authenticate(ctx, tokens);
                }
                // Javalin answers an event stream asked for without this header with an empty 200.
                String accept = ctx.header("Accept");
                if (ctx.path().equals("/v1/events") && (accept == null || !accept.contains("text/event-stream"))) {
                    throw new ProblemException(Problem.of("not-acceptable", "The stream is text/event-stream", 406,
                            "send Accept: text/event-stream (EventSource does)", null));
                }
            });
            config.routes.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(openApi));
            config.routes.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"live\"}"));
            config.routes.get("/health/ready", ctx -> {
                HealthCheck.Report report = health.ready();
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", report.ready() ? "ready" : "not ready");
                body.put("checks", new TreeMap<>(report.checks()));
                ctx.status(report.ready() ? 200 : 503).contentType("application/json").result(json.writeValueAsBytes(body));
            });
            config.routes.post("/v1/builds", ctx -> routes.submitBuild(ctx, read(ctx, json, BuildSubmission.class)));
            config.routes.get("/v1/builds/{id}", ctx -> routes.build(ctx, id(ctx)));
            config.routes.post("/v1/builds/{id}/pushes", ctx -> routes.push(ctx, id(ctx), read(ctx, json, Pushes.class)));
            config.routes.get("/v1/jobs/{id}", ctx -> routes.job(ctx, id(ctx)));
            config.routes.put("/v1/accounts/{name}", ctx -> routes.putAccount(ctx, ctx.pathParam("name"),
                    read(ctx, json, AccountBody.class)));
            config.routes.get("/v1/accounts", routes::accounts);
            config.routes.get("/v1/images/{id}/catalog", ctx -> routes.catalog(ctx, id(ctx), ctx.queryParams("account")));
            config.routes.post("/v1/images/{id}/ensure", ctx -> routes.ensure(ctx, id(ctx), read(ctx, json, Ensure.class)));
            config.routes.post("/v1/jobs/retry-failed", ctx -> routes.retryFailed(ctx,
                    ctx.body().isBlank() ? new RetryFailed(null) : read(ctx, json, RetryFailed.class)));
            config.routes.post("/v1/jobs/{id}/retry", ctx -> routes.retry(ctx, id(ctx)));
            config.routes.post("/v1/jobs/{id}/cancel", ctx -> routes.cancel(ctx, id(ctx)));
            config.routes.sse("/v1/events", client -> streamChanges(client, queue, json));
            config.routes.exception(ProblemException.class, (e, ctx) -> send(ctx, json, e.problem()));
            config.routes.exception(BuildQueueException.class, (e, ctx) -> send(ctx, json, Problem.of(e)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("HTTP API: {} {} failed", ctx.method(), ctx.path(), e);
                send(ctx, json, Problem.of("internal-error", "Internal error", 500,
                        "the server failed; its log says why", null));
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null) {
                    send(ctx, json, Problem.of("no-such-route", "No such route", 404, ctx.method() + " " + ctx.path()
                            + " is not a route of this API; " + OPENAPI_PATH + " lists them", null));
                }
            });
            config.routes.error(405, "*", ctx -> send(ctx, json, Problem.of("method-not-allowed", "Method not allowed",
                    405, ctx.method() + " is not allowed on " + ctx.path(), null)));
            config.routes.error(413, "*", ctx -> send(ctx, json, Problem.of("body-too-large", "Body too large", 413,
                    "a request body may hold " + MAX_BODY_BYTES + " bytes at most", null)));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("the HTTP API cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e));
        }
        log.info("buildq HTTP API at {}://{}:{}/v1 (document: {})", settings.scheme(), settings.host(), app.port(),
                OPENAPI_PATH);
        return new ApiServer(app, health);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        health.close();
    }

    /**
     * {@code GET /v1/events}: each change of a job as a server-sent event ({@code event: job}, the
     * change's id as {@code id}, a {@link io.buildq.status.JobChange} as {@code data}), from the
     * change after {@code Last-Event-ID} (header, or {@code lastEventId} parameter for a first
     * connection) or, without one, from now. The database is polled every {@link #EVENT_POLL}; a
     * comment every {@link #EVENT_HEARTBEAT} keeps proxies from closing a quiet stream and finds
     * clients that left.
     */
    private static void streamChanges(SseClient client, BuildQueue queue, ObjectMapper json) {
        Context ctx = client.ctx();
        String resume = ctx.header("Last-Event-ID") != null ? ctx.header("Last-Event-ID") : ctx.queryParam("lastEventId");
        long after;
        try {
            after = resume == null || resume.isBlank() ? queue.lastChangeId() : Long.parseLong(resume.trim());
        } catch (NumberFormatException e) {
            client.sendEvent("problem", "Last-Event-ID must be an event id this stream sent, was '" + resume + "'", null);
            return;
        }
        ChangeFollower follower = new ChangeFollower(queue, after, EVENT_GAP_WAIT, Clock.systemUTC());
        client.sendComment("following changes after " + after);
        long quietSince = System.nanoTime();
        while (!client.terminated()) {
            List<JobChange> changes = follower.next();
            for (JobChange change : changes) {
                try {
                    client.sendEvent("job", json.writeValueAsString(change), String.valueOf(change.id()));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("a change is always JSON", e);
                }
            }
            if (!changes.isEmpty()) {
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > EVENT_HEARTBEAT.toNanos()) {
                client.sendComment("still here");
                quietSince = System.nanoTime();
            }
            try {
                Thread.sleep(EVENT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void authenticate(Context ctx, ApiTokens tokens) {
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        if (token == null || tokens.authenticate(token).isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"buildq\"");
            throw new ProblemException(Problem.of("unauthorized", "A valid bearer token is required", 401,
                    token == null ? "send Authorization: Bearer <token>; `buildq token create --name NAME` makes one"
                            : "the token is unknown or revoked", null));
        }
    }

    /** The body as {@code type}: JSON only, no field the type does not have, malformed JSON a 400. */
    private static <T> T read(Context ctx, ObjectMapper json, Class<T> type) {
        String contentType = ctx.contentType();
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ProblemException(Problem.of("unsupported-media-type", "The body must be JSON", 415,
                    "send Content-Type: application/json, not " + contentType, null));
        }
        try {
            T value = json.readValue(ctx.bodyAsBytes(), type);
            if (value == null) {
                throw new ProblemException(Problem.of("malformed-body", "The body is not a JSON object", 400,
                        "the body is empty or null", null));
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new ProblemException(Problem.of("unknown-field", "The request is invalid", 422,
                    e.getPropertyName() + ": no such field", e.getPropertyName()));
        } catch (JsonMappingException e) {
            String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
            throw new ProblemException(Problem.of("malformed-body", "The body does not fit the request's schema", 400,
                    (field == null ? "" : field + ": ") + e.getOriginalMessage(), field));
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of("malformed-body", "The body is not JSON", 400, e.getOriginalMessage(),
                    null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID id(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of("build-not-found", "No such build or job", 404,
                    "'" + ctx.pathParam("id") + "' is not an id", null));
        }
    }

    static void send(Context ctx, ObjectMapper json, Problem problem) {
        try {
            ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem is always JSON", e);
        }
    }

    private static SslContextFactory.Server sslContextFactory(DashboardSettings settings) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setSslContext(settings.tls().sslContext());
        return factory;
    }

    private static byte[] openApiDocument() {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The body of {@code POST /v1/images/{id}/ensure}: the accounts (registered names), and the image's
     * name and template for a build, should one be needed.
     */
    record Ensure(List<String> accounts, String image, String template, String poolFamily) {
    }

    /**
     * What ensure enqueued: the build (null if none was needed), the targets it builds, the pushes of
     * built targets, and the catalog it decided from.
     */
    record Ensured(UUID buildId, List<String> built, List<UUID> pushes, CatalogView catalog) {
    }

    /** The body of {@code PUT /v1/accounts/{name}}: the account, less its name, which the path gives. */
    record AccountBody(String target, String factoryProvider, String credentials) {
        @Override
        public String toString() {
            return "AccountBody[target=" + target + ", factoryProvider=" + factoryProvider + "]";
        }
    }

    /** The registered accounts, as {@code GET /v1/accounts} answers. */
    record Accounts(List<AccountRegistry.Registered> accounts) {
    }

    /**
     * An image's catalog as {@code GET /v1/images/{id}/catalog} answers: each account's state by the
     * names Conductor's {@code image_status} used, and what is missing.
     */
    record CatalogView(UUID imageId, String latestBuildId, List<Entry> entries, Missing missing) {

        record Entry(String providerName, String target, String accountIdentifier, String state, String buildId,
                     String targetImageId, String providerImageId, String targetIdentifier) {
        }

        /** @param build the targets to build; @param push the accounts (by name) to push to */
        record Missing(List<String> build, List<String> push) {
        }

        static CatalogView of(Catalog catalog) {
            return new CatalogView(catalog.imageId(), catalog.latestBuildId(), catalog.entries().stream()
                    .map(entry -> new Entry(entry.providerName(), entry.target(), entry.accountIdentifier(),
                            entry.state().wireName(), entry.buildId(), entry.targetImageId(), entry.providerImageId(),
                            entry.targetIdentifier()))
                    .toList(),
                    new Missing(catalog.targetsToBuild(),
                            catalog.accountsToPush().stream().map(CatalogEntry::providerName).toList()));
        }
    }

    /** The body of {@code POST /v1/builds/{id}/pushes}: the accounts to push the build's images to. */
    record Pushes(List<BuildSubmission.Account> accounts) {
    }

    /** The body of {@code POST /v1/jobs/retry-failed}: the image whose failed jobs to retry, or all. */
    record RetryFailed(String image) {
    }

    /** A job and its history, as {@code GET /v1/jobs/{id}} answers. */
    record JobView(JobSummary job, List<HistoryEntry> history) {
    }

    /** Jobs retried by {@code POST /v1/jobs/retry-failed}. */
    record Retried(List<UUID> retried) {
    }

    /** What each route does with the queue. */
    private record Routes(BuildQueue queue, AccountRegistry registry, ObjectMapper json) {

        void putAccount(Context ctx, String name, AccountBody body) {
            ProviderAccount account = new ProviderAccount(name, body.target(), body.factoryProvider(), body.credentials());
            boolean created = registry.put(account);
            respond(ctx, created ? 201 : 200, registry.registered(name).orElseThrow());
        }

        void accounts(Context ctx) {
            respond(ctx, 200, new Accounts(registry.list()));
        }

        void catalog(Context ctx, UUID imageId, List<String> names) {
            respond(ctx, 200, CatalogView.of(catalogOf(imageId, open(names, "account"))));
        }

        /**
         * Conductor's "offer to build and push" in one call: builds the targets the accounts need and
         * the image's latest build lacks, and pushes what is built but not pushed. Asked again, it
         * enqueues nothing that is under way; two calls at once enqueue one build, since the build's
         * idempotency key is derived from what the catalog said and what was asked.
         */
        void ensure(Context ctx, UUID imageId, Ensure body) {
            List<ProviderAccount> accounts = open(body.accounts(), "accounts");
            Catalog catalog = catalogOf(imageId, accounts);
            UUID buildId = null;
            List<String> toBuild = catalog.targetsToBuild();
            if (!toBuild.isEmpty()) {
                List<ProviderAccount> waiting = accounts.stream().filter(a -> toBuild.contains(a.target())).toList();
                BuildRequest request = new BuildRequest(body.image(), imageId, body.template(), toBuild,
                        ensureKey(imageId, catalog, toBuild, waiting, body.template()), body.poolFamily());
                buildId = queue.buildAndPush(request, waiting);
            }
            List<UUID> pushes = new ArrayList<>();
            List<ProviderAccount> toPush = catalog.accountsToPush().stream()
                    .map(entry -> accounts.stream().filter(a -> a.providerName().equals(entry.providerName())).findFirst()
                            .orElseThrow())
                    .toList();
            if (!toPush.isEmpty()) {
                pushes.addAll(queue.push(new PushRequest(UUID.fromString(catalog.latestBuildId()), toPush)));
            }
            respond(ctx, 200, new Ensured(buildId, toBuild, pushes, CatalogView.of(catalog)));
        }

        private List<ProviderAccount> open(List<String> names, String field) {
            if (names == null || names.isEmpty()) {
                throw new ProblemException(Problem.of("invalid-account", "The request is invalid", 422,
                        field + ": name at least one registered account", field));
            }
            return names.stream().map(name -> registry.open(name).orElseThrow(() ->
                    new ProblemException(Problem.of("invalid-account", "The request is invalid", 422, field + ": no account"
                            + " is registered as '" + name + "' (PUT /v1/accounts/{name} registers one)", field))))
                    .toList();
        }

        private Catalog catalogOf(UUID imageId, List<ProviderAccount> accounts) {
            try {
                return queue.catalog(imageId, accounts);
            } catch (BuildQueueException e) {
                if (e.getClass() != BuildQueueException.class) {
                    throw e;
                }
                throw new ProblemException(Problem.of("catalog-unavailable", "The queue cannot do it now", 503,
                        "this server reads no iwhd: start it with --iwhd URL", null));
            }
        }

        /** One key per (image, latest build, targets, accounts, template): the same ensure, the same build. */
        private static String ensureKey(UUID imageId, Catalog catalog, List<String> targets, List<ProviderAccount> accounts,
                                        String template) {
            StringBuilder what = new StringBuilder().append(imageId).append('\n').append(catalog.latestBuildId())
                    .append('\n').append(String.join(",", targets.stream().sorted().toList())).append('\n');
            accounts.stream().map(a -> a.providerName() + "/" + a.accountIdentifier()).sorted()
                    .forEach(name -> what.append(name).append(','));
            what.append('\n').append(template);
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(what.toString().getBytes(StandardCharsets.UTF_8));
                return "ensure-" + HexFormat.of().formatHex(digest);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }

        void submitBuild(Context ctx, BuildSubmission body) {
            String key = ctx.header("Idempotency-Key");
            UUID buildId = body.accounts() == null || body.accounts().isEmpty()
                    ? queue.build(body.toRequest(key))
                    : queue.buildAndPush(body.toRequest(key), body.providerAccounts());
            ctx.header("Location", "/v1/builds/" + buildId);
            respond(ctx, 201, queue.status(buildId));
        }

        void push(Context ctx, UUID buildId, Pushes body) {
            List<ProviderAccount> accounts = body.accounts() == null ? null
                    : body.accounts().stream().map(BuildSubmission.Account::toProviderAccount).toList();
            queue.push(new PushRequest(buildId, accounts));
            respond(ctx, 201, queue.status(buildId));
        }

        void build(Context ctx, UUID id) {
            respond(ctx, 200, queue.status(id));
        }

        void job(Context ctx, UUID id) {
            respond(ctx, 200, new JobView(queue.job(id), queue.history(id)));
        }

        void retry(Context ctx, UUID id) {
            queue.retry(id);
            respond(ctx, 200, queue.job(id));
        }

        void cancel(Context ctx, UUID id) {
            queue.cancel(id);
            respond(ctx, 200, queue.job(id));
        }

        void retryFailed(Context ctx, RetryFailed body) {
            respond(ctx, 200, new Retried(queue.retryAllFailed(body.image())));
        }

        private void respond(Context ctx, int status, Object body) {
            try {
                ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + body.getClass().getSimpleName() + " as JSON", e);
            }
        }
    }

    /** A refusal decided by the API itself (not by the queue), already a {@link Problem}. */
    static final class ProblemException extends RuntimeException {
        private final transient Problem problem;

        ProblemException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        Problem problem() {
            return problem;
        }
    }
}
