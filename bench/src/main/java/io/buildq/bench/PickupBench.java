package io.buildq.bench;

import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Pickup latency on an idle worker: from just before the enqueue to the moment factory receives
 * the build's POST, for builds enqueued one after another, each after the last one ended and a
 * random pause. On PostgreSQL the enqueuer is another process (the worker hears of the job through
 * NOTIFY); on H2, which has no such channel, it is the worker's own process. The baseline is
 * plain JobRunr at its smallest poll interval (5 s), from enqueue to its handler's first line, with
 * pauses of up to one poll so that arrivals fall anywhere in the poll's cycle.
 */
final class PickupBench {

    private static final int WORKERS = 4;
    private static final int WARM_UP = 3;

    private PickupBench() {
    }

    static List<Figure> run(TestDatabase.Kind kind, BenchSize size) {
        Random random = new Random(42);
        Percentiles baseline = Percentiles.of(baseline(kind, size.pickupBaseline(), random));
        Percentiles buildq = Percentiles.of(buildq(kind, size.pickups(), random));
        String who = kind == TestDatabase.Kind.POSTGRES ? "enqueuer in another process" : "enqueuer in the worker's process";
        String db = Databases.label(kind);
        boolean pg = kind == TestDatabase.Kind.POSTGRES;
        return List.of(
                Figure.compared(db, "pickup p50, " + who + " (ms; " + size.pickups() + " vs " + size.pickupBaseline() + ")",
                        buildq.p50(), baseline.p50(), " ms", pg ? "<= 50 ms" : "-", pg ? buildq.p50() <= 50 : null),
                Figure.compared(db, "pickup p95 (ms)", buildq.p95(), baseline.p95(), " ms", pg ? "<= 100 ms" : "-",
                        pg ? buildq.p95() <= 100 : null),
                Figure.compared(db, "pickup max (ms)", buildq.max(), baseline.max(), " ms", "-", null));
    }

    private static List<Double> baseline(TestDatabase.Kind kind, int count, Random random) {
        List<Double> millis = Collections.synchronizedList(new ArrayList<>());
        NoopJob.Handler handler = new NoopJob.Handler(job -> millis.add((nowMicros() - job.enqueuedAtMicros()) / 1000.0));
        try (TestDatabase db = Databases.fresh(kind);
             PlainJobRunr plain = new PlainJobRunr(db.dataSource()).startServer(WORKERS, handler)) {
            for (int i = 0; i < count; i++) {
                pause(random.nextInt((int) PlainJobRunr.POLL.toMillis()));
                int expected = i + 1;
                plain.enqueue(new NoopJob(nowMicros()));
                Await.until("a plain job to start", Duration.ofSeconds(30), () -> millis.size() >= expected);
            }
        }
        return millis;
    }

    private static List<Double> buildq(TestDatabase.Kind kind, int count, Random random) {
        List<Double> millis = new ArrayList<>();
        try (TestDatabase db = Databases.fresh(kind);
             BuildqStack stack = new BuildqStack(db.dataSource(), WORKERS, factory -> factory);
             ChildJvm enqueuer = kind == TestDatabase.Kind.POSTGRES
                     ? ChildJvm.start(List.of("-Xmx256m"), EnqueuerProcess.class, db.url()) : null) {
            if (enqueuer != null) {
                enqueuer.readLine(); // ready
            }
            for (int i = 0; i < WARM_UP + count; i++) {
                pause(random.nextInt(100));
                long before;
                UUID buildId;
                if (enqueuer != null) {
                    String[] answer = enqueuer.ask("pickup-" + i).split(" ");
                    before = Long.parseLong(answer[0]);
                    buildId = UUID.fromString(answer[1]);
                } else {
                    before = nowMicros();
                    buildId = stack.build("pickup-" + i);
                }
                Await.until("build " + buildId + " to finish", Duration.ofSeconds(60),
                        () -> stack.queue.status(buildId).targets().get(0).status().isTerminal());
                TargetStatus target = stack.queue.status(buildId).targets().get(0);
                Instant received = stack.factory.receivedAt(target.factoryImageId()).orElseThrow();
                if (i >= WARM_UP) {
                    millis.add((ChronoUnit.MICROS.between(Instant.EPOCH, received) - before) / 1000.0);
                }
            }
        }
        return millis;
    }

    static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static void pause(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis); // spreads arrivals; not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
