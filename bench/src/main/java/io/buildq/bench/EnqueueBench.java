package io.buildq.bench;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.testing.TestDatabase;
import java.util.List;

/**
 * Enqueue rate: {@code BuildQueue.build} (validation, the request and job rows, the JobRunr job)
 * against JobRunr's own enqueue of a no-op job, one by one on one thread, no worker running.
 * Each side runs twice, alternating, and keeps its better run, so that JIT warm-up and the
 * database's caches favour neither.
 */
final class EnqueueBench {

    private EnqueueBench() {
    }

    /** Builds per {@code buildAll} call, and plain jobs per JobRunr bulk enqueue. */
    static final int BULK = 100;

    /**
     * Bulk enqueue rate: {@code BuildQueue.buildAll} of {@link #BULK} one-target builds per call
     * against JobRunr's {@code enqueue(Stream)} of as many no-op jobs per call, both writing all of a
     * call in one transaction; each side twice, alternating, keeping its better run.
     */
    static Figure bulk(TestDatabase.Kind kind, BenchSize size) {
        int calls = Math.max(2, size.enqueues() / BULK);
        try (TestDatabase db = Databases.fresh(kind);
             BuildQueue queue = BuildQueue.create(db.dataSource());
             PlainJobRunr plain = new PlainJobRunr(db.dataSource())) {
            double buildq = 0;
            double baseline = 0;
            for (int round = 0; round < 2; round++) {
                int offset = round * (calls + 1) * BULK;
                baseline = Math.max(baseline, BULK * perSecond(calls, 1, i -> plain.enqueueAll(
                        java.util.stream.IntStream.range(0, BULK).mapToObj(j -> new NoopJob(0)))));
                buildq = Math.max(buildq, BULK * perSecond(calls, 1, i -> queue.buildAll(java.util.stream.IntStream
                        .range(0, BULK).mapToObj(j -> BuildRequest.of("bulk-" + (offset + i * BULK + j),
                                BuildqStack.TEMPLATE, List.of("ec2"))).toList())));
            }
            return Figure.compared(Databases.label(kind), "enqueue in bulk, " + BULK + " a call (builds per second; "
                    + calls * BULK + ")", buildq, baseline, "/s", ">= 0.70", buildq / baseline >= 0.7);
        }
    }

    static Figure run(TestDatabase.Kind kind, BenchSize size) {
        try (TestDatabase db = Databases.fresh(kind);
             BuildQueue queue = BuildQueue.create(db.dataSource());
             PlainJobRunr plain = new PlainJobRunr(db.dataSource())) {
            int warmUp = Math.max(10, size.enqueues() / 10);
            double buildq = 0;
            double baseline = 0;
            for (int round = 0; round < 2; round++) {
                baseline = Math.max(baseline, perSecond(size.enqueues(), warmUp, i -> plain.enqueue(new NoopJob(0))));
                int offset = round * (size.enqueues() + warmUp);
                buildq = Math.max(buildq, perSecond(size.enqueues(), warmUp, i -> queue.build(
                        BuildRequest.of("enqueue-" + (offset + i), BuildqStack.TEMPLATE, List.of("ec2")))));
            }
            return Figure.compared(Databases.label(kind), "enqueue, one by one (per second; " + size.enqueues() + ")",
                    buildq, baseline, "/s", ">= 0.70", buildq / baseline >= 0.7);
        }
    }

    private static double perSecond(int count, int warmUp, java.util.function.IntConsumer enqueue) {
        for (int i = 0; i < warmUp; i++) {
            enqueue.accept(count + i);
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            enqueue.accept(i);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
