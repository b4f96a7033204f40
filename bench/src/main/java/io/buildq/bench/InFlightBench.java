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
 * a window once all N are building. The baseline is a plain JobRunr process holding N jobs that
 * wait. PostgreSQL only: several processes share the database, which is what it is for.
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
        return List.of(
                Figure.compared(db, count + " builds in flight: heap after GC (MB)", buildq[0], baseline[0], " MB",
                        "<= 512 MB", buildq[0] <= 512),
                Figure.compared(db, count + " builds in flight: threads", buildq[1], baseline[1], "", "-", null),
                Figure.compared(db, count + " builds in flight: CPU (% of one core)", buildq[2], baseline[2], " %", "-",
                        null));
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
            for (int i = 0; i < count; i++) {
                queue.build(BuildRequest.of("inflight-" + i, BuildqStack.TEMPLATE, List.of("ec2")));
            }
            Await.until(count + " builds to be running", Duration.ofMinutes(5),
                    () -> db.count("select count(*) from buildq_job where status = 'RUNNING' and factory_image_id is not null")
                            >= count);
            return measure(worker, window);
        }
    }

    private static double[] baseline(int count, Duration window) {
        try (TestDatabase db = Databases.fresh(TestDatabase.Kind.POSTGRES);
             ChildJvm server = ChildJvm.start(JVM, InFlightProcess.class, "jobrunr", db.url(), String.valueOf(count));
             PlainJobRunr enqueuer = new PlainJobRunr(db.dataSource())) {
            server.readLine(); // ready
            for (int i = 0; i < count; i++) {
                enqueuer.enqueue(new ParkedJob(STEP.toMillis() * 6));
            }
            Await.until(count + " plain jobs to be processing", Duration.ofMinutes(5),
                    () -> db.count("select count(*) from jobrunr_jobs where state = 'PROCESSING'") >= count);
            return measure(server, window);
        }
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
