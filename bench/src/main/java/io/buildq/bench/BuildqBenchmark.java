package io.buildq.bench;

import io.buildq.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures buildq against plain JobRunr on H2 and PostgreSQL and prints one table, each figure
 * beside its baseline from the same run. Targets are reported, never asserted: a missed one shows
 * as "missed".
 */
@Command(name = "buildq-bench", mixinStandardHelpOptions = true,
        description = "Benchmark buildq against plain JobRunr (same run, same databases).")
public final class BuildqBenchmark implements Callable<Integer> {

    @Option(names = "--size", defaultValue = "quick",
            description = "smoke (seconds, proves it runs), quick (minutes) or full (what docs/benchmarks.md records). Default: ${DEFAULT-VALUE}")
    String size;

    @Option(names = "--db", split = ",", defaultValue = "h2,postgres",
            description = "Databases to measure on: h2, postgres. PostgreSQL is the tests' server: BUILDQ_TEST_PG_URL, else "
                    + "127.0.0.1:5432 when it answers, else an embedded one; each measurement creates and drops a database there.")
    List<String> databases;

    @Option(names = "--out", description = "Also write the results as Markdown to this file (e.g. docs/benchmarks.md).")
    Path out;

    @Option(names = "--measure", split = ",", defaultValue = "enqueue,end-to-end,pickup,burst,cost,in-flight,status-list,flat",
            description = "What to measure: enqueue, end-to-end, pickup, burst, cost, and (PostgreSQL only) in-flight, "
                    + "status-list and flat (enqueue with full tables). Default: all")
    List<String> measurements;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BuildqBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchSize sizes = BenchSize.named(size);
        long start = System.nanoTime();
        List<Figure> figures = new ArrayList<>();
        String postgresVersion = "PostgreSQL (not measured)";
        for (String name : databases) {
            TestDatabase.Kind kind = switch (name) {
                case "h2" -> TestDatabase.Kind.H2;
                case "postgres" -> TestDatabase.Kind.POSTGRES;
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "--db takes h2 and postgres, not " + name);
            };
            if (kind == TestDatabase.Kind.POSTGRES) {
                postgresVersion = postgresVersion();
            }
            if (measurements.contains("enqueue")) {
                progress(start, "enqueue", kind);
                figures.add(EnqueueBench.run(kind, sizes));
                figures.add(EnqueueBench.bulk(kind, sizes));
            }
            if (measurements.contains("end-to-end")) {
                progress(start, "end to end", kind);
                figures.add(EndToEndBench.run(kind, sizes));
            }
            if (measurements.contains("pickup")) {
                progress(start, "pickup latency", kind);
                figures.addAll(PickupBench.run(kind, sizes));
            }
            if (measurements.contains("burst")) {
                progress(start, "burst", kind);
                figures.addAll(BurstBench.run(kind, sizes));
            }
            if (measurements.contains("cost")) {
                progress(start, "database cost", kind);
                figures.addAll(DatabaseCostBench.run(kind, sizes));
            }
            if (kind == TestDatabase.Kind.POSTGRES && measurements.contains("in-flight")) {
                progress(start, "builds in flight", kind);
                figures.addAll(InFlightBench.run(sizes, sizes.inFlightWindow()));
            }
            if (kind == TestDatabase.Kind.POSTGRES && measurements.contains("status-list")) {
                progress(start, "the status list with full tables", kind);
                figures.addAll(StatusListBench.run(sizes));
            }
            if (kind == TestDatabase.Kind.POSTGRES && measurements.contains("flat")) {
                progress(start, "enqueue with full tables", kind);
                figures.add(FlatWithDataBench.run(sizes));
                progress(start, "pickup with full tables", kind);
                figures.addAll(PickupBench.withData(sizes));
            }
        }
        Report report = new Report(size, figures, Duration.ofNanos(System.nanoTime() - start), postgresVersion);
        System.out.print(report.text());
        if (out != null) {
            report.write(out);
            System.out.println("written to " + out);
        }
        return 0;
    }

    private static void progress(long start, String measurement, TestDatabase.Kind kind) {
        System.err.printf("measuring %s on %s ... (%.0f s in)%n", measurement, Databases.label(kind),
                (System.nanoTime() - start) / 1e9);
    }

    private static String postgresVersion() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.POSTGRES);
             var connection = db.dataSource().getConnection()) {
            return "PostgreSQL " + connection.getMetaData().getDatabaseProductVersion();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL: " + e.getMessage(), e);
        }
    }
}
