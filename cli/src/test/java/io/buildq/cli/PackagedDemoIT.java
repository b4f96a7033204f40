package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar `./buildq` runs, as a user gets it: a separate JVM on the shaded jar, so that a class the
 * test classpath has and the jar lacks fails here rather than on a user's machine.
 */
// Beside the fault suite's scenarios (it waits on its demo's builds as they do), never beside the one
// scenario that measures a time bound and takes the machine alone (FaultSuiteIT.MACHINE).
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(value = "fault-suite-machine", mode = ResourceAccessMode.READ)
class PackagedDemoIT {

    @Test
    void thePackagedJarRunsTheStockInstallDemoToItsEnd(@TempDir Path dataDir) throws IOException, InterruptedException {
        Path jar = Path.of("target", "buildq.jar");
        assertThat(jar).exists();
        Path output = dataDir.resolve("demo.out");
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "demo", "--data-dir", dataDir.resolve("data").toString(), "--dashboard-port", "0",
                "--status-port", "0", "--factory-port", "0", "--iwhd-port", "0", "--callback-port", "0", "--metrics-port", "0",
                "--step-millis", "50", "--exit-when-done", "--stock"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();

        // While it runs: H2's auto-server, whose address the lock file holds, answers on loopback only.
        Path data = dataDir.resolve("data");
        Path lock = data.resolve("buildq.lock.db");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(lock)
                && Files.readString(lock, StandardCharsets.ISO_8859_1).contains("server="));
        Matcher server = Pattern.compile("server=.*\\\\?:(\\d+)")
                .matcher(Files.readString(lock, StandardCharsets.ISO_8859_1));
        assertThat(server.find()).isTrue();
        int port = Integer.parseInt(server.group(1));
        try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertThat(loopback.isConnected()).isTrue();
        }
        for (InetAddress other : nonLoopbackAddresses()) {
            assertThatThrownBy(() -> new Socket(other, port).close()).as("H2's port on " + other)
                    .isInstanceOf(ConnectException.class);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");

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
                .doesNotContain("NoClassDefFoundError")
                .as("logback's own start-up status").doesNotContain("|-WARN in ch.qos.logback")
                .doesNotContain("|-INFO in ch.qos.logback")
                // rhevm's failure is the demo's expected outcome: one log line, no stack trace
                .contains("FactoryBuildFailedException: Image Factory build failed")
                .doesNotContainPattern("FactoryBuildFailedException[^\n]*\n\tat ");
        try (var files = Files.list(data)) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty().allSatisfy(file ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString())
                            .isEqualTo("rw-------"));
        }
        assertThat(data.resolve(DemoDatabase.PASSWORD_FILE)).exists();
    }

    /** This machine's addresses other than loopback: where another host (or a local user) would connect. */
    private static List<InetAddress> nonLoopbackAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback();
            } catch (SocketException e) {
                return false;
            }
        }).flatMap(NetworkInterface::inetAddresses).filter(address -> !address.isLinkLocalAddress()).toList();
    }
}
