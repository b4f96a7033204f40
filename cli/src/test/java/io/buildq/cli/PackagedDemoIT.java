package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar `./buildq` runs, as a user gets it: a separate JVM on the shaded jar, so that a class the
 * test classpath has and the jar lacks fails here rather than on a user's machine.
 */
class PackagedDemoIT {

    @Test
    void thePackagedJarRunsTheStockInstallDemoToItsEnd(@TempDir Path dataDir) throws IOException, InterruptedException {
        Path jar = Path.of("target", "buildq.jar");
        assertThat(jar).exists();
        Path output = dataDir.resolve("demo.out");
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "demo", "--data-dir", dataDir.resolve("data").toString(), "--dashboard-port", "0",
                "--status-port", "0", "--factory-port", "0", "--iwhd-port", "0", "--callback-port", "0",
                "--step-millis", "50", "--exit-when-done", "--stock"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        boolean ended = demo.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            demo.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(ended).as(printed).isTrue();
        assertThat(demo.exitValue()).as(printed).isZero();
        // --stock: factory over HTTPS with paste's kind of certificate and OAuth on factory and iwhd,
        // which also shows that BouncyCastle (the simulator's certificates) works from the shaded jar.
        assertThat(printed).containsPattern("factory simulator +https://127\\.0\\.0\\.1:\\d+/imagefactory +\\(stock install")
                .containsPattern("push +ec2-us-east-1 +COMPLETE")
                .containsPattern("ec2-us-east-1 +ec2 +pushed")
                .containsPattern("rhevm-lab +rhevm +not_built")
                .doesNotContain("NoClassDefFoundError");
    }
}
