package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.dashboard.BuildqDashboard;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.status.BuildStatus;
import io.buildq.status.TargetStatus;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs everything in one process on an H2 file database: both simulators, a worker and the "
                + "dashboard, then enqueues a sample build for ec2 and rhevm (rhevm is made to fail).",
        footer = {"", "Example:", "  ./buildq demo            then open http://127.0.0.1:8000/dashboard"})
final class DemoCommand implements Callable<Integer> {

    static final String SAMPLE_TEMPLATE = """
            <template>
              <name>demo-web-server</name>
              <os>
                <name>Fedora</name><version>16</version><arch>x86_64</arch>
                <install type="url"><url>http://download.fedoraproject.org/pub/fedora/linux/releases/16/Fedora/x86_64/os/</url></install>
              </os>
              <description>A web server. simulate-failure:rhevm asks the factory simulator to fail the rhevm build.</description>
              <packages><package name="httpd"/></packages>
            </template>
            """;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "buildq-data", description = "where the H2 database lives (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--dashboard-port", defaultValue = "8000", description = "JobRunr dashboard port (default ${DEFAULT-VALUE})")
    int dashboardPort;

    @Option(names = "--factory-port", defaultValue = "8075", description = "factory simulator port (default ${DEFAULT-VALUE})")
    int factoryPort;

    @Option(names = "--iwhd-port", defaultValue = "9090", description = "iwhd simulator port (default ${DEFAULT-VALUE})")
    int iwhdPort;

    @Option(names = "--callback-port", defaultValue = "8076", description = "worker's callback port (default ${DEFAULT-VALUE})")
    int callbackPort;

    @Option(names = "--step-millis", defaultValue = "4000",
            description = "simulated build step; a build has 6 (default ${DEFAULT-VALUE})")
    long stepMillis;

    @Option(names = "--exit-when-done", description = "stop once the sample build has finished (for scripts)")
    boolean exitWhenDone;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Files.createDirectories(dataDir);
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("buildq") + ";AUTO_SERVER=TRUE";
        List<AutoCloseable> running = new ArrayList<>();
        HikariDataSource dataSource = DatabaseOptions.open(url, null, null, 16, "buildq-demo");
        running.add(dataSource);
        try {
            new BuildqMigrations(dataSource).migrate();
            // Verbose: the simulator shows live percent over GET so the progress bar moves. Real
            // factory showed NEW until the end; `buildq simulate factory` without --verbose does too.
            FactorySimulator factory = FactorySimulator.builder().port(factoryPort)
                    .stepDuration(Duration.ofMillis(stepMillis)).verbose(true).start();
            running.add(0, factory);
            IwhdSimulator iwhd = IwhdSimulator.builder().port(iwhdPort).start();
            running.add(0, iwhd);
            BuildqWorker worker = BuildqWorker.start(dataSource, WorkerSettings.defaults(factory.baseUrl(), iwhd.baseUrl())
                    .withWorkers(4)
                    .withCallback(new InetSocketAddress("127.0.0.1", callbackPort), null)
                    .withFactoryPollInterval(Duration.ofMillis(Math.max(1000, stepMillis / 2))));
            running.add(0, worker);
            BuildqDashboard dashboard = BuildqDashboard.start(dataSource, DashboardSettings.loopback(dashboardPort));
            running.add(0, dashboard);
            BuildQueue queue = BuildQueue.create(dataSource);
            running.add(0, queue);

            UUID buildId = queue.build(BuildRequest.of("demo-web-server", SAMPLE_TEMPLATE, List.of("ec2", "rhevm")));
            out.printf("""

                    buildq demo is running (Ctrl-C stops it).
                      JobRunr dashboard   http://127.0.0.1:%d/dashboard
                      factory simulator   %s   (verbose: live progress over GET)
                      iwhd simulator      %s
                      database            %s

                    Enqueued build %s of image demo-web-server for ec2 and rhevm.
                    Watch it in the dashboard: Jobs > Enqueued, then Processing (with a progress bar), then ec2
                    under Succeeded and rhevm under Failed with factory's error text. Each line below is a change.

                    """, dashboard.port(), factory.baseUrl(), iwhd.baseUrl(), url, buildId);
            out.flush();
            ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
            Map<String, String> lastLines = new HashMap<>();
            Runnable print = () -> printChanges(out, queue.status(buildId), lastLines);
            printer.scheduleWithFixedDelay(() -> {
                try {
                    print.run();
                } catch (RuntimeException e) {
                    out.println("  (status unavailable: " + e.getMessage() + ")");
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            running.add(0, printer::shutdownNow);
            if (exitWhenDone) {
                while (!queue.status(buildId).isFinished()) {
                    Thread.sleep(500); // a CLI waiting for a human-scale build, not test synchronisation
                }
                print.run();
                closeAll(running);
                return 0;
            }
            Processes.runUntilStopped(() -> closeAll(running));
            return 0;
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
    }

    private static void printChanges(PrintWriter out, BuildStatus status, Map<String, String> lastLines) {
        for (TargetStatus target : status.targets()) {
            String line = String.format("  %-6s %-9s %3d%%  %s%s", target.target(), target.status(), target.percent(),
                    target.activity() == null ? "" : target.activity(),
                    target.error() == null ? "" : "\n         error: " + target.error());
            if (!line.equals(lastLines.put(target.target(), line))) {
                out.println(line);
            }
        }
        if (status.isFinished() && !"done".equals(lastLines.put("_finished", "done"))) {
            out.println("\n  The sample build has finished. The dashboard keeps showing it; Ctrl-C stops the demo.");
        }
        out.flush();
    }

    private static void closeAll(List<AutoCloseable> running) {
        for (AutoCloseable closeable : running) {
            try {
                closeable.close();
            } catch (Exception e) {
                System.err.println("buildq: while stopping: " + e);
            }
        }
        running.clear();
    }
}
