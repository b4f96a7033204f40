package io.buildq.progress;

import io.buildq.internal.job.JobRow;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wakes a job's thread when new progress was written for it, so that it reacts at once instead of
 * at its next poll, and hands it the row as that write committed it, so that it need not read the
 * row again. Signals for a job nobody waits on are dropped.
 */
public final class ProgressSignals {

    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();

    public void register(UUID jobId) {
        waiting.put(jobId, new Waiter());
    }

    public void unregister(UUID jobId) {
        waiting.remove(jobId);
    }

    /** Wakes the job's thread with {@code committed}, the row as a write just committed it. */
    public void signal(UUID jobId, JobRow committed) {
        Waiter waiter = waiting.get(jobId);
        if (waiter != null) {
            // Two writers may signal out of order; the later commit has the higher version.
            waiter.newest.accumulateAndGet(committed,
                    (held, offered) -> held == null || offered.version() > held.version() ? offered : held);
            waiter.permits.release();
        }
    }

    /**
     * Waits until a signal arrives or {@code timeout} passes.
     *
     * @return true if signalled, false on timeout
     * @throws InterruptedException the job was deleted or the worker is stopping
     */
    public boolean await(UUID jobId, Duration timeout) throws InterruptedException {
        Waiter waiter = waiter(jobId);
        boolean signalled = waiter.permits.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        waiter.permits.drainPermits();
        return signalled;
    }

    /**
     * The newest row the signals since the last call carried, if it is not older than {@code known}:
     * what the job's thread would read from the database, without reading it. Taking it also takes
     * the signals that brought it (the thread's own poll signals its write, and must not wake it
     * again for it).
     */
    public Optional<JobRow> newestSince(JobRow known) {
        Waiter waiter = waiter(known.id());
        JobRow newest = waiter.newest.getAndSet(null);
        if (newest == null || newest.version() < known.version()) {
            return Optional.empty();
        }
        waiter.permits.drainPermits();
        return Optional.of(newest);
    }

    private Waiter waiter(UUID jobId) {
        Waiter waiter = waiting.get(jobId);
        if (waiter == null) {
            throw new IllegalStateException("job " + jobId + " is not registered");
        }
        return waiter;
    }

    private static final class Waiter {
        final Semaphore permits = new Semaphore(0);
        final AtomicReference<JobRow> newest = new AtomicReference<>();
    }
}
