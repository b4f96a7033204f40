package io.buildq.sim.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JDK {@link HttpServer} on a chosen address with one catch-all handler: the simulators route by
 * path themselves, as bottle (factory) and libmicrohttpd (iwhd) did, so that unmatched paths get the
 * real services' answers rather than the JDK's.
 */
public final class SimulatorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorServer.class);

    /** Handles one request; may throw, which becomes a bare 500 like an unhandled server error. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private SimulatorServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static SimulatorServer start(String name, InetAddress address, int port, Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, name + "-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/", exchange -> {
                try (exchange) {
                    handler.handle(exchange);
                } catch (RuntimeException | IOException e) {
                    log.warn("{} failed on {} {}", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
                    try {
                        sendText(exchange, 500, "Internal Server Error");
                    } catch (IOException | RuntimeException ignored) {
                        // the response may already have started; the client sees a broken reply
                    }
                }
            });
            server.start();
            return new SimulatorServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address.getHostAddress() + ":" + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getAddress().getHostAddress();
    }

    @Override
    public void close() {
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
