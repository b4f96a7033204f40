package io.buildq.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OnDemandJobThreadsTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger finished = new AtomicInteger();
    private final Set<String> threadNames = ConcurrentHashMap.newKeySet();
    private OnDemandJobThreads threads;

    @AfterEach
    void stop() {
        release.countDown();
        threads.stop(Duration.ofSeconds(5));
    }

    @Test
    void startsNoThreadBeforeAJobArrives() {
        threads = new OnDemandJobThreads(500, 1000, "test-worker");
        threads.start();

        assertThat(threads.threads()).isZero();
        assertThat(threads.getWorkerCount()).isEqualTo(500);
    }

    @Test
    void holdsOneThreadPerRunningJobNotTheMaximum() {
        threads = new OnDemandJobThreads(50, 100, "test-worker");
        threads.start();

        for (int i = 0; i < 7; i++) {
            threads.execute(this::waitForRelease);
        }

        await().atMost(BOUND).until(() -> running.get() == 7);
        assertThat(threads.threads()).isEqualTo(7);
    }

    @Test
    void reusesAnIdleThreadInsteadOfMakingANewOne() {
        threads = new OnDemandJobThreads(4, 8, "test-worker");
        CountDownLatch firstDone = new CountDownLatch(1);
        threads.execute(() -> {
            threadNames.add(Thread.currentThread().getName());
            firstDone.countDown();
        });
        await().atMost(BOUND).until(() -> firstDone.getCount() == 0 && threads.unfinishedJobs() == 0);

        CountDownLatch secondDone = new CountDownLatch(1);
        threads.execute(() -> {
            threadNames.add(Thread.currentThread().getName());
            secondDone.countDown();
        });

        await().atMost(BOUND).until(() -> secondDone.getCount() == 0);
        assertThat(threadNames).hasSize(1);
        assertThat(threads.threads()).isEqualTo(1);
    }

    @Test
    void queuesJobsBeyondTheMaximumAndRunsThemAllInsteadOfRefusingThem() {
        threads = new OnDemandJobThreads(2, 3, "test-worker");

        for (int i = 0; i < 5; i++) {
            threads.execute(this::waitForRelease);
        }
        await().atMost(BOUND).until(() -> running.get() == 3);
        assertThat(threads.threads()).isEqualTo(3);

        release.countDown();
        await().atMost(BOUND).until(() -> finished.get() == 5);
        assertThat(threads.threads()).isEqualTo(3);
    }

    @Test
    void stoppingInterruptsJobsStillRunningAfterTheGraceWaitsForThemAndRefusesNewOnes() throws InterruptedException {
        threads = new OnDemandJobThreads(1, 2, "test-worker");
        CountDownLatch interrupted = new CountDownLatch(1);
        threads.execute(() -> {
            running.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        await().atMost(BOUND).until(() -> running.get() == 1);

        threads.stop(Duration.ofMillis(100));

        // stop returns once the interrupted job has returned, not before
        assertThat(interrupted.getCount()).isZero();
        assertThat(threads.unfinishedJobs()).isZero();
        assertThat(threads.isStopping()).isTrue();
        assertThatThrownBy(() -> threads.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
    }

    private void waitForRelease() {
        running.incrementAndGet();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.incrementAndGet();
        }
    }
}
