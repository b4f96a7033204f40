package io.buildq.bench;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.testing.TestDatabase;
import java.sql.SQLException;
import java.util.List;

/**
 * Whether enqueueing slows as the tables fill, on PostgreSQL: {@code BuildQueue.build} one by one on
 * empty tables and on tables holding {@code listBuilds} finished builds with 30 history rows each
 * (the status list's data, {@link StatusListBench#seed}); each side twice, alternating databases,
 * keeping its better run. The baseline is the empty tables.
 */
final class FlatWithDataBench {

    private FlatWithDataBench() {
    }

    static Figure run(BenchSize size) throws SQLException {
        try (TestDatabase empty = Databases.fresh(TestDatabase.Kind.POSTGRES);
             TestDatabase full = Databases.fresh(TestDatabase.Kind.POSTGRES);
             BuildQueue onEmpty = BuildQueue.create(empty.dataSource());
             BuildQueue onFull = BuildQueue.create(full.dataSource())) {
            StatusListBench.seed(full, size.listBuilds());
            int count = size.enqueues();
            double emptyRate = 0;
            double fullRate = 0;
            for (int round = 0; round < 2; round++) {
                emptyRate = Math.max(emptyRate, rate(onEmpty, count, "empty-" + round));
                fullRate = Math.max(fullRate, rate(onFull, count, "full-" + round));
            }
            return Figure.compared(Databases.label(TestDatabase.Kind.POSTGRES), "enqueue with " + size.listBuilds()
                    + " finished builds in the tables, against empty tables (per second; " + count + ")", fullRate,
                    emptyRate, "/s", ">= 0.90", fullRate / emptyRate >= 0.9);
        }
    }

    private static double rate(BuildQueue queue, int count, String prefix) {
        int warmUp = Math.max(10, count / 10);
        for (int i = 0; i < warmUp; i++) {
            queue.build(BuildRequest.of(prefix + "-warm-" + i, BuildqStack.TEMPLATE, List.of("ec2")));
        }
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            queue.build(BuildRequest.of(prefix + "-" + i, BuildqStack.TEMPLATE, List.of("ec2")));
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
