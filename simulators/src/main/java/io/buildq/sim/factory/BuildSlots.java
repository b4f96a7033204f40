package io.buildq.sim.factory;

import java.util.ArrayDeque;
import java.util.Queue;

/**
 * Not faithful, kept as a named deviation ({@link FactorySimulator.Builder#maxConcurrentBuilds}): at
 * most N builds run at once and the rest wait (in PENDING) in arrival order. Factory v2 had no such
 * limit (real-install-notes Q6: {@code max_concurrent_*} served only v1's BuildJob); 0 means none.
 */
final class BuildSlots {

    private final int limit;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    BuildSlots(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("maxConcurrentBuilds must be 0 (no limit) or more, was " + limit);
        }
        this.limit = limit;
    }

    /** Runs {@code start} now if a slot is free and returns true, otherwise queues it and returns false. */
    boolean acquire(Runnable start) {
        synchronized (this) {
            if (limit > 0 && running >= limit) {
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
