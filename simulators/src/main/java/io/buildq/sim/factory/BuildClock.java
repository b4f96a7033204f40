package io.buildq.sim.factory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one thread on which every build step, wait for a parent and deletion runs: factory's Builder
 * threads, played one task at a time. A task scheduled before a restart is dropped ({@link Restarts}).
 */
final class BuildClock implements AutoCloseable {

    private final Restarts restarts;
    private final ScheduledExecutorService clock =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("factory-sim-clock"));

    BuildClock(Restarts restarts) {
        this.restarts = restarts;
    }

    /** Runs {@code task} on the clock unless {@link FactorySimulator#restart()} came first. */
    void later(Runnable task) {
        clock.execute(restarts.unlessRestarted(task));
    }

    void later(Runnable task, long delayMillis) {
        clock.schedule(restarts.unlessRestarted(task), delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
