package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/** {@code BUILDQ_LOG_FORMAT=json} on the packaged jar: every log line a JSON object, a job's lines with its fields. */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = "fault-suite-machine", mode = ResourceAccessMode.READ)
class JsonLogsIT {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theDemosLogIsOneJsonObjectPerLineAndTheExpectedFailureNamesItsJob(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", Path.of("target", "buildq.jar").toString(), "demo",
                "--data-dir", dir.resolve("data").toString(), "--dashboard-port", "0", "--status-port", "0",
                "--factory-port", "0", "--iwhd-port", "0", "--callback-port", "0", "--metrics-port", "0",
                "--step-millis", "50", "--exit-when-done")
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("BUILDQ_LOG_FORMAT", "json");
        Process demo = builder.start();
        boolean ended = demo.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            demo.destroyForcibly();
        }
        String logged = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(ended).as(logged).isTrue();
        assertThat(demo.exitValue()).as(logged).isZero();

        List<JsonNode> lines = new ArrayList<>();
        for (String line : logged.split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line)); // throws on any line that is not JSON
            }
        }
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line.path("level").asText()).isNotEmpty());
        // rhevm's failure is the demo's expected outcome: JobRunr's line about it carries the job's fields
        JsonNode failure = lines.stream()
                .filter(line -> line.path("mdc").path("target").asText().equals("rhevm"))
                .filter(line -> line.path("level").asText().equals("ERROR"))
                .findFirst().orElseThrow(() -> new AssertionError("no ERROR line with target rhevm in\n" + logged));
        assertThat(failure.path("mdc").path("image").asText()).isEqualTo("demo-web-server");
        assertThat(failure.path("mdc").path("job_id").asText()).hasSize(36);
        assertThat(failure.path("mdc").path("build_id").asText()).hasSize(36);
        assertThat(failure.path("throwable").path("className").asText()).endsWith("FactoryBuildFailedException");
        assertThat(failure.path("throwable").path("stepArray")).as("an expected outcome has no stack trace").isEmpty();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("The sample build has finished");
    }

    @Test
    void anUnknownLogFormatIsRefusedInOneLine() throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(java(), "-jar", Path.of("target", "buildq.jar").toString(), "--help")
                .redirectErrorStream(true);
        builder.environment().put("BUILDQ_LOG_FORMAT", "xml");
        Process process = builder.start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(printed.strip()).isEqualTo("buildq: BUILDQ_LOG_FORMAT must be text or json, was 'xml'");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
