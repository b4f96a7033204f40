package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** Stopping the packaged demo as an operator does (SIGTERM, what Ctrl-C's SIGINT also does): quietly, exit 0. */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = "fault-suite-machine", mode = ResourceAccessMode.READ)
class DemoStopIT {

    @Test
    void aStoppedDemoEndsWithoutAStackTrace(@TempDir Path dir) throws IOException, InterruptedException {
        Path output = dir.resolve("demo.out");
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "buildq.jar").toString(), "demo", "--data-dir", dir.resolve("data").toString(),
                "--dashboard-port", "0", "--status-port", "0", "--factory-port", "0", "--iwhd-port", "0",
                "--callback-port", "0", "--metrics-port", "0", "--step-millis", "50"))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> Files.readString(output, StandardCharsets.UTF_8)
                    .contains("The sample build has finished"));

            demo.destroy(); // SIGTERM

            assertThat(demo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            demo.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(printed).isZero();
        assertThat(printed).doesNotContain("Database is already closed")
                .as("no stack trace, from start to stop").doesNotContainPattern("\n\tat ");
    }
}
