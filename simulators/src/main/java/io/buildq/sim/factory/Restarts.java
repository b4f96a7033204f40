package io.buildq.sim.factory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts factory restarts ({@link FactorySimulator#restart()}, real-install-notes Q4): work scheduled
 * and callbacks queued before the latest restart are dropped, as the restarted daemon never knew of
 * them.
 */
final class Restarts {

    private final AtomicInteger generation = new AtomicInteger();

    void restart() {
        generation.incrementAndGet();
    }

    /** The restarts so far: what {@link #isCurrent} later compares with. */
    int current() {
        return generation.get();
    }

    /** Whether no restart came since {@code generation} was read from {@link #current()}. */
    boolean isCurrent(int generation) {
        return generation == this.generation.get();
    }

    /** {@code task}, to run only if no restart comes between now and when it runs. */
    Runnable unlessRestarted(Runnable task) {
        int scheduledIn = current();
        return () -> {
            if (isCurrent(scheduledIn)) {
                task.run();
            }
        };
    }
}
