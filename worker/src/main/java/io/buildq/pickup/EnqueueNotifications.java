package io.buildq.pickup;

import io.buildq.migrations.BuildqMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On PostgreSQL, listens on {@link BuildqMigrations#ENQUEUED_CHANNEL}, where a trigger announces every
 * job that becomes ENQUEUED in any process, and turns each batch of announcements into one signal.
 *
 * <p>It holds one connection of the worker's pool for as long as it runs, so the pool needs one
 * more connection than the worker would otherwise use. LISTEN needs a session of its own: behind
 * PgBouncer, that connection must not go through transaction pooling. When the connection breaks,
 * it reconnects with a growing delay and signals once, since announcements in between were lost.
 */
public final class EnqueueNotifications implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EnqueueNotifications.class);
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(30);

    private final DataSource dataSource;
    private final Runnable onEnqueued;
    private final Thread thread;
    private volatile boolean running = true;

    private EnqueueNotifications(DataSource dataSource, Runnable onEnqueued) {
        this.dataSource = dataSource;
        this.onEnqueued = onEnqueued;
        this.thread = new Thread(this::run, "buildq-listen");
        thread.setDaemon(true);
    }

    /**
     * Starts listening if the database is PostgreSQL.
     *
     * @return the running listener, or null on any other database
     */
    public static EnqueueNotifications startIfPostgres(DataSource dataSource, Runnable onEnqueued) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(PGConnection.class)) {
                return null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the queue's database: " + e.getMessage(), e);
        }
        EnqueueNotifications notifications = new EnqueueNotifications(dataSource, onEnqueued);
        notifications.thread.start();
        return notifications;
    }

    private void run() {
        Duration delay = Duration.ofMillis(250);
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + BuildqMigrations.ENQUEUED_CHANNEL);
                }
                if (!connection.getAutoCommit()) {
                    connection.commit(); // LISTEN takes effect at commit
                }
                delay = Duration.ofMillis(250);
                onEnqueued.run(); // jobs enqueued while we were not listening
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications((int) RECEIVE_TIMEOUT.toMillis());
                    if (received != null && received.length > 0) {
                        onEnqueued.run();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn("lost the LISTEN connection for enqueued jobs (reconnecting in {} ms; JobRunr's poll still "
                        + "picks jobs up): {}", delay.toMillis(), e.getMessage());
                try {
                    TimeUnit.MILLISECONDS.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                delay = delay.multipliedBy(2).compareTo(MAX_RECONNECT_DELAY) > 0 ? MAX_RECONNECT_DELAY
                        : delay.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
