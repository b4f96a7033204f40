package io.buildq.bench;

import java.time.Duration;

/**
 * How much each measurement does. SMOKE only proves the benchmark runs (the test suite uses it);
 * QUICK gives rough figures in a few minutes; FULL is what {@code docs/benchmarks.md} records.
 *
 * @param enqueues       builds (and plain JobRunr jobs) enqueued one by one
 * @param endToEnd       builds (and plain jobs) run from enqueue to the end
 * @param pickups        builds enqueued one after another on an idle worker
 * @param pickupBaseline plain JobRunr jobs for its pickup latency (each waits up to one 5 s poll)
 * @param burst          builds enqueued at once to count early claims
 * @param costBuilds     builds whose SQL statements and row writes are counted, per progress rate
 * @param costStep       how long each of a cost-measured build's six steps takes
 * @param inFlight       simulated 10-minute builds held at once by one worker process
 * @param inFlightWindow how long CPU use is measured over while they are
 * @param listBuilds     finished builds in the tables when the status list is measured (30 history rows each)
 * @param listQueries    status list queries timed, of each kind
 * @param waitingElsewhere builds waiting for another factory's slots while pickup is measured
 */
record BenchSize(int enqueues, int endToEnd, int pickups, int pickupBaseline, int burst, int costBuilds,
                 Duration costStep, int inFlight, Duration inFlightWindow, int listBuilds, int listQueries,
                 int waitingElsewhere) {

    static BenchSize named(String name) {
        return switch (name) {
            case "smoke" -> new BenchSize(20, 10, 5, 1, 12, 1, Duration.ofMillis(200), 5, Duration.ofSeconds(1), 2_000, 20, 1_000);
            case "quick" -> new BenchSize(300, 60, 50, 6, 60, 3, Duration.ofSeconds(1), 100, Duration.ofSeconds(10), 20_000, 100, 10_000);
            case "full" -> new BenchSize(2000, 300, 200, 20, 200, 10, Duration.ofSeconds(1), 1000, Duration.ofSeconds(30), 100_000, 200, 10_000);
            default -> throw new IllegalArgumentException("size must be smoke, quick or full, was " + name);
        };
    }
}
