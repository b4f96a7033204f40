package io.buildq.bench;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds in flight: N simulated builds of ten minutes followed at once by one worker process
 * (started with {@code -Xmx512m}), with its heap after a full GC, its threads and its CPU use over
 * a window once all N are building; its threads also at N/2, so that what each build adds is known.
 * The baseline is a plain JobRunr process holding N jobs that wait. PostgreSQL only: several processes share the database, which is what it is for.
 */
final class InFlightBench {

    /** Six steps of 100 s: ten minutes per build, longer than any measurement. */
    private static final Duration STEP = Duration.ofSeconds(100);
    private static final List<String> JVM = List.of("-Xmx512m");

    private InFlightBench() {
    }

    static List<Figure> run(BenchSize size, Duration window) {
        int count = size.inFlight();
        double[] baseline = baseline(count, window);
        double[] buildq = buildq(count, window);
        String db = Databases.label(TestDatabase.Kind.POSTGRES);
        // What each build adds: the threads of N against N/2 in flight, free of the threads a worker
        // starts once, with its first builds (its HTTP clients', its callback server's).
        double buildqThreadsEach = (buildq[1] - buildq[3]) / (count - count / 2);
        double baselineThreadsEach = (baseline[1] - baseline[3]) / (count - count / 2);
        return List.of(
                Figure.compared(db, count + " builds in flight: heap after GC (MB)", buildq[0], baseline[0], " MB",
                        "<= 512 MB", buildq[0] <= 512),
                Figure.compared(db, count + " builds in flight: threads", buildq[1], baseline[1], "", "-", null),
                Figure.compared(db, count + " builds in flight: threads each build adds (N against N/2)",
                        buildqThreadsEach, baselineThreadsEach, "", "<= 1", buildqThreadsEach <= 1.0),
                Figure.compared(db, count + " builds in flight: CPU (% of one core)", buildq[2], baseline[2], " %",
                        "<= 30 %", buildq[2] <= 30));
    }

    private static double[] buildq(int count, Duration window) {
        try (TestDatabase db = Databases.fresh(TestDatabase.Kind.POSTGRES);
             FactorySimulator factory = FactorySimulator.builder().stepDuration(STEP).maxConcurrentBuilds(count * 2 + 10)
                     .start();
             IwhdSimulator iwhd = IwhdSimulator.builder().start();
             ChildJvm worker = ChildJvm.start(JVM, InFlightProcess.class, "buildq", db.url(), String.valueOf(count),
                     factory.baseUrl(), iwhd.baseUrl());
             BuildQueue queue = BuildQueue.create(db.dataSource())) {
            worker.readLine(); // ready
            double halfThreads = 0;
            for (int half : new int[] {count / 2, count}) {
                for (int i = half < count ? 0 : count / 2; i < half; i++) {
                    queue.build(BuildRequest.of("inflight-" + i, BuildqStack.TEMPLATE, List.of("ec2")));
                }
                Await.until(half + " builds to be running", Duration.ofMinutes(5), () -> db.count(
                        "select count(*) from buildq_job where status = 'RUNNING' and factory_image_id is not null") >= half);
                if (half < count) {
                    halfThreads = threads(worker);
                }
            }
            return withHalfThreads(measure(worker, window), halfThreads);
        }
    }

    private static double[] baseline(int count, Duration window) {
        try (TestDatabase db = Databases.fresh(TestDatabase.Kind.POSTGRES);
             ChildJvm server = ChildJvm.start(JVM, InFlightProcess.class, "jobrunr", db.url(), String.valueOf(count));
             PlainJobRunr enqueuer = new PlainJobRunr(db.dataSource())) {
            server.readLine(); // ready
            double halfThreads = 0;
            for (int half : new int[] {count / 2, count}) {
                for (int i = half < count ? 0 : count / 2; i < half; i++) {
                    enqueuer.enqueue(new ParkedJob(STEP.toMillis() * 6));
                }
                Await.until(half + " plain jobs to be processing", Duration.ofMinutes(5),
                        () -> db.count("select count(*) from jobrunr_jobs where state = 'PROCESSING'") >= half);
                if (half < count) {
                    halfThreads = threads(server);
                }
            }
            return withHalfThreads(measure(server, window), halfThreads);
        }
    }

    private static double threads(ChildJvm process) {
        return Long.parseLong(process.ask("stats").split(" ")[1]);
    }

    private static double[] withHalfThreads(double[] measured, double halfThreads) {
        return new double[] {measured[0], measured[1], measured[2], halfThreads};
    }

    /** {heap MB, threads, CPU % of one core over {@code window}}. */
    private static double[] measure(ChildJvm process, Duration window) {
        long cpuBefore = Long.parseLong(process.ask("cpu"));
        try {
            TimeUnit.MILLISECONDS.sleep(window.toMillis()); // the window CPU use is measured over
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long cpuAfter = Long.parseLong(process.ask("cpu"));
        String[] stats = process.ask("stats").split(" ");
        double cpuPercent = 100.0 * (cpuAfter - cpuBefore) / window.toNanos();
        return new double[] {Long.parseLong(stats[0]) / (1024.0 * 1024.0), Long.parseLong(stats[1]), cpuPercent};
    }
}
