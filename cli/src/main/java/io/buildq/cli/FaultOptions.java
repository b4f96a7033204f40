package io.buildq.cli;

import io.buildq.sim.http.FaultSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Fault injection for a simulator at start; {@code POST /_sim/faults} with the same names in JSON changes it later. */
final class FaultOptions {

    @Option(names = "--error-rate", defaultValue = "0", description = "share of requests answered 500, 0 to 1 (JSON errorRate)")
    double errorRate;

    @Option(names = "--drop-rate", defaultValue = "0",
            description = "share of requests whose connection is closed unanswered (JSON dropRate)")
    double dropRate;

    @Option(names = "--hang-rate", defaultValue = "0", description = "share of requests never answered (JSON hangRate)")
    double hangRate;

    @Option(names = "--lose-answer-rate", defaultValue = "0",
            description = "share of requests handled in full (the image created, the attribute written) whose answer is "
                    + "then lost, the connection closed (JSON loseAnswerRate)")
    double loseAnswerRate;

    @Option(names = "--latency-millis", defaultValue = "0", description = "delay added to every answer (JSON latencyMillis)")
    long latencyMillis;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the random draws, to replay a run (JSON seed)")
    long seed;

    FaultSettings settings(double buildFailureRate, int loseCallbacks) {
        return new FaultSettings(errorRate, dropRate, hangRate, loseAnswerRate, Duration.ofMillis(latencyMillis),
                buildFailureRate,
                loseCallbacks, seed);
    }
}
