package io.buildq.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a job waits before calling a service that failed transiently (no answer, or a 5xx) again:
 * exponentially longer waits with jitter, so that workers which lost factory at the same moment
 * do not all come back at the same moment, up to a budget after which the job fails visibly (an
 * operator can retry it).
 *
 * @param first  the longest first wait
 * @param max    the longest any one wait gets
 * @param budget how long after the first of a series of failures the job gives up
 */
public record Backoff(Duration first, Duration max, Duration budget) {

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || budget.isNegative()) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max and a budget >= 0, was " + first + ", "
                    + max + ", " + budget);
        }
    }

    /** 1 s, doubling up to 1 min, for 30 min in all. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(30));
    }

    /** The wait after {@code failures} failures in a row: between half and all of min(max, first * 2^(failures-1)). */
    public Duration delay(int failures) {
        long ceiling = first.toMillis() << Math.min(20, Math.max(0, failures - 1));
        long bound = Math.min(max.toMillis(), ceiling);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }
}
