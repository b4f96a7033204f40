package io.buildq.cli;

import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.sim.iwhd.IwhdSimulator;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Runs a simulator of Image Factory or iwhd on its own, for trying buildq without the real services.",
        subcommands = {SimulateCommand.Factory.class, SimulateCommand.Iwhd.class},
        footer = {"", "Examples:", "  buildq simulate factory --port 8075 --verbose", "  buildq simulate iwhd --port 9090"})
final class SimulateCommand {

    @Command(name = "factory", mixinStandardHelpOptions = true,
            description = "An Image Factory REST v2 simulator. Put 'simulate-failure' (all targets) or "
                    + "'simulate-failure:rhevm,vsphere' in a template to make its build fail.",
            footer = {"", "Faults can be changed while it runs: curl -X POST localhost:8075/_sim/faults -d '{\"errorRate\": 0.2, \"seed\": 7}'",
                    "", "Example:", "  buildq simulate factory --port 8075 --step-millis 5000 --verbose --error-rate 0.1"})
    static final class Factory implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address (default ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "8075", description = "port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--step-millis", defaultValue = "2000",
                description = "duration of one build step; a build has 3 base and 3 target steps (default ${DEFAULT-VALUE})")
        long stepMillis;

        @Option(names = "--verbose", description = "show live status and percent over GET (real factory did not)")
        boolean verbose;

        @Option(names = "--max-concurrent-builds", defaultValue = "0",
                description = "not faithful: limit builds at once (real REST v2 has no limit; default ${DEFAULT-VALUE}, none)")
        int maxConcurrentBuilds;

        @Option(names = "--https", paramLabel = "PROFILE",
                description = "serve HTTPS with a new self-signed certificate made at start: paste (768-bit RSA, MD5, "
                        + "CN '*', as a stock factory) or modern (2048-bit RSA, SHA-256, for localhost); prints its "
                        + "SHA-256 fingerprint")
        String https;

        @Option(names = "--callback-before-save-millis", defaultValue = "0",
                description = "send the COMPLETE/FAILED callback this long before GET shows the outcome (real factory "
                        + "races the two; default ${DEFAULT-VALUE})")
        long callbackBeforeSaveMillis;

        @Option(names = "--oauth-strict-rfc",
                description = "not faithful: count query parameters once in the OAuth base string (python-oauth2 counted them twice)")
        boolean oauthStrictRfc;

        @Option(names = "--build-failure-rate", defaultValue = "0",
                description = "share of builds that end FAILED, 0 to 1 (JSON buildFailureRate)")
        double buildFailureRate;

        @Option(names = "--lose-callbacks", defaultValue = "0", description = "how many of the next callbacks are not sent (JSON loseCallbacks)")
        int loseCallbacks;

        @Option(names = "--oauth-key", description = "require two-legged OAuth 1.0 with this consumer key (off by default)")
        String oauthKey;

        @Option(names = "--oauth-secret", defaultValue = "${env:BUILDQ_SIM_OAUTH_SECRET}",
                description = "the consumer secret for --oauth-key (env BUILDQ_SIM_OAUTH_SECRET)")
        String oauthSecret;

        @Mixin
        FaultOptions faults;

        @Override
        public Integer call() {
            FactorySimulator.Builder builder = FactorySimulator.builder().address(host).port(port)
                    .stepDuration(Duration.ofMillis(stepMillis)).verbose(verbose)
                    .maxConcurrentBuilds(maxConcurrentBuilds)
                    .callbackBeforeSave(Duration.ofMillis(callbackBeforeSaveMillis))
                    .oauthStrictRfc(oauthStrictRfc)
                    .faults(faults.settings(buildFailureRate, loseCallbacks));
            if (https != null) {
                builder.https(switch (https) {
                    case "paste" -> SelfSignedCertificate.Profile.PASTE;
                    case "modern" -> SelfSignedCertificate.Profile.MODERN;
                    default -> throw new IllegalArgumentException("--https must be paste or modern, was '" + https + "'");
                });
            }
            if (oauthKey != null) {
                if (oauthSecret == null || oauthSecret.isEmpty()) {
                    throw new IllegalArgumentException("--oauth-key needs --oauth-secret (or BUILDQ_SIM_OAUTH_SECRET)");
                }
                builder.oauthClient(oauthKey, oauthSecret);
            }
            FactorySimulator factory = builder.start();
            System.out.println("Image Factory simulator: " + factory.baseUrl());
            if (factory.certificate() != null) {
                System.out.println("certificate SHA-256 (for a worker's --factory-tls-pin): "
                        + SelfSignedCertificate.sha256Hex(factory.certificate()));
            }
            System.out.println("restart it as a factory restart would (in-flight images stay NEW): curl -X POST "
                    + factory.baseUrl().replace("/imagefactory", "") + "/_sim/restart");
            Processes.runUntilStopped(factory::close);
            return 0;
        }
    }

    @Command(name = "iwhd", mixinStandardHelpOptions = true, description = "An iwhd 0.96 simulator.",
            footer = {"", "Faults can be changed while it runs: curl -X POST localhost:9090/_sim/faults -d '{\"dropRate\": 0.1}'",
                    "", "Example:", "  buildq simulate iwhd --port 9090 --latency-millis 200"})
    static final class Iwhd implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address (default ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "9090", description = "port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--strict-queries", description = "answer 400 to a query that does not parse (real iwhd returned everything)")
        boolean strictQueries;

        @Option(names = "--oauth-key", description = "require two-legged OAuth 1.0 with this consumer key, as "
                + "aeolus-configure set iwhd up (off by default, as iwhd 0.96)")
        String oauthKey;

        @Option(names = "--oauth-secret", defaultValue = "${env:BUILDQ_SIM_OAUTH_SECRET}",
                description = "the consumer secret for --oauth-key (env BUILDQ_SIM_OAUTH_SECRET)")
        String oauthSecret;

        @Mixin
        FaultOptions faults;

        @Override
        public Integer call() {
            IwhdSimulator.Builder builder = IwhdSimulator.builder().address(host).port(port).strictQueries(strictQueries)
                    .faults(faults.settings(0, 0));
            if (oauthKey != null) {
                if (oauthSecret == null || oauthSecret.isEmpty()) {
                    throw new IllegalArgumentException("--oauth-key needs --oauth-secret (or BUILDQ_SIM_OAUTH_SECRET)");
                }
                builder.oauthClient(oauthKey, oauthSecret);
            }
            IwhdSimulator iwhd = builder.start();
            System.out.println("iwhd simulator: " + iwhd.baseUrl());
            Processes.runUntilStopped(iwhd::close);
            return 0;
        }
    }
}
