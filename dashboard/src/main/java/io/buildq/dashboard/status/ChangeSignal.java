package io.buildq.dashboard.status;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the status page's event streams that a job changed. One timer reads the newest change id
 * (the history's highest id, one index lookup) every {@code every} while at least one page is
 * connected, and wakes the streams waiting on it; a hundred open pages cost the database what one
 * does, and none cost nothing.
 */
final class ChangeSignal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChangeSignal.class);

    private final LongSupplier newestChange;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "buildq-status-changes");
        thread.setDaemon(true);
        return thread;
    });
    private long latest;
    private int listeners;
    private boolean failing;

    ChangeSignal(LongSupplier newestChange, Duration every) {
        this.newestChange = newestChange;
        timer.scheduleWithFixedDelay(this::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        synchronized (this) {
            if (listeners == 0) {
                return;
            }
        }
        long id;
        try {
            id = newestChange.getAsLong();
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("The status page cannot read changes (database away?); live updates resume when it answers: {}",
                        e.toString());
            }
            return;
        }
        failing = false;
        advanceTo(id);
    }

    /** Moves the newest change forward (never back: a slow read may finish after a newer one) and wakes the streams. */
    private synchronized void advanceTo(long id) {
        if (id > latest) {
            latest = id;
            notifyAll();
        }
    }

    /** Registers a listener and returns the newest change id it starts from. */
    long connect() {
        long id = newestChange.getAsLong();
        advanceTo(id);
        synchronized (this) {
            listeners++;
            return latest;
        }
    }

    synchronized void disconnect() {
        listeners--;
    }

    /** The newest change id once it differs from {@code seen}, or {@code seen} after {@code timeout}. */
    synchronized long awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (latest == seen) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return latest;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
