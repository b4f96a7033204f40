package io.buildq.bench;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

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

    /** What the tables hold besides the builds measured. */
    enum Tables {
        EMPTY,
        /** {@code listBuilds} finished builds with 30 history rows each ({@link StatusListBench#seed}). */
        FULL,
        /** {@code waitingElsewhere} builds waiting for a slot on another factory. */
        WAITING_ELSEWHERE
    }

    static List<Figure> run(TestDatabase.Kind kind, BenchSize size) throws SQLException {
        Random random = new Random(42);
        Percentiles baseline = Percentiles.of(baseline(kind, size.pickupBaseline(), random));
        Percentiles buildq = Percentiles.of(buildq(kind, size, Tables.EMPTY, random));
        String who = kind == TestDatabase.Kind.POSTGRES ? "enqueuer in another process" : "enqueuer in the worker's process";
        String db = Databases.label(kind);
        boolean pg = kind == TestDatabase.Kind.POSTGRES;
        return List.of(
                Figure.compared(db, "pickup p50, " + who + " (ms; " + size.pickups() + " vs " + size.pickupBaseline() + ")",
                        buildq.p50(), baseline.p50(), " ms", pg ? "<= 15 ms" : "-", pg ? buildq.p50() <= 15 : null),
                Figure.compared(db, "pickup p95 (ms)", buildq.p95(), baseline.p95(), " ms", pg ? "<= 30 ms" : "-",
                        pg ? buildq.p95() <= 30 : null),
                Figure.compared(db, "pickup max (ms)", buildq.max(), baseline.max(), " ms", "-", null));
    }

    /**
     * Pickup p50 with data in the tables against empty tables (PostgreSQL): with {@code listBuilds}
     * finished builds, and with {@code waitingElsewhere} builds waiting for another factory's
     * slots, each on a database of its own, one after another.
     */
    static List<Figure> withData(BenchSize size) throws SQLException {
        Random random = new Random(7);
        double empty = Percentiles.of(buildq(TestDatabase.Kind.POSTGRES, size, Tables.EMPTY, random)).p50();
        double full = Percentiles.of(buildq(TestDatabase.Kind.POSTGRES, size, Tables.FULL, random)).p50();
        double waiting = Percentiles.of(buildq(TestDatabase.Kind.POSTGRES, size, Tables.WAITING_ELSEWHERE, random)).p50();
        String db = Databases.label(TestDatabase.Kind.POSTGRES);
        // Flat means at least 0.9 of the pace on empty tables: a p50 at most 1/0.9 of theirs.
        return List.of(
                Figure.compared(db, "pickup p50 with " + size.listBuilds() + " finished builds in the tables, against "
                        + "empty tables (ms)", full, empty, " ms", "ratio <= 1.11", full <= empty / 0.9),
                Figure.compared(db, "pickup p50 with " + size.waitingElsewhere() + " builds waiting for another factory's "
                        + "slots, against none (ms)", waiting, empty, " ms", "ratio <= 1.11", waiting <= empty / 0.9));
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

    private static List<Double> buildq(TestDatabase.Kind kind, BenchSize size, Tables tables, Random random)
            throws SQLException {
        int count = size.pickups();
        List<Double> millis = new ArrayList<>();
        try (TestDatabase db = Databases.fresh(kind)) {
            if (tables == Tables.FULL) {
                StatusListBench.seed(db, size.listBuilds());
                // The seed's few QUEUED rows have no JobRunr job; the reconciler would run them.
                db.execute("update buildq_job set status = 'CANCELLED', finished_at = now() where status = 'QUEUED'");
            } else if (tables == Tables.WAITING_ELSEWHERE) {
                seedWaitingElsewhere(db, size.waitingElsewhere());
            }
            measure(kind, db, count, random, millis);
        }
        return millis;
    }

    /**
     * {@code builds} builds enqueued through {@code buildAll}, then left as a full
     * factory leaves them ({@code FactorySlots}): the row QUEUED naming the factory it waits for, the
     * JobRunr job SCHEDULED. Their recheck is put past the measurement: in this design any worker
     * may take any build, so a recheck would hand them to the measured worker's free factory, and
     * what is measured is what their waiting costs a pickup, not their running.
     */
    private static void seedWaitingElsewhere(TestDatabase db, int builds) throws SQLException {
        try (BuildQueue queue = BuildQueue.create(db.dataSource());
             PlainJobRunr jobRunr = new PlainJobRunr(db.dataSource())) {
            for (int call = 0; call < builds / BuildQueue.MAX_BATCH; call++) {
                int first = call * BuildQueue.MAX_BATCH;
                queue.buildAll(IntStream.range(first, first + BuildQueue.MAX_BATCH)
                        .mapToObj(i -> BuildRequest.of("waiting-" + i, BuildqStack.TEMPLATE, List.of("ec2"))).toList());
            }
            jobRunr.waitAll(Instant.now().plus(Duration.ofHours(1)),
                    "Waiting for a free Image Factory slot (2 builds at once on " + OTHER_FACTORY + ")");
        }
        db.execute("update buildq_job set factory_url = '" + OTHER_FACTORY + "'");
        db.execute("analyze");
    }

    private static final String OTHER_FACTORY = "https://factory-2.example.org:8075/imagefactory";

    private static void measure(TestDatabase.Kind kind, TestDatabase db, int count, Random random, List<Double> millis) {
        try (BuildqStack stack = new BuildqStack(db.dataSource(), WORKERS, factory -> factory);
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
