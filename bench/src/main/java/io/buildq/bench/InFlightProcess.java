package io.buildq.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.sun.management.OperatingSystemMXBean;
import io.buildq.secret.CredentialCipher;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One worker process holding many jobs at once, for {@link InFlightBench}: {@code buildq} runs a
 * buildq worker, {@code jobrunr} a plain JobRunr server whose jobs just wait. It prints "ready",
 * then answers "cpu" with the CPU time it used so far (ns), and "stats" with its heap in use after
 * a full GC (bytes) and its live threads.
 *
 * <p>Arguments: mode, JDBC URL, worker count, and for buildq the factory and iwhd URLs.
 */
public final class InFlightProcess {

    private InFlightProcess() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int workers = Integer.parseInt(args[2]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args[1]);
        config.setMaximumPoolSize(10);
        try (HikariDataSource dataSource = new HikariDataSource(config);
             AutoCloseable running = "buildq".equals(mode)
                     ? BuildqWorker.start(dataSource, WorkerSettings.defaults(args[3], args[4]).withWorkers(workers)
                             .withFactorySlots(workers).withRetention(null)
                             .withCallback(new InetSocketAddress("127.0.0.1", 0), null), (CredentialCipher) null)
                     : new PlainJobRunr(dataSource).startServer(workers, new ParkedJob.Handler());
             BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            System.out.println("ready");
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            String command;
            while ((command = commands.readLine()) != null) {
                if (command.equals("cpu")) {
                    System.out.println(os.getProcessCpuTime());
                } else {
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println(heap + " " + Thread.activeCount());
                }
            }
        }
    }
}
