package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.api.BuildQueue;
import io.buildq.dashboard.BuildqDashboard;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.dashboard.status.StatusServer;
import io.buildq.httpapi.ApiServer;
import io.buildq.secret.CredentialCipher;
import java.util.Map;
import io.buildq.internal.tls.ServerTls;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Serves JobRunr's dashboard (queued, running and failed work, requeue and delete) and buildq's"
                + " status page (builds and pushes by image, target and account; retry, cancel, retry all failed).",
        footer = {"", "Example:", "  buildq dashboard --db jdbc:postgresql://db/buildq --port 8000"})
final class DashboardCommand implements Callable<Integer> {

    @Mixin
    DatabaseOptions database;

    @Option(names = "--host", defaultValue = "${env:BUILDQ_DASHBOARD_HOST:-127.0.0.1}",
            description = "address to listen on (env BUILDQ_DASHBOARD_HOST, default ${DEFAULT-VALUE}); off loopback a password is required")
    String host;

    @Option(names = "--port", defaultValue = "${env:BUILDQ_DASHBOARD_PORT:-8000}",
            description = "port (env BUILDQ_DASHBOARD_PORT, default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--status-port", defaultValue = "${env:BUILDQ_STATUS_PORT:-8080}",
            description = "port of buildq's status page (env BUILDQ_STATUS_PORT, default ${DEFAULT-VALUE})")
    int statusPort;

    @Option(names = "--api-port", defaultValue = "${env:BUILDQ_API_PORT:-8081}",
            description = "port of the HTTP API, /v1 (env BUILDQ_API_PORT, default ${DEFAULT-VALUE}); clients need a"
                    + " token from `buildq token create`")
    int apiPort;

    @Option(names = "--iwhd", defaultValue = "${env:BUILDQ_IWHD_URL}",
            description = "iwhd's root (env BUILDQ_IWHD_URL), for the API's catalog")
    String iwhdUrl;

    @Option(names = "--iwhd-oauth-key", defaultValue = "${env:BUILDQ_IWHD_OAUTH_KEY}",
            description = "sign iwhd requests with two-legged OAuth 1.0 (env BUILDQ_IWHD_OAUTH_KEY; the secret only by env"
                    + " BUILDQ_IWHD_OAUTH_SECRET)")
    String iwhdOAuthKey;

    @Option(names = "--host-name", split = ",", defaultValue = "${env:BUILDQ_DASHBOARD_HOST_NAMES}",
            description = "names the dashboards answer to besides loopback's and the --host address, comma-separated "
                    + "(env BUILDQ_DASHBOARD_HOST_NAMES); a request naming another Host is refused (DNS rebinding)")
    List<String> hostNames;

    @Option(names = "--user", defaultValue = "${env:BUILDQ_DASHBOARD_USER}",
            description = "Basic auth user (env BUILDQ_DASHBOARD_USER)")
    String user;

    @Option(names = "--password", defaultValue = "${env:BUILDQ_DASHBOARD_PASSWORD}",
            description = "Basic auth password (env BUILDQ_DASHBOARD_PASSWORD; prefer the variable)")
    String password;

    @Option(names = "--tls-cert", defaultValue = "${env:BUILDQ_DASHBOARD_TLS_CERT}",
            description = "serve both dashboards over HTTPS with this PEM certificate chain (env BUILDQ_DASHBOARD_TLS_CERT)")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:BUILDQ_DASHBOARD_TLS_KEY}",
            description = "the certificate's PEM private key, PKCS #8, mode 0600 (env BUILDQ_DASHBOARD_TLS_KEY)")
    Path tlsKey;

    @Option(names = "--tls-by-proxy", defaultValue = "${env:BUILDQ_DASHBOARD_TLS_BY_PROXY:-false}",
            description = "off loopback, serve plain HTTP because a proxy in front terminates TLS "
                    + "(env BUILDQ_DASHBOARD_TLS_BY_PROXY); without it or --tls-cert, a non-loopback --host is refused")
    boolean tlsByProxy;

    @picocli.CommandLine.Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() {
        List<String> names = hostNames == null ? List.of() : hostNames.stream().filter(name -> !name.isBlank()).toList();
        ServerTls tls = TlsFiles.load(tlsCert, "--tls-cert", tlsKey, "--tls-key");
        DashboardSettings settings = new DashboardSettings(host, port, blankToNull(user), blankToNull(password), names,
                tls, tlsByProxy);
        DashboardSettings statusSettings = settings.withPort(statusPort);
        HikariDataSource dataSource = database.open("buildq-dashboard");
        BuildqDashboard dashboard = BuildqDashboard.start(dataSource, settings);
        CredentialCipher cipher = cipher();
        BuildQueue queue = queue(dataSource, cipher);
        String jobRunrUrl = settings.scheme() + "://" + host + ":" + dashboard.port();
        StatusServer status = StatusServer.start(queue, statusSettings, jobRunrUrl);
        ApiServer api = ApiServer.start(queue, dataSource, cipher, settings.withPort(apiPort));
        MetricsOptions.Served served = metrics.enabled() ? metrics.start(dataSource) : null;
        System.out.println("JobRunr dashboard: " + jobRunrUrl + "/dashboard");
        System.out.println("buildq status page: " + settings.scheme() + "://" + host + ":" + status.port() + "/builds");
        System.out.println("buildq HTTP API: " + settings.scheme() + "://" + host + ":" + api.port() + "/v1 (document:"
                + " /v1/openapi.json)");
        Processes.runUntilStopped(() -> {
            if (served != null) {
                served.close();
            }
            api.close();
            status.close();
            dashboard.close();
            queue.close();
            dataSource.close();
        });
        return 0;
    }

    /** The installation's key (BUILDQ_SECRET_KEY or its file), to seal credentials with; null without one. */
    private static CredentialCipher cipher() {
        Map<String, String> environment = System.getenv();
        boolean hasKey = !environment.getOrDefault(CredentialCipher.KEY_VARIABLE, "").isBlank()
                || !environment.getOrDefault(CredentialCipher.KEY_FILE_VARIABLE, "").isBlank();
        return hasKey ? CredentialCipher.fromEnvironment(environment) : null;
    }

    /** The queue the status page and the API enqueue on, reading the catalog from iwhd when given one. */
    private BuildQueue queue(HikariDataSource dataSource, CredentialCipher cipher) {
        BuildQueue.Builder builder = BuildQueue.builder(dataSource);
        if (cipher != null) {
            builder.credentialCipher(cipher);
        }
        if (iwhdUrl != null && !iwhdUrl.isBlank()) {
            builder.iwhd(iwhdUrl);
            if (iwhdOAuthKey != null && !iwhdOAuthKey.isBlank()) {
                builder.iwhdOAuth(iwhdOAuthKey,
                        WorkerCommand.WorkerOptions.requiredSecret(WorkerCommand.WorkerOptions.IWHD_OAUTH_SECRET_VARIABLE, "--iwhd-oauth-key"));
            }
        }
        return builder.build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
