package io.buildq.sim.factory;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Factory's {@code max_concurrent_local_sessions}: at most N builds run at once and the rest wait
 * (in PENDING) in arrival order.
 */
final class BuildSlots {

    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    BuildSlots(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("maxConcurrentBuilds must be at least 1, was " + limit);
        }
        this.limit = limit;
    }

    /** Runs {@code start} now if a slot is free and returns true, otherwise queues it and returns false. */
    boolean acquire(Runnable start) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(start);
                return false;
            }
            running++;
        }
        start.run();
        return true;
    }

    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        next.run();
    }
}
