package io.buildq.dashboard;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.internal.tls.ServerTls;
import io.buildq.migrations.BuildqMigrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jobrunr.dashboard.JobRunrApiHandler;
import org.jobrunr.dashboard.JobRunrSseHandler;
import org.jobrunr.dashboard.JobRunrStaticFileHandler;
import org.jobrunr.dashboard.server.HttpExchangeHandler;
import org.jobrunr.dashboard.server.http.RedirectHttpHandler;
import org.jobrunr.jobs.states.AllowedJobStateStateChanges;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.ThreadSafeStorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JobRunr's own dashboard (queued, processing, succeeded and failed jobs, requeue, delete) on the
 * queue's database. JobRunr's server binds every interface and has no bind option, so this carries
 * the same four public handlers JobRunr registers on an {@link HttpServer} bound where we choose
 * (jobrunr-notes.md, "Q2"), with anonymous usage reporting off.
 */
public final class BuildqDashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildqDashboard.class);

    private final HttpServer server;
    private static final Pattern REQUEUE = Pattern.compile("/api/jobs/([0-9a-fA-F-]{36})/requeue");

    private final ExecutorService executor;
    private final List<HttpExchangeHandler> handlers;
    private final StorageProvider storageProvider;

    private BuildqDashboard(HttpServer server, ExecutorService executor, List<HttpExchangeHandler> handlers,
                            StorageProvider storageProvider) {
        this.server = server;
        this.executor = executor;
        this.handlers = handlers;
        this.storageProvider = storageProvider;
    }

    /** Starts the dashboard on a migrated database; the DataSource stays the caller's to close. */
    public static BuildqDashboard start(DataSource dataSource, DashboardSettings settings) {
        new BuildqMigrations(dataSource).verify();
        JsonMapper jsonMapper = JobRunrStorage.jsonMapper();
        StorageProvider storageProvider = new ThreadSafeStorageProvider(JobRunrStorage.open(dataSource, jsonMapper));
        HttpServer server;
        try {
            server = ServerTls.listen(new InetSocketAddress(settings.host(), settings.port()), settings.tls());
        } catch (IOException e) {
            storageProvider.close();
            throw new UncheckedIOException("the dashboard cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        AllowedHosts allowed = AllowedHosts.of(settings);
        HttpExchangeHandler redirect = new RedirectHttpHandler("/", "/dashboard");
        List<HttpExchangeHandler> secured = List.of(
                new JobRunrStaticFileHandler(),
                new JobRunrApiHandler(storageProvider, jsonMapper, false),
                new JobRunrSseHandler(storageProvider, jsonMapper));
        server.createContext(redirect.getContextPath(), redirect);
        for (HttpExchangeHandler handler : secured) {
            HttpContext context = server.createContext(handler.getContextPath(),
                    fromServedHostsOnly(requeueOnlyWhatMayBe(handler, storageProvider), allowed));
            if (settings.requiresLogin()) {
                context.setAuthenticator(authenticator(settings));
            }
        }
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "buildq-dashboard");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        log.info("JobRunr dashboard at {}://{}:{}/dashboard", ServerTls.scheme(settings.tls()), settings.host(),
                server.getAddress().getPort());
        return new BuildqDashboard(server, executor, List.of(redirect, secured.get(0), secured.get(1), secured.get(2)),
                storageProvider);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        for (HttpExchangeHandler handler : handlers) {
            handler.close();
        }
        server.stop(0);
        executor.shutdownNow();
        storageProvider.close();
    }

    /**
     * JobRunr's API changes state (requeue, delete) with no cross-site protection of its own; its
     * page calls it with fetch, which sends an Origin. A request must name this dashboard in its
     * {@code Host} (see {@link AllowedHosts}: a rebound name reads nothing), and a state-changing one
     * whose Origin is another site's is refused, so that a page elsewhere cannot requeue or delete jobs
     * through an operator's browser.
     */
    private static HttpHandler fromServedHostsOnly(HttpHandler handler, AllowedHosts allowed) {
        return exchange -> {
            String method = exchange.getRequestMethod();
            String host = exchange.getRequestHeaders().getFirst("Host");
            boolean changesState = !method.equals("GET") && !method.equals("HEAD");
            if (!allowed.allowsHost(host)) {
                refuse(exchange, 400, allowed.refusal(host));
                return;
            }
            if (changesState && !allowed.allowsOrigin(exchange.getRequestHeaders().getFirst("Origin"))) {
                refuse(exchange, 403, "Refused: a request from another site's page");
                return;
            }
            // JobRunr's page is its own (scripts and styles we do not vouch for), so no script policy;
            // but no site may frame it (clickjacking a Requeue) or have its answers sniffed as another type.
            exchange.getResponseHeaders().set("Content-Security-Policy", "frame-ancestors 'none'");
            exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            handler.handle(exchange);
        };
    }

    /**
     * JobRunr's API answers a Requeue of a job that may not be enqueued again (one still ENQUEUED or
     * PROCESSING) with a 500 and its stack trace. The state is checked first, as JobRunr's own state
     * machine would, and such a Requeue is a 409 that names the job's state.
     */
    private static HttpHandler requeueOnlyWhatMayBe(HttpHandler handler, StorageProvider storageProvider) {
        return exchange -> {
            Matcher requeue = REQUEUE.matcher(exchange.getRequestURI().getPath());
            if (exchange.getRequestMethod().equals("POST") && requeue.matches()) {
                StateName state;
                try {
                    state = storageProvider.getJobById(UUID.fromString(requeue.group(1))).getState();
                } catch (JobNotFoundException e) {
                    refuse(exchange, 404, "No job " + requeue.group(1));
                    return;
                }
                if (AllowedJobStateStateChanges.isIllegalStateChange(state, StateName.ENQUEUED)) {
                    refuse(exchange, 409, "Job " + requeue.group(1) + " is " + state + ", which cannot be requeued");
                    return;
                }
            }
            handler.handle(exchange);
        };
    }

    private static void refuse(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static BasicAuthenticator authenticator(DashboardSettings settings) {
        return new BasicAuthenticator("buildq") {
            @Override
            public boolean checkCredentials(String username, String password) {
                return constantTimeEquals(username, settings.username()) & constantTimeEquals(password, settings.password());
            }
        };
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
