package io.buildq.internal.health;

import io.buildq.migrations.BuildqMigrations;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What {@code /health/ready} answers for a process: the database reachable and migrated, and the
 * process's own parts (JobRunr's server, for a worker) running; other services' reachability is
 * reported beside, never fatal, since a worker waits out a factory or iwhd outage by itself. Each
 * check has a bound, so that a probe answers in time even when the database hangs.
 */
public final class HealthCheck implements AutoCloseable {

    /** The answer: ready or not, and each check's state in a word or a short reason. */
    public record Report(boolean ready, Map<String, String> checks) {
        public Report {
            checks = Map.copyOf(checks);
        }
    }

    private final DataSource dataSource;
    private final Duration bound;
    private final Map<String, BooleanSupplier> required = new LinkedHashMap<>();
    private final Map<String, Supplier<String>> reported = new LinkedHashMap<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "buildq-health");
        thread.setDaemon(true);
        return thread;
    });

    /** @param bound how long one check may take before it counts as failed */
    public HealthCheck(DataSource dataSource, Duration bound) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.bound = Objects.requireNonNull(bound, "bound");
    }

    /** A part of the process that must run for it to be ready, e.g. JobRunr's server. */
    public HealthCheck require(String name, BooleanSupplier running) {
        required.put(name, running);
        return this;
    }

    /** A service reported beside, not fatal: its supplier answers "reachable" or why not. */
    public HealthCheck report(String name, Supplier<String> state) {
        reported.put(name, state);
        return this;
    }

    public Report ready() {
        Map<String, String> checks = new LinkedHashMap<>();
        boolean ready = true;
        String database = bounded(this::database);
        checks.put("database", database);
        ready &= database.equals("ok");
        for (Map.Entry<String, BooleanSupplier> part : required.entrySet()) {
            boolean running = part.getValue().getAsBoolean();
            checks.put(part.getKey(), running ? "running" : "stopped");
            ready &= running;
        }
        for (Map.Entry<String, Supplier<String>> service : reported.entrySet()) {
            checks.put(service.getKey(), bounded(service.getValue()));
        }
        return new Report(ready, checks);
    }

    private String database() {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isValid((int) Math.max(1, bound.toSeconds()))) {
                return "unreachable: the connection is not valid";
            }
        } catch (Exception e) {
            return "unreachable: " + firstLine(e.getMessage());
        }
        try {
            new BuildqMigrations(dataSource).verify();
            return "ok";
        } catch (RuntimeException e) {
            return "not migrated: " + firstLine(e.getMessage());
        }
    }

    private String bounded(Supplier<String> check) {
        Future<String> answer = executor.submit(check::get);
        try {
            return answer.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return "no answer within " + bound.toMillis() + " ms";
        } catch (ExecutionException e) {
            return "failed: " + firstLine(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "no reason given";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
