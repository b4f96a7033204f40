package io.buildq.bench;

import io.buildq.testing.TestDatabase;
import java.time.Duration;

/**
 * Throughput from enqueue to the end: builds enqueued at once, each running against an instant
 * simulated factory and iwhd (a factory POST, its callbacks, and the registration in iwhd), against
 * the same number of plain JobRunr no-op jobs on a server with as many workers.
 */
final class EndToEndBench {

    static final int WORKERS = 8;

    private EndToEndBench() {
    }

    static Figure run(TestDatabase.Kind kind, BenchSize size) {
        int count = size.endToEnd();
        double baseline;
        try (TestDatabase db = Databases.fresh(kind);
             PlainJobRunr plain = new PlainJobRunr(db.dataSource()).startServer(WORKERS, new NoopJob.Handler())) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                plain.enqueue(new NoopJob(0));
            }
            Await.until("plain JobRunr jobs to succeed", Duration.ofMinutes(10),
                    () -> Databases.succeededJobRunrJobs(db) >= count);
            baseline = count / ((System.nanoTime() - start) / 1e9);
        }
        double buildq;
        try (TestDatabase db = Databases.fresh(kind);
             BuildqStack stack = new BuildqStack(db.dataSource(), WORKERS, factory -> factory)) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                stack.build("e2e-" + i);
            }
            Await.until("builds to finish", Duration.ofMinutes(10), () -> Databases.finishedBuilds(db) >= count);
            buildq = count / ((System.nanoTime() - start) / 1e9);
            long complete = db.count("select count(*) from buildq_job where status = 'COMPLETE'");
            if (complete != count) {
                throw new IllegalStateException(count - complete + " of " + count + " builds did not complete");
            }
        }
        return Figure.compared(Databases.label(kind), "end to end, " + WORKERS + " workers (per second; " + count + ")",
                buildq, baseline, "/s", ">= 0.50", buildq / baseline >= 0.5);
    }
}
