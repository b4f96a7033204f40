package io.buildq.sim.http;

import java.util.Random;
import java.util.concurrent.CountDownLatch;

/**
 * The faults a simulator injects now; changed at run time through {@code /_sim/faults} or
 * {@link #set}. Draws are synchronised so that one seed gives one sequence of outcomes.
 */
public final class Faults {

    /** What happens to one request. */
    public enum Outcome { ANSWER, ERROR, DROP, HANG }

    private final CountDownLatch closed = new CountDownLatch(1);
    private FaultSettings settings = FaultSettings.none();
    private Random random = new Random(settings.seed());
    private int callbacksToLose;

    public synchronized void set(FaultSettings next) {
        settings = next;
        random = new Random(next.seed());
        callbacksToLose = next.loseCallbacks();
    }

    public synchronized FaultSettings settings() {
        return settings.withLoseCallbacks(callbacksToLose);
    }

    public synchronized Outcome nextRequest() {
        double draw = random.nextDouble();
        if (draw < settings.errorRate()) {
            return Outcome.ERROR;
        }
        if (draw < settings.errorRate() + settings.dropRate()) {
            return Outcome.DROP;
        }
        if (draw < settings.errorRate() + settings.dropRate() + settings.hangRate()) {
            return Outcome.HANG;
        }
        return Outcome.ANSWER;
    }

    public synchronized long latencyMillis() {
        return settings.latency().toMillis();
    }

    public synchronized boolean nextBuildFails() {
        return settings.buildFailureRate() > 0 && random.nextDouble() < settings.buildFailureRate();
    }

    /** True if the next callback is to be lost, counting it off. */
    public synchronized boolean loseNextCallback() {
        if (callbacksToLose > 0) {
            callbacksToLose--;
            return true;
        }
        return false;
    }

    /** Blocks a hanging request until the simulator stops. */
    void hangUntilClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        closed.countDown();
    }
}
