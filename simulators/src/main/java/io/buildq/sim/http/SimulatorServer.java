package io.buildq.sim.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK {@link HttpServer} on a chosen address with one catch-all handler: the simulators route by
 * path themselves, as bottle (factory) and libmicrohttpd (iwhd) did, so that unmatched paths get the
 * real services' answers rather than the JDK's. It speaks plain HTTP, or HTTPS when started with an
 * {@link SSLContext} (an {@link HttpsServer}), as paste did with {@code ssl_pem}.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorServer.class);

    /** Handles one request; may throw, which becomes a bare 500 like an unhandled server error. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** The path of the admin endpoint: GET the faults, POST JSON to set them, DELETE to clear them. */
    public static final String FAULTS_PATH = "/_sim/faults";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final Faults faults;
    private final AtomicInteger inFlight;

    private SimulatorServer(HttpServer server, ExecutorService executor, Faults faults, AtomicInteger inFlight) {
        this.server = server;
        this.executor = executor;
        this.faults = faults;
        this.inFlight = inFlight;
    }

    /** Requests being handled now (a held or hanging one counts): lets a test wait for late writes. */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /**
     * Starts a server; every request first goes through {@code faults}.
     *
     * @param errorBody what an injected 500 carries (factory sent bottle's text, iwhd nothing)
     */
    public static SimulatorServer start(String name, InetAddress address, int port, Faults faults, String errorBody,
                                        Handler handler) {
        return start(name, address, port, null, faults, errorBody, handler);
    }

    /**
     * Starts a server that speaks HTTPS with {@code tls} (the server's certificate and key), or plain
     * HTTP when {@code tls} is null; every request first goes through {@code faults}.
     *
     * @param errorBody what an injected 500 carries (factory sent bottle's text, iwhd nothing)
     */
    public static SimulatorServer start(String name, InetAddress address, int port, SSLContext tls, Faults faults,
                                        String errorBody, Handler handler) {
        // The JDK's server writes headers and body apart and, with Nagle's algorithm on, holds the
        // body until the client's delayed ACK: 40 ms on every answer with a body, a delay of this
        // HTTP layer and not of the service simulated (see ServerTls.answerWithoutDelay).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            InetSocketAddress socketAddress = new InetSocketAddress(address, port);
            HttpServer server;
            if (tls == null) {
                server = HttpServer.create(socketAddress, 0);
            } else {
                HttpsServer https = HttpsServer.create(socketAddress, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, name + "-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            AtomicInteger inFlight = new AtomicInteger();
            server.createContext("/", exchange -> {
                inFlight.incrementAndGet();
                try (exchange) {
                    if (exchange.getRequestURI().getPath().equals(FAULTS_PATH)) {
                        administer(exchange, faults);
                        return;
                    }
                    Faults.Decision decision = injectFault(exchange, faults, errorBody);
                    Faults.Outcome outcome = decision == null ? null : decision.outcome();
                    if (outcome == Faults.Outcome.ANSWER) {
                        handler.handle(exchange);
                    } else if (outcome == Faults.Outcome.LOSE_ANSWER || outcome == Faults.Outcome.HOLD_ANSWER) {
                        // The service acts in full; then its answer is lost. Closing an exchange that
                        // sent no headers closes the connection: the client sees EOF (or, held, nothing).
                        handler.handle(new AnswerDiscardingExchange(exchange));
                        log.debug("{}: handled {} {}, answer lost on purpose", name, exchange.getRequestMethod(),
                                exchange.getRequestURI());
                        if (outcome == Faults.Outcome.HOLD_ANSWER) {
                            faults.hangUntilClosed();
                        }
                    } else if (outcome == Faults.Outcome.ACT_LATE) {
                        // The request waits in the service (a busy factory) while its client gives up.
                        if (faults.awaitUnlessClosed(decision.delay())) {
                            handler.handle(new AnswerDiscardingExchange(exchange));
                            log.debug("{}: handled {} {} late, answer lost on purpose", name, exchange.getRequestMethod(),
                                    exchange.getRequestURI());
                        }
                    }
                } catch (RuntimeException | IOException e) {
                    log.warn("{} failed on {} {}", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
                    try {
                        sendText(exchange, 500, "Internal Server Error");
                    } catch (IOException | RuntimeException ignored) {
                        // the response may already have started; the client sees a broken reply
                    }
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            server.start();
            return new SimulatorServer(server, executor, faults, inFlight);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address.getHostAddress() + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https} when started with an {@link SSLContext}, else {@code http}: what URLs must start with. */
    public String scheme() {
        return server instanceof HttpsServer ? "https" : "http";
    }

    public String host() {
        return server.getAddress().getAddress().getHostAddress();
    }

    /**
     * Applies the configured latency, then answers for a fault drawn that acts before the service
     * does (and returns null), or returns what the handler is to do: answer, act and lose the answer,
     * or act late.
     */
    private static Faults.Decision injectFault(HttpExchange exchange, Faults faults, String errorBody) throws IOException {
        long latency = faults.latencyMillis();
        if (latency > 0) {
            try {
                Thread.sleep(latency); // the injected delay itself
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        Faults.Decision decision = faults.decide(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
        switch (decision.outcome()) {
            case ERROR -> {
                readBody(exchange);
                if (errorBody.isEmpty()) {
                    send(exchange, 500, null, new byte[0]);
                } else {
                    sendText(exchange, 500, errorBody);
                }
                return null;
            }
            case DROP -> {
                // Closing an exchange that sent no headers closes the connection: the client sees EOF.
                return null;
            }
            case HANG -> {
                faults.hangUntilClosed();
                return null;
            }
            default -> {
                return decision;
            }
        }
    }

    private static void administer(HttpExchange exchange, Faults faults) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> { }
            case "POST", "PUT" -> {
                try {
                    faults.set(FaultSettings.fromJson(JSON.readTree(readBody(exchange))));
                } catch (IOException | IllegalArgumentException e) {
                    sendText(exchange, 400, "bad fault settings: " + e.getMessage());
                    return;
                }
            }
            case "DELETE" -> faults.set(FaultSettings.none());
            default -> {
                sendText(exchange, 405, "GET, POST or DELETE");
                return;
            }
        }
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(faults.settings().toJson(JSON)));
    }

    @Override
    public void close() {
        faults.close();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static byte[] readBody(HttpExchange exchange) throws IOException {
        return exchange.getRequestBody().readAllBytes();
    }

    /** Sends a body with the given content type, or none at all when {@code contentType} is null. */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body.length == 0 || status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
        } else {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    public static void sendText(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "text/html; charset=UTF-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
