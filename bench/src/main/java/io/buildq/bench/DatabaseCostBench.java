package io.buildq.bench;

import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * What each build costs the shared database: SQL statements and row writes per build, counted by
 * a JDBC proxy around the worker's and the enqueuer's pool, for builds of six steps (six seconds at
 * the quick and full sizes: three for the base image, three for the target image) whose
 * factory reports progress by callback ten times a second, then once a second. Everything the
 * processes ran during the builds counts, JobRunr's polls and heartbeats included. The baseline is
 * plain JobRunr running jobs as long as the builds the same way.
 */
final class DatabaseCostBench {

    private static final int WORKERS = 8;

    private DatabaseCostBench() {
    }

    static List<Figure> run(TestDatabase.Kind kind, BenchSize size) {
        int builds = size.costBuilds();
        Duration step = size.costStep();
        double[] baseline = baseline(kind, builds, step.multipliedBy(6));
        double[] often = buildq(kind, builds, step, Duration.ofMillis(100));
        double[] seldom = buildq(kind, builds, step, Duration.ofSeconds(1));
        String db = Databases.label(kind);
        List<Figure> figures = new ArrayList<>();
        // The target: at most 3 times a plain no-op job, in statements and in row writes.
        figures.add(Figure.compared(db, "SQL statements per build, progress 10/s (" + builds + " builds)",
                often[0], baseline[0], "", "ratio <= 3", often[0] <= 3 * baseline[0]));
        figures.add(Figure.compared(db, "SQL statements per build, progress 1/s", seldom[0], baseline[0], "",
                "ratio <= 3", seldom[0] <= 3 * baseline[0]));
        figures.add(Figure.compared(db, "row writes per build, progress 10/s", often[1], baseline[1], "", "ratio <= 3",
                often[1] <= 3 * baseline[1]));
        figures.add(Figure.compared(db, "row writes per build, progress 1/s", seldom[1], baseline[1], "", "ratio <= 3",
                seldom[1] <= 3 * baseline[1]));
        // The target: writes must not grow with the progress rate. The baseline here is the
        // same buildq at one report a second.
        figures.add(Figure.compared(db, "row writes per build, 10/s against 1/s", often[1], seldom[1], "",
                "ratio <= 1.10", often[1] <= seldom[1] * 1.10));
        return figures;
    }

    /** {statements, row writes} per build. */
    private static double[] buildq(TestDatabase.Kind kind, int builds, Duration step, Duration progressEvery) {
        StatementCounter counter = new StatementCounter();
        try (TestDatabase db = Databases.fresh(kind)) {
            DataSource counted = counter.wrap(db.dataSource());
            try (BuildqStack stack = new BuildqStack(counted, WORKERS,
                    factory -> factory.stepDuration(step).progressReports(progressEvery))) {
                counter.reset();
                for (int i = 0; i < builds; i++) {
                    stack.build("cost-" + i);
                }
                Await.until("the builds to finish", Duration.ofMinutes(5), () -> Databases.finishedBuilds(db) >= builds
                        && Databases.succeededJobRunrJobs(db) >= builds);
                printBreakdown("buildq, progress every " + progressEvery.toMillis() + " ms", counter, builds);
                return new double[] {counter.statements() / (double) builds, counter.rowWrites() / (double) builds};
            }
        }
    }

    /** With -Dbench.costDetail=true, prints which statements a build costs, per build, to stderr. */
    private static void printBreakdown(String what, StatementCounter counter, int per) {
        if (Boolean.getBoolean("bench.costDetail")) {
            System.err.println("statements per build, " + what + ":\n" + counter.breakdown(per));
        }
    }

    private static double[] baseline(TestDatabase.Kind kind, int jobs, Duration length) {
        StatementCounter counter = new StatementCounter();
        try (TestDatabase db = Databases.fresh(kind);
             PlainJobRunr plain = new PlainJobRunr(counter.wrap(db.dataSource())).startServer(WORKERS,
                     new ParkedJob.Handler())) {
            counter.reset();
            for (int i = 0; i < jobs; i++) {
                plain.enqueue(new ParkedJob(length.toMillis()));
            }
            Await.until("plain jobs to succeed", Duration.ofMinutes(5), () -> Databases.succeededJobRunrJobs(db) >= jobs);
            printBreakdown("plain JobRunr", counter, jobs);
            return new double[] {counter.statements() / (double) jobs, counter.rowWrites() / (double) jobs};
        }
    }
}
