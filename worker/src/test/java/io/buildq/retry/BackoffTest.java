package io.buildq.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(30));

    @RepeatedTest(20)
    void eachWaitIsBetweenHalfAndAllOfItsDoublingCeiling() {
        assertThat(backoff.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThat(backoff.delay(2)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThat(backoff.delay(4)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
    }

    @Test
    void waitsStopGrowingAtTheLongestAndNeverOverflow() {
        for (int failures : new int[] {7, 30, 64, Integer.MAX_VALUE}) {
            assertThat(backoff.delay(failures)).as("after %d failures", failures)
                    .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }

    @Test
    void aFirstCallCountedAsZeroFailuresWaitsLikeTheFirst() {
        assertThat(backoff.delay(0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void nonsensicalSettingsAreRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
