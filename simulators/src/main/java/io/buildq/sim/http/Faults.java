package io.buildq.sim.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The faults a simulator injects now; changed at run time through {@code /_sim/faults} or
 * {@link #set}. Draws are synchronised so that one seed gives one sequence of outcomes.
 */
public final class Faults {

    /**
     * What happens to one request: answered; a 500, a closed connection or no answer at all before
     * the service acts; or handled in full and then its answer lost (closed, or held until the
     * simulator stops, past any client's timeout); or handled only after a delay, when its client
     * may have given up on it (a real factory still processes a POST whose client timed out,
     * real-install-notes.md Q8), its answer then lost.
     */
    public enum Outcome { ANSWER, ERROR, DROP, HANG, LOSE_ANSWER, HOLD_ANSWER, ACT_LATE }

    /** A chosen request and what happens to it, for a test to hit a window on purpose. */
    private record Chosen(String method, Pattern path, Outcome outcome, Duration delay) {
    }

    private final CountDownLatch closed = new CountDownLatch(1);
    private FaultSettings settings = FaultSettings.none();
    private Random random = new Random(settings.seed());
    private int callbacksToLose;
    private final List<Chosen> chosen = new ArrayList<>();

    public synchronized void set(FaultSettings next) {
        settings = next;
        chosen.clear();
        random = new Random(next.seed());
        callbacksToLose = next.loseCallbacks();
    }

    public synchronized FaultSettings settings() {
        return settings.withLoseCallbacks(callbacksToLose);
    }

    /**
     * Makes the next request with this method and a path matching {@code pathRegex} act in full and
     * then lose its answer: the connection is closed unanswered, or, with {@code hold}, kept open
     * without an answer until the simulator stops. One request per call; the calls queue up.
     */
    public synchronized void loseAnswerOfNext(String method, String pathRegex, boolean hold) {
        chosen.add(new Chosen(method, Pattern.compile(pathRegex), hold ? Outcome.HOLD_ANSWER : Outcome.LOSE_ANSWER,
                Duration.ZERO));
    }

    /**
     * Makes the next request with this method and a matching path wait {@code delay} before the
     * service handles it, and then lose its answer: with a delay past the client's timeout, the
     * client gives up, looks for what the request made, finds nothing yet, and the service acts
     * afterwards. One request per call; the calls queue up.
     */
    public synchronized void actLateOnNext(String method, String pathRegex, Duration delay) {
        chosen.add(new Chosen(method, Pattern.compile(pathRegex), Outcome.ACT_LATE, delay));
    }

    /** What happens to one request; {@code delay} is how long an {@link Outcome#ACT_LATE} one waits first. */
    public record Decision(Outcome outcome, Duration delay) {
    }

    /** The decision for a request: a chosen one first, else a draw from the seeded sequence. */
    public synchronized Decision decide(String method, String path) {
        for (int i = 0; i < chosen.size(); i++) {
            Chosen rule = chosen.get(i);
            if (rule.method().equals(method) && rule.path().matcher(path).matches()) {
                chosen.remove(i);
                return new Decision(rule.outcome(), rule.delay());
            }
        }
        return new Decision(nextRequest(), Duration.ZERO);
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
        if (draw < settings.errorRate() + settings.dropRate() + settings.hangRate() + settings.loseAnswerRate()) {
            return Outcome.LOSE_ANSWER;
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
    public void hangUntilClosed() {
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits {@code delay}; false if the simulator stopped first. */
    public boolean awaitUnlessClosed(Duration delay) {
        try {
            return !closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void close() {
        closed.countDown();
    }
}
