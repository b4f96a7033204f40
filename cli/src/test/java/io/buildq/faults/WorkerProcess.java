package io.buildq.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A `buildq worker` process on the packaged jar, as production runs it, with its output in a log
 * file under target/fault-suite. It can be killed with SIGKILL (a crash) or stopped with SIGTERM.
 */
final class WorkerProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "buildq.jar");
    private static final Path LOGS = Path.of("target", "fault-suite");

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The key the suite's queue seals credentials with, and its workers open them with. */
    static final String SECRET_KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

    static WorkerProcess start(String name, String dbUrl, String factoryUrl, String iwhdUrl, int workers,
                               String... extraArguments) {
        try {
            Files.createDirectories(LOGS);
            Path log = LOGS.resolve(name + ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    // C1 only, as the test JVMs (buildq.test.jvm): a scenario's worker lives a minute.
                    "-XX:TieredStopAtLevel=1", "-jar",
                    JAR.toString(), "worker", "--db", dbUrl, "--factory", factoryUrl, "--iwhd", iwhdUrl,
                    "--workers", String.valueOf(workers), "--callback-bind", "127.0.0.1:0",
                    "--factory-poll-interval", "2"));
            command.addAll(List.of(extraArguments));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("BUILDQ_LOG_LEVEL", "INFO");
            // The suite's key, so that workers can open the credentials of the pushes it enqueues.
            builder.environment().put("BUILDQ_SECRET_KEY", SECRET_KEY);
            return new WorkerProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker on " + JAR, e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether its log holds {@code text} yet. */
    boolean logged(String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: the process gets no chance to clean up, as in a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then how long it took to exit, or -1 ms if it did not within {@code boundSeconds}. */
    long terminate(int boundSeconds) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(boundSeconds, TimeUnit.SECONDS)) {
            return -1;
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    int exitCode() {
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
