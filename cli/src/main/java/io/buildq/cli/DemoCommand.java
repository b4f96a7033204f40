package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.catalog.Catalog;
import io.buildq.catalog.CatalogEntry;
import io.buildq.dashboard.BuildqDashboard;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.dashboard.status.StatusServer;
import io.buildq.internal.files.PrivateFiles;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.push.ProviderAccount;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.status.BuildStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import io.buildq.tls.FactoryTrust;
import io.buildq.telemetry.WorkerMeters;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
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

    /** Two accounts with made-up credentials; the simulator accepts any. */
    static final List<ProviderAccount> SAMPLE_ACCOUNTS = List.of(
            new ProviderAccount("ec2-us-east-1", "ec2", "{\"name\": \"ec2-us-east-1\"}",
                    "<provider_account><name>demo-ec2</name><provider_credentials><ec2_credentials>"
                            + "<access_key>AKIADEMOEXAMPLE</access_key><secret_access_key>demo-not-a-real-secret"
                            + "</secret_access_key><account_number>0000-0000-0000</account_number></ec2_credentials>"
                            + "</provider_credentials></provider_account>"),
            new ProviderAccount("rhevm-lab", "rhevm", "{\"api-url\": \"https://rhevm.lab.example/api\", \"cluster\": \"Default\"}",
                    "<provider_account><name>demo-rhevm</name><provider_credentials><rhevm_credentials>"
                            + "<username>admin@internal</username><password>demo-not-a-real-password</password>"
                            + "</rhevm_credentials></provider_credentials></provider_account>"));

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = "buildq-data", description = "where the H2 database lives (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--dashboard-port", defaultValue = "8000", description = "JobRunr dashboard port (default ${DEFAULT-VALUE})")
    int dashboardPort;

    @Option(names = "--status-port", defaultValue = "8080", description = "status page port (default ${DEFAULT-VALUE})")
    int statusPort;

    @Option(names = "--factory-port", defaultValue = "8075", description = "factory simulator port (default ${DEFAULT-VALUE})")
    int factoryPort;

    @Option(names = "--iwhd-port", defaultValue = "9090", description = "iwhd simulator port (default ${DEFAULT-VALUE})")
    int iwhdPort;

    @Option(names = "--metrics-port", defaultValue = "9400", description = "Prometheus metrics port (default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--callback-port", defaultValue = "8076", description = "worker's callback port (default ${DEFAULT-VALUE})")
    int callbackPort;

    @Option(names = "--step-millis", defaultValue = "4000",
            description = "simulated build step; a build has 6 (default ${DEFAULT-VALUE})")
    long stepMillis;

    @Option(names = "--exit-when-done", description = "stop once the sample build has finished (for scripts)")
    boolean exitWhenDone;

    @Option(names = "--stock", description = "simulate a stock Aeolus install: factory over HTTPS with a certificate "
            + "made at start (768-bit RSA, MD5, as paste's), OAuth on factory and iwhd, and GET showing only what "
            + "factory saved; the worker pins the certificate and signs its requests")
    boolean stock;

    /** The demo's OAuth consumer: aeolus-configure generated one key and secret for Conductor and copied them. */
    private static final String DEMO_OAUTH_KEY = "conductor-demo";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoDatabase database = DemoDatabase.in(dataDir);
        String url = database.url();
        List<AutoCloseable> running = new ArrayList<>();
        HikariDataSource dataSource = DatabaseOptions.open(url, DemoDatabase.USER, database.password(), 16, "buildq-demo");
        running.add(dataSource);
        try {
            new BuildqMigrations(dataSource).migrate();
            // H2 made its files (the database, the lock holding the auto-server's key) with the umask's mode.
            PrivateFiles.ownerOnlyFilesIn(dataDir);
            // Verbose: the simulator shows live percent over GET so the progress bar moves. Real
            // factory showed NEW until the end; `buildq simulate factory` without --verbose does too,
            // and so does --stock.
            String factorySecret = stock ? randomSecret() : null;
            String iwhdSecret = stock ? randomSecret() : null;
            FactorySimulator.Builder factorySettings = FactorySimulator.builder().port(factoryPort)
                    .stepDuration(Duration.ofMillis(stepMillis)).verbose(!stock);
            IwhdSimulator.Builder iwhdSettings = IwhdSimulator.builder().port(iwhdPort);
            if (stock) {
                factorySettings.https(SelfSignedCertificate.Profile.PASTE).oauthClient(DEMO_OAUTH_KEY, factorySecret);
                iwhdSettings.oauthClient(DEMO_OAUTH_KEY, iwhdSecret);
            }
            FactorySimulator factory = factorySettings.start();
            running.add(0, factory);
            IwhdSimulator iwhd = iwhdSettings.start();
            running.add(0, iwhd);
            // The demo's own key; production gives workers and enqueuers the same BUILDQ_SECRET_KEY.
            CredentialCipher cipher = CredentialCipher.generatedKeyFile(dataDir.resolve("secret.key"));
            WorkerSettings workerSettings = WorkerSettings.defaults(factory.baseUrl(), iwhd.baseUrl())
                    .withWorkers(4)
                    .withCallback(new InetSocketAddress("127.0.0.1", callbackPort), null)
                    .withFactoryPollInterval(Duration.ofMillis(Math.max(1000, stepMillis / 2)));
            if (stock) {
                // What an operator does with paste's certificate: read its fingerprint and pin it
                // (it changes at every factory start, real-install-notes.md Q3).
                workerSettings = workerSettings
                        .withFactoryTrust(FactoryTrust.pinnedSha256(SelfSignedCertificate.sha256Hex(factory.certificate())))
                        .withFactoryOAuth(DEMO_OAUTH_KEY, factorySecret)
                        .withIwhdOAuth(DEMO_OAUTH_KEY, iwhdSecret);
            }
            MetricsOptions.Served metrics = MetricsOptions.serve(dataSource, new InetSocketAddress("127.0.0.1", metricsPort));
            running.add(0, metrics);
            BuildqWorker worker = BuildqWorker.start(dataSource, workerSettings, cipher, WorkerMeters.on(metrics.registry()));
            running.add(0, worker);
            BuildqDashboard dashboard = BuildqDashboard.start(dataSource, DashboardSettings.loopback(dashboardPort));
            running.add(0, dashboard);
            // The worker shares this process: it starts what the queue enqueues at once (H2 has no NOTIFY).
            BuildQueue.Builder queueSettings = BuildQueue.builder(dataSource).credentialCipher(cipher).iwhd(iwhd.baseUrl())
                    .onEnqueued(worker.pickupSignal());
            if (stock) {
                queueSettings.iwhdOAuth(DEMO_OAUTH_KEY, iwhdSecret);
            }
            BuildQueue queue = queueSettings.build();
            running.add(0, queue);
            StatusServer status = StatusServer.start(queue, DashboardSettings.loopback(statusPort),
                    "http://127.0.0.1:" + dashboard.port());
            running.add(0, status);

            UUID buildId = queue.buildAndPush(BuildRequest.of("demo-web-server", SAMPLE_TEMPLATE, List.of("ec2", "rhevm")),
                    SAMPLE_ACCOUNTS);
            out.printf("""

                    buildq demo is running (Ctrl-C stops it).
                      JobRunr dashboard   http://127.0.0.1:%d/dashboard
                      status page         http://127.0.0.1:%d/builds   (retry and cancel from here too)
                      factory simulator   %s   (%s)
                      iwhd simulator      %s   (%s)
                      metrics             http://127.0.0.1:%d/metrics   (Prometheus text format)
                      database            %s   (user buildq, password in %s)

                    Enqueued build %s of image demo-web-server for ec2 and rhevm, each to be pushed to
                    one account (ec2-us-east-1, rhevm-lab) when its build completes.
                    Watch it in the dashboard: Jobs > Enqueued, then Processing (with a progress bar), then ec2
                    under Succeeded and rhevm under Failed with factory's error text; then the ec2 push runs,
                    and the rhevm push fails with "build failed". Each line below is a change.

                    """, dashboard.port(), status.port(), factory.baseUrl(),
                    stock ? "stock install: HTTPS with certificate " + SelfSignedCertificate.sha256Hex(factory.certificate())
                            + ", OAuth on, GET shows what factory saved" : "verbose: live progress over GET",
                    iwhd.baseUrl(), stock ? "OAuth on" : "no OAuth, as iwhd 0.96", metrics.server().port(), url,
                    dataDir.resolve(DemoDatabase.PASSWORD_FILE), buildId);
            out.flush();
            ScheduledExecutorService printer = Executors.newSingleThreadScheduledExecutor();
            Map<String, String> lastLines = new HashMap<>();
            Runnable print = () -> printChanges(out, queue, queue.status(buildId), lastLines);
            printer.scheduleWithFixedDelay(() -> {
                try {
                    print.run();
                } catch (RuntimeException e) {
                    out.println("  (status unavailable: " + e.getMessage() + ")");
                }
            }, 0, 500, TimeUnit.MILLISECONDS);
            running.add(0, () -> {
                printer.shutdownNow();
                printer.awaitTermination(5, TimeUnit.SECONDS);
            });
            if (exitWhenDone) {
                while (!queue.status(buildId).isFinished()) {
                    Thread.sleep(500); // a CLI waiting for a human-scale build, not test synchronisation
                }
                printer.shutdown(); // let a print in progress finish
                printer.awaitTermination(10, TimeUnit.SECONDS);
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

    private static synchronized void printChanges(PrintWriter out, BuildQueue queue, BuildStatus status,
                                                  Map<String, String> lastLines) {
        for (TargetStatus target : status.targets()) {
            String line = String.format("  build %-6s %-9s %3d%%  %s%s", target.target(), target.status(),
                    target.percent(), target.activity() == null ? "" : target.activity(),
                    target.error() == null ? "" : "\n         error: " + target.error());
            if (!line.equals(lastLines.put(target.target(), line))) {
                out.println(line);
            }
        }
        for (PushStatus push : status.pushes()) {
            String line = String.format("  push  %-13s %-9s %3d%%  %s%s", push.providerName(), push.status(),
                    push.percent(), push.activity() == null ? "" : push.activity(),
                    push.error() == null ? "" : "\n         error: " + push.error());
            if (!line.equals(lastLines.put(push.providerName(), line))) {
                out.println(line);
            }
        }
        if (status.isFinished() && !lastLines.containsKey("_finished")) {
            Catalog catalog = queue.catalog(status.imageId(), SAMPLE_ACCOUNTS);
            out.println("\n  The catalog of demo-web-server (image " + status.imageId() + "), as Conductor asks it:");
            for (CatalogEntry entry : catalog.entries()) {
                out.printf("    %-13s %-6s %-10s %s%n", entry.providerName(), entry.target(), entry.state().wireName(),
                        entry.targetIdentifier() == null ? "" : "as " + entry.targetIdentifier());
            }
            out.println("    missing: build " + catalog.targetsToBuild() + ", push to "
                    + catalog.accountsToPush().stream().map(CatalogEntry::providerName).toList());
            out.println("\n  The sample build has finished. The dashboard keeps showing it; Ctrl-C stops the demo.");
            lastLines.put("_finished", "done");
        }
        out.flush();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
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
