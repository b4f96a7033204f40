package io.buildq.callback;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.buildq.error.BuildNotFoundException;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryImage;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.tls.ServerTls;
import io.buildq.progress.ProgressWriter;
import io.buildq.telemetry.WorkerMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint factory's status callbacks reach:
 * {@code PUT /callbacks/{target_images|provider_images}/{job}/{attempt}}.
 * Factory sends each status change once and ignores errors, so a callback is written straight to the
 * row (any worker can do that) and the job's thread is woken. Each URL carries its own token as user
 * info (see {@link CallbackTokens}), which factory turns into HTTP Basic auth: nobody without the
 * installation's key can forge progress, and a token seen in factory's request body or log is good
 * for its own job and attempt only.
 */
public final class CallbackReceiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CallbackReceiver.class);
    public static final String TARGET_IMAGES = "target_images";
    public static final String PROVIDER_IMAGES = "provider_images";
    private static final Pattern PATH =
            Pattern.compile("/callbacks/(target_images|provider_images)/([0-9a-fA-F-]{36})/(\\d+)");
    private static final String USER = "buildq";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ProgressWriter progress;
    private final FactoryClient factory;
    private final URI publicBase;
    private final CallbackTokens tokens;
    private final WorkerMeters meters;

    /**
     * @param bind       the address and port to listen on (port 0 picks one)
     * @param publicBase the base URL factory should call, or null for {@code http(s)://<bind address>:<port>}
     * @param tls        the listener's certificate and key for HTTPS, or null for plain HTTP
     */
    public CallbackReceiver(InetSocketAddress bind, URI publicBase, ServerTls tls, CallbackTokens tokens,
                            ProgressWriter progress, FactoryClient factory, WorkerMeters meters) {
        this.meters = meters;
        this.progress = progress;
        this.factory = factory;
        this.tokens = tokens;
        try {
            this.server = ServerTls.listen(bind, tls);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for factory callbacks on " + bind, e);
        }
        this.executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "buildq-callbacks");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/callbacks/", this::handle);
        server.start();
        this.publicBase = publicBase != null ? publicBase
                : URI.create(ServerTls.scheme(tls) + "://" + bind.getAddress().getHostAddress() + ":"
                        + server.getAddress().getPort());
        log.info("Listening for Image Factory callbacks on {} ({})", server.getAddress(),
                tls == null ? "plain HTTP" : "HTTPS, " + tls);
    }

    /**
     * The callback URL for one attempt of one job, with its token as user info.
     *
     * @param collection {@link #TARGET_IMAGES} or {@link #PROVIDER_IMAGES}
     */
    public String callbackUrl(String collection, UUID jobId, int attempt) {
        return publicBase.getScheme() + "://" + USER + ":" + tokens.token(collection, jobId, attempt) + "@"
                + publicBase.getRawAuthority()
                + stripTrailingSlash(publicBase.getRawPath()) + "/callbacks/" + collection + "/" + jobId + "/" + attempt;
    }

    /** Serves {@code handler} at {@code path} too: the listener carries the worker's health probes. */
    public void serve(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher matcher = PATH.matcher(exchange.getRequestURI().getPath());
            if (!matcher.matches()) {
                respond(exchange, 404);
                return;
            }
            if (!exchange.getRequestMethod().equals("PUT") && !exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405);
                return;
            }
            String collection = matcher.group(1);
            UUID jobId;
            int attempt;
            try {
                jobId = UUID.fromString(matcher.group(2));
                attempt = Integer.parseInt(matcher.group(3));
            } catch (IllegalArgumentException e) {
                respond(exchange, 404);
                return;
            }
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"), collection, jobId, attempt)) {
                log.warn("Refused a factory callback for job {} attempt {} without its token", jobId, attempt);
                meters.callbackRefused();
                respond(exchange, 401);
                return;
            }
            String rootKey = collection.equals(TARGET_IMAGES) ? "target_image" : "provider_image";
            JsonNode body;
            FactoryImage report;
            try {
                body = factory.readTree(exchange.getRequestBody().readAllBytes());
                if (body == null || body.get(rootKey) == null) {
                    // A template build also sends its implicit base image's changes here; the
                    // target image's own PENDING already says that the base image is building.
                    respond(exchange, 200);
                    return;
                }
                report = factory.parseImage(body);
            } catch (IOException | RuntimeException e) {
                log.warn("Unreadable factory callback for job {}: {}", jobId, e.toString());
                respond(exchange, 400);
                return;
            }
            try {
                progress.record(jobId, attempt, report, ChangeSource.CALLBACK);
                respond(exchange, 200);
            } catch (BuildNotFoundException e) {
                respond(exchange, 404);
            } catch (RuntimeException e) {
                // The job's own polling will pick the status up; factory does not retry anyway.
                log.warn("Could not record factory callback for job {}", jobId, e);
                respond(exchange, 500);
            }
        }
    }

    private boolean authorized(String header, String collection, UUID jobId, int attempt) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = credentials.indexOf(':');
        return colon > 0 && credentials.substring(0, colon).equals(USER)
                && tokens.verifies(collection, jobId, attempt, credentials.substring(colon + 1));
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
    }

    private static String stripTrailingSlash(String path) {
        return path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
