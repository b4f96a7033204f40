package io.buildq.bench;

import io.buildq.pickup.ClaimGuard;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.List;

/**
 * Early claims: a burst of builds enqueued at once on a worker with few threads, each build lasting
 * about 300 ms. A claim made while every worker was busy or promised is an early claim; for a
 * multi-minute build it would wait unheartbeaten until JobRunr declared it orphaned and ran it
 * again. Counted by the worker's {@link ClaimGuard}, and from outside by the most builds factory
 * saw under way at once. The baseline is plain JobRunr running as many jobs of 300 ms, counted the
 * same way.
 */
final class BurstBench {

    private static final int WORKERS = 4;

    private BurstBench() {
    }

    static List<Figure> run(TestDatabase.Kind kind, BenchSize size) {
        int count = size.burst();
        ClaimGuard.ClaimCounts baseline;
        try (TestDatabase db = Databases.fresh(kind);
             PlainJobRunr plain = new PlainJobRunr(db.dataSource()).startServer(WORKERS, new ParkedJob.Handler())) {
            for (int i = 0; i < count; i++) {
                plain.enqueue(new ParkedJob(300));
            }
            Await.until("plain jobs to succeed", Duration.ofMinutes(10), () -> Databases.succeededJobRunrJobs(db) >= count);
            baseline = plain.claimCounts();
        }
        ClaimGuard.ClaimCounts buildq;
        int peak;
        try (TestDatabase db = Databases.fresh(kind);
             BuildqStack stack = new BuildqStack(db.dataSource(), WORKERS,
                     factory -> factory.stepDuration(Duration.ofMillis(50)))) {
            for (int i = 0; i < count; i++) {
                stack.build("burst-" + i);
            }
            Await.until("the burst to finish", Duration.ofMinutes(10), () -> Databases.finishedBuilds(db) >= count);
            buildq = stack.worker.claimCounts();
            peak = stack.factory.peakTargetBuildsInFlight();
        }
        String db = Databases.label(kind);
        return List.of(
                new Figure(db, "early claims in a burst of " + count + " builds, " + WORKERS + " workers",
                        String.valueOf(buildq.earlyClaims()), String.valueOf(baseline.earlyClaims()), "-", "0",
                        buildq.earlyClaims() == 0 ? "met" : "missed"),
                new Figure(db, "most builds under way at once (factory's count; " + WORKERS + " workers)",
                        String.valueOf(peak), "-", "-", "<= " + WORKERS, peak <= WORKERS ? "met" : "missed"));
    }
}
