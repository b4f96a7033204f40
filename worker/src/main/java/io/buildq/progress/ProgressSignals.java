package io.buildq.progress;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wakes a job's thread when a callback wrote new progress for it, so that it reacts at once
 * instead of at its next poll. Signals for a job nobody waits on are dropped.
 */
public final class ProgressSignals {

    private final Map<UUID, Semaphore> waiting = new ConcurrentHashMap<>();

    public void register(UUID jobId) {
        waiting.put(jobId, new Semaphore(0));
    }

    public void unregister(UUID jobId) {
        waiting.remove(jobId);
    }

    public void signal(UUID jobId) {
        Semaphore semaphore = waiting.get(jobId);
        if (semaphore != null) {
            semaphore.release();
        }
    }

    /**
     * Waits until a signal arrives or {@code timeout} passes.
     *
     * @return true if signalled, false on timeout
     * @throws InterruptedException the job was deleted or the worker is stopping
     */
    public boolean await(UUID jobId, Duration timeout) throws InterruptedException {
        Semaphore semaphore = waiting.get(jobId);
        if (semaphore == null) {
            throw new IllegalStateException("job " + jobId + " is not registered");
        }
        boolean signalled = semaphore.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        semaphore.drainPermits();
        return signalled;
    }
}
