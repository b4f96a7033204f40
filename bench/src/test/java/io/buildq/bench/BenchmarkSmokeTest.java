package io.buildq.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark at its smallest size, on both databases: proof that every measurement runs and
 * reports a figure beside its baseline. No timing is asserted; the figures of a run this small
 * mean nothing.
 */
class BenchmarkSmokeTest {

    @Test
    void everyMeasurementRunsOnBothDatabasesAndIsWrittenAsMarkdown(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("benchmarks.md");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exitCode;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            exitCode = new CommandLine(new BuildqBenchmark()).execute("--size", "smoke", "--out", report.toString());
        } finally {
            System.setOut(original);
        }

        assertThat(exitCode).isZero();
        String markdown = Files.readString(report);
        for (String database : List.of("H2", "PostgreSQL")) {
            for (String measure : List.of("enqueue, one by one", "end to end", "pickup p50", "pickup p95", "early claims",
                    "most builds under way", "SQL statements per build", "row writes per build, 10/s against 1/s")) {
                assertThat(markdown).as(database + ": " + measure).containsPattern(
                        "\\| " + database + " \\| " + java.util.regex.Pattern.quote(measure) + "[^|]* \\| [0-9.]+");
            }
        }
        assertThat(markdown).containsPattern("\\| PostgreSQL \\| 5 builds in flight: heap after GC \\(MB\\) \\| [0-9.]+ MB \\| [0-9.]+ MB");
        assertThat(markdown).containsPattern("\\| PostgreSQL \\| 5 builds in flight: threads each build adds[^|]* \\| -?[0-9.]+ \\|");
        assertThat(markdown).containsPattern("\\| PostgreSQL \\| pickup p50 with 2000 finished builds[^|]* \\| [0-9.]+ ms");
        assertThat(markdown).containsPattern("\\| PostgreSQL \\| pickup p50 with 1000 builds waiting[^|]* \\| [0-9.]+ ms");
        assertThat(markdown).contains("- Machine: ").contains("- Java: ");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Database").contains("Baseline").contains("Ratio");
    }
}
