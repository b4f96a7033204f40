package io.buildq.sim.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * The faults a simulator injects now; changed at run time through {@code /_sim/faults} or
 * {@link #set}. Draws are synchronised so that one seed gives one sequence of outcomes.
 */
public final class Faults {

    /**
     * What happens to one request: answered; a 500, a closed connection or no answer at all before
     * the service acts; or handled in full and then its answer lost (closed, or held until the
     * simulator stops, past any client's timeout).
     */
    public enum Outcome { ANSWER, ERROR, DROP, HANG, LOSE_ANSWER, HOLD_ANSWER }

    /** A chosen request and what happens to it, for a test to hit a window on purpose. */
    private record Chosen(String method, Pattern path, Outcome outcome) {
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
        chosen.add(new Chosen(method, Pattern.compile(pathRegex), hold ? Outcome.HOLD_ANSWER : Outcome.LOSE_ANSWER));
    }

    /** Makes the next request with this method and a matching path fail with a 500 before the service acts. */
    public synchronized void failNext(String method, String pathRegex) {
        chosen.add(new Chosen(method, Pattern.compile(pathRegex), Outcome.ERROR));
    }

    /** The outcome for a request: a chosen one first, else a draw from the seeded sequence. */
    public synchronized Outcome nextRequest(String method, String path) {
        for (int i = 0; i < chosen.size(); i++) {
            Chosen rule = chosen.get(i);
            if (rule.method().equals(method) && rule.path().matcher(path).matches()) {
                chosen.remove(i);
                return rule.outcome();
            }
        }
        return nextRequest();
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

    void close() {
        closed.countDown();
    }
}
