package io.buildq.cli;

import com.zaxxer.hikari.HikariDataSource;
import io.buildq.build.TargetNames;
import io.buildq.retry.Backoff;
import io.buildq.telemetry.WorkerMeters;
import io.buildq.secret.CredentialCipher;
import io.buildq.tls.FactoryTrust;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Runs builds: a JobRunr BackgroundJobServer that drives Image Factory and registers results in iwhd.",
        footer = {"", "Example:", "  buildq worker --db jdbc:postgresql://db/buildq --factory http://factory:8075/imagefactory \\",
                "      --iwhd http://iwhd:9090 --callback-bind 0.0.0.0:8076 --callback-url http://worker-1:8076"})
final class WorkerCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Mixin
    DatabaseOptions database;

    @Mixin
    WorkerOptions worker;

    @Mixin
    MetricsOptions metrics;

    @Override
    public Integer call() {
        Map<String, String> environment = System.getenv();
        CredentialCipher cipher = null;
        if (environment.containsKey(CredentialCipher.KEY_VARIABLE) || environment.containsKey(CredentialCipher.KEY_FILE_VARIABLE)) {
            cipher = CredentialCipher.fromEnvironment(environment);
        }
        WorkerSettings settings = worker.settings();
        HikariDataSource dataSource = database.open("buildq-worker");
        MetricsOptions.Served served = metrics.enabled() ? metrics.start(dataSource) : null;
        BuildqWorker running = BuildqWorker.start(dataSource, settings, cipher,
                served == null ? WorkerMeters.off() : WorkerMeters.on(served.registry()));
        if (cipher == null) {
            log.warn("No BUILDQ_SECRET_KEY (or BUILDQ_SECRET_KEY_FILE): this worker builds, and fails pushes for want"
                    + " of a key to open their credentials");
        }
        Processes.runUntilStopped(() -> {
            running.close();
            if (served != null) {
                served.close();
            }
            dataSource.close();
        });
        return 0;
    }

    /** The worker's settings as flags and BUILDQ_* variables; shared with {@code demo}. */
    static final class WorkerOptions {
        static final String IWHD_OAUTH_SECRET_VARIABLE = "BUILDQ_IWHD_OAUTH_SECRET";

        @Option(names = "--factory", required = true, defaultValue = "${env:BUILDQ_FACTORY_URL}",
                description = "Image Factory's REST root (env BUILDQ_FACTORY_URL), e.g. http://localhost:8075/imagefactory")
        String factoryUrl;

        @Option(names = "--iwhd", required = true, defaultValue = "${env:BUILDQ_IWHD_URL}",
                description = "iwhd's root (env BUILDQ_IWHD_URL), e.g. http://localhost:9090")
        String iwhdUrl;

        @Option(names = "--workers", defaultValue = "${env:BUILDQ_WORKERS:-8}",
                description = "builds this process follows at once (env BUILDQ_WORKERS, default ${DEFAULT-VALUE})")
        int workers;

        @Option(names = "--callback-bind", defaultValue = "${env:BUILDQ_CALLBACK_BIND:-127.0.0.1:8076}",
                description = "host:port to receive factory's status callbacks on (env BUILDQ_CALLBACK_BIND, default ${DEFAULT-VALUE})")
        String callbackBind;

        @Option(names = "--callback-url", defaultValue = "${env:BUILDQ_CALLBACK_URL}",
                description = "the URL factory reaches the callback listener at (env BUILDQ_CALLBACK_URL; default: the bind address)")
        String callbackUrl;

        @Option(names = "--callback-tls-cert", defaultValue = "${env:BUILDQ_CALLBACK_TLS_CERT}",
                description = "serve callbacks over HTTPS with this PEM certificate chain (env BUILDQ_CALLBACK_TLS_CERT); "
                        + "factory must trust it (see docs/operations.md, Security)")
        Path callbackTlsCert;

        @Option(names = "--callback-tls-key", defaultValue = "${env:BUILDQ_CALLBACK_TLS_KEY}",
                description = "the certificate's PEM private key, PKCS #8, mode 0600 (env BUILDQ_CALLBACK_TLS_KEY)")
        Path callbackTlsKey;

        @Option(names = "--factory-poll-interval", defaultValue = "${env:BUILDQ_FACTORY_POLL_SECONDS:-10}",
                description = "seconds between GETs of a build's status when no callback came (env BUILDQ_FACTORY_POLL_SECONDS, default ${DEFAULT-VALUE})")
        int factoryPollSeconds;

        @Option(names = "--poll-interval", defaultValue = "${env:BUILDQ_POLL_SECONDS:-5}",
                description = "seconds between JobRunr's polls for new jobs, 5 at least (env BUILDQ_POLL_SECONDS, default ${DEFAULT-VALUE})")
        int pollSeconds;

        @Option(names = "--factory-oauth-key", defaultValue = "${env:BUILDQ_FACTORY_OAUTH_KEY}",
                description = "sign factory requests with two-legged OAuth 1.0 using this consumer key (env BUILDQ_FACTORY_OAUTH_KEY)")
        String factoryOAuthKey;

        @Option(names = "--factory-oauth-secret", defaultValue = "${env:BUILDQ_FACTORY_OAUTH_SECRET}",
                description = "the consumer secret (env BUILDQ_FACTORY_OAUTH_SECRET; prefer the variable)")
        String factoryOAuthSecret;

        @Option(names = "--iwhd-oauth-key", defaultValue = "${env:BUILDQ_IWHD_OAUTH_KEY}",
                description = "sign every iwhd request with two-legged OAuth 1.0 using this consumer key, as "
                        + "aeolus-configure sets iwhd up (env BUILDQ_IWHD_OAUTH_KEY; the secret only by env "
                        + "BUILDQ_IWHD_OAUTH_SECRET)")
        String iwhdOAuthKey;

        @Option(names = "--factory-tls", defaultValue = "${env:BUILDQ_FACTORY_TLS:-system}",
                description = "how to trust an https factory's certificate: system (the JDK's trust store), or insecure "
                        + "(whatever factory presents; logged loudly) (env BUILDQ_FACTORY_TLS, default ${DEFAULT-VALUE}); "
                        + "--factory-tls-cert and --factory-tls-pin choose the other two ways")
        String factoryTls;

        @Option(names = "--factory-tls-cert", defaultValue = "${env:BUILDQ_FACTORY_TLS_CERT}",
                description = "trust exactly the certificate(s) in this PEM file for factory (env BUILDQ_FACTORY_TLS_CERT), "
                        + "e.g. the one factory was started with --ssl_pem")
        Path factoryTlsCert;

        @Option(names = "--factory-tls-pin", defaultValue = "${env:BUILDQ_FACTORY_TLS_PIN}",
                description = "trust only a factory certificate with this SHA-256 fingerprint, AB:CD:... or hex "
                        + "(env BUILDQ_FACTORY_TLS_PIN); paste's default certificate changes at every factory start")
        String factoryTlsPin;

        @Option(names = "--target-names", defaultValue = "${env:BUILDQ_TARGET_NAMES:-literal}",
                description = "the target name a target image carries in iwhd: literal (the Deltacloud driver's, as "
                        + "iwhd-era Conductor compares them) or tim (mock as MockSphere, openstack as openstack-kvm); the "
                        + "catalog must use the same (env BUILDQ_TARGET_NAMES, default ${DEFAULT-VALUE})")
        String targetNames;

        @Option(names = "--build-deadline", defaultValue = "${env:BUILDQ_BUILD_DEADLINE_MINUTES:-360}",
                description = "minutes factory may take to finish one image before buildq takes it as lost (a factory "
                        + "restart leaves it NEW forever), deletes it and fails the build, retryable "
                        + "(env BUILDQ_BUILD_DEADLINE_MINUTES, default ${DEFAULT-VALUE})")
        long buildDeadlineMinutes;

        @Option(names = "--retry-for", defaultValue = "${env:BUILDQ_RETRY_MINUTES:-30}",
                description = "minutes a build keeps retrying while factory or iwhd is unreachable or answers 5xx, "
                        + "before it fails (env BUILDQ_RETRY_MINUTES, default ${DEFAULT-VALUE})")
        int retryMinutes;

        @Option(names = "--retry-max-wait", defaultValue = "${env:BUILDQ_RETRY_MAX_WAIT_SECONDS:-60}",
                description = "the longest wait, in seconds, between two tries of a failing call; waits start at 1 s "
                        + "and double, jittered (env BUILDQ_RETRY_MAX_WAIT_SECONDS, default ${DEFAULT-VALUE})")
        int retryMaxWaitSeconds;

        @Option(names = "--http-timeout", defaultValue = "${env:BUILDQ_HTTP_TIMEOUT_SECONDS:-60}",
                description = "seconds a call to factory or iwhd may wait for an answer before it counts as a transient "
                        + "failure (env BUILDQ_HTTP_TIMEOUT_SECONDS, default ${DEFAULT-VALUE})")
        int httpTimeoutSeconds;

        @Option(names = "--factory-slots", defaultValue = "${env:BUILDQ_FACTORY_SLOTS:-2}",
                description = "builds running against the factory at once, over every worker that uses it; give every "
                        + "worker the same number (env BUILDQ_FACTORY_SLOTS, default ${DEFAULT-VALUE}). Factory's REST v2 "
                        + "starts every build it is given at once, each a VM install on factory's host: this is the only limit")
        int factorySlots;

        @Option(names = "--retention-days", defaultValue = "${env:BUILDQ_RETENTION_DAYS:-90}",
                description = "days a finished build is kept; then an hourly job deletes it with its history, keeping "
                        + "the latest build of every image (env BUILDQ_RETENTION_DAYS, default ${DEFAULT-VALUE}; 0 keeps "
                        + "everything forever). Give every worker the same number")
        int retentionDays;

        WorkerSettings settings() {
            if (retentionDays < 0) {
                throw new IllegalArgumentException("--retention-days must be 0 (keep forever) or more, was " + retentionDays);
            }
            int colon = callbackBind.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("--callback-bind must be host:port, was '" + callbackBind + "'");
            }
            InetSocketAddress bind = new InetSocketAddress(callbackBind.substring(0, colon),
                    Integer.parseInt(callbackBind.substring(colon + 1)));
            return WorkerSettings.defaults(factoryUrl, iwhdUrl)
                    .withWorkers(workers)
                    .withCallback(bind, callbackUrl == null || callbackUrl.isEmpty() ? null : URI.create(callbackUrl))
                    .withFactoryPollInterval(Duration.ofSeconds(factoryPollSeconds))
                    .withQueuePollInterval(Duration.ofSeconds(pollSeconds))
                    .withFactoryOAuth(blankToNull(factoryOAuthKey), blankToNull(factoryOAuthSecret))
                    .withBackoff(new Backoff(Backoff.defaults().first(),
                            Duration.ofSeconds(Math.max(retryMaxWaitSeconds, 1)), Duration.ofMinutes(retryMinutes)))
                    .withHttpTimeout(Duration.ofSeconds(httpTimeoutSeconds))
                    .withFactorySlots(factorySlots)
                    .withRetention(retentionDays == 0 ? null : Duration.ofDays(retentionDays))
                    .withBuildDeadline(Duration.ofMinutes(buildDeadlineMinutes))
                    .withFactoryTrust(factoryTrust())
                    .withTargetNames(targetNames(targetNames))
                    .withCallbackTls(TlsFiles.load(callbackTlsCert, "--callback-tls-cert", callbackTlsKey, "--callback-tls-key"))
                    .withIwhdOAuth(blankToNull(iwhdOAuthKey), iwhdOAuthKey == null || iwhdOAuthKey.isEmpty() ? null
                            : requiredSecret(IWHD_OAUTH_SECRET_VARIABLE, "--iwhd-oauth-key"));
        }

        private FactoryTrust factoryTrust() {
            boolean cert = factoryTlsCert != null && !factoryTlsCert.toString().isEmpty();
            boolean pin = factoryTlsPin != null && !factoryTlsPin.isEmpty();
            if (cert && pin) {
                throw new IllegalArgumentException("give --factory-tls-cert or --factory-tls-pin, not both");
            }
            if (cert) {
                return FactoryTrust.certificateFile(factoryTlsCert);
            }
            if (pin) {
                return FactoryTrust.pinnedSha256(factoryTlsPin);
            }
            return switch (factoryTls) {
                case "system" -> FactoryTrust.systemDefault();
                case "insecure" -> FactoryTrust.insecure();
                default -> throw new IllegalArgumentException(
                        "--factory-tls must be system or insecure, was '" + factoryTls + "'");
            };
        }

        static TargetNames targetNames(String preset) {
            return switch (preset) {
                case "literal" -> TargetNames.literal();
                case "tim" -> TargetNames.timEra();
                default -> throw new IllegalArgumentException("--target-names must be literal or tim, was '" + preset + "'");
            };
        }

        static String requiredSecret(String variable, String flag) {
            String secret = System.getenv(variable);
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs its secret in the environment variable " + variable);
            }
            return secret;
        }

        private static String blankToNull(String value) {
            return value == null || value.isEmpty() ? null : value;
        }
    }
}
