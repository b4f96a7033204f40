package io.buildq.sim.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;

/**
 * What a simulator does wrong on purpose. Rates are probabilities from 0 to 1, drawn from a random
 * sequence seeded with {@code seed}, so that a failing test can be replayed exactly.
 *
 * @param errorRate        share of requests answered 500
 * @param dropRate         share of requests whose connection is closed without an answer
 * @param hangRate         share of requests never answered (until the simulator stops)
 * @param loseAnswerRate   share of requests fully handled (the image created, the attribute written) whose
 *                         answer is then lost: the connection is closed without a byte of it
 * @param latency          added before every answer
 * @param buildFailureRate factory only: share of builds that end FAILED
 * @param loseCallbacks    factory only: how many of the next callbacks are silently not sent
 * @param seed             seeds the random sequence the rates draw from
 */
public record FaultSettings(double errorRate, double dropRate, double hangRate, double loseAnswerRate,
                            Duration latency, double buildFailureRate, int loseCallbacks, long seed) {

    public FaultSettings {
        rate("errorRate", errorRate);
        rate("dropRate", dropRate);
        rate("hangRate", hangRate);
        rate("loseAnswerRate", loseAnswerRate);
        rate("buildFailureRate", buildFailureRate);
        Objects.requireNonNull(latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + latency);
        }
        if (loseCallbacks < 0) {
            throw new IllegalArgumentException("loseCallbacks must not be negative, was " + loseCallbacks);
        }
        if (errorRate + dropRate + hangRate + loseAnswerRate > 1.0) {
            throw new IllegalArgumentException("errorRate + dropRate + hangRate + loseAnswerRate must not exceed 1");
        }
    }

    public static FaultSettings none() {
        return new FaultSettings(0, 0, 0, 0, Duration.ZERO, 0, 0, 1);
    }

    public FaultSettings withErrorRate(double rate) {
        return new FaultSettings(rate, dropRate, hangRate, loseAnswerRate, latency, buildFailureRate, loseCallbacks, seed);
    }

    public FaultSettings withDropRate(double rate) {
        return new FaultSettings(errorRate, rate, hangRate, loseAnswerRate, latency, buildFailureRate, loseCallbacks, seed);
    }

    public FaultSettings withHangRate(double rate) {
        return new FaultSettings(errorRate, dropRate, rate, loseAnswerRate, latency, buildFailureRate, loseCallbacks, seed);
    }

    public FaultSettings withLatency(Duration added) {
        return new FaultSettings(errorRate, dropRate, hangRate, loseAnswerRate, added, buildFailureRate, loseCallbacks, seed);
    }

    public FaultSettings withBuildFailureRate(double rate) {
        return new FaultSettings(errorRate, dropRate, hangRate, loseAnswerRate, latency, rate, loseCallbacks, seed);
    }

    public FaultSettings withLoseCallbacks(int count) {
        return new FaultSettings(errorRate, dropRate, hangRate, loseAnswerRate, latency, buildFailureRate, count, seed);
    }

    public FaultSettings withSeed(long newSeed) {
        return new FaultSettings(errorRate, dropRate, hangRate, loseAnswerRate, latency, buildFailureRate, loseCallbacks,
                newSeed);
    }

    public FaultSettings withLoseAnswerRate(double rate) {
        return new FaultSettings(errorRate, dropRate, hangRate, rate, latency, buildFailureRate, loseCallbacks, seed);
    }

    /** Reads the admin endpoint's JSON; absent fields are 0 (no fault), an absent seed is 1. */
    public static FaultSettings fromJson(JsonNode json) {
        return new FaultSettings(json.path("errorRate").asDouble(0), json.path("dropRate").asDouble(0),
                json.path("hangRate").asDouble(0), json.path("loseAnswerRate").asDouble(0),
                Duration.ofMillis(json.path("latencyMillis").asLong(0)),
                json.path("buildFailureRate").asDouble(0), json.path("loseCallbacks").asInt(0),
                json.path("seed").asLong(1));
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode node = json.createObjectNode();
        node.put("errorRate", errorRate);
        node.put("dropRate", dropRate);
        node.put("hangRate", hangRate);
        node.put("loseAnswerRate", loseAnswerRate);
        node.put("latencyMillis", latency.toMillis());
        node.put("buildFailureRate", buildFailureRate);
        node.put("loseCallbacks", loseCallbacks);
        node.put("seed", seed);
        return node;
    }

    private static void rate(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, was " + value);
        }
    }
}
