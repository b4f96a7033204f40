package io.buildq.cli;

import io.buildq.sim.factory.FactorySimulator;
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

        @Option(names = "--max-concurrent-builds", defaultValue = "2", description = "factory's build slots (default ${DEFAULT-VALUE})")
        int maxConcurrentBuilds;

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
                    .faults(faults.settings(buildFailureRate, loseCallbacks));
            if (oauthKey != null) {
                if (oauthSecret == null || oauthSecret.isEmpty()) {
                    throw new IllegalArgumentException("--oauth-key needs --oauth-secret (or BUILDQ_SIM_OAUTH_SECRET)");
                }
                builder.oauthClient(oauthKey, oauthSecret);
            }
            FactorySimulator factory = builder.start();
            System.out.println("Image Factory simulator: " + factory.baseUrl());
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

        @Mixin
        FaultOptions faults;

        @Override
        public Integer call() {
            IwhdSimulator iwhd = IwhdSimulator.builder().address(host).port(port).strictQueries(strictQueries)
                    .faults(faults.settings(0, 0)).start();
            System.out.println("iwhd simulator: " + iwhd.baseUrl());
            Processes.runUntilStopped(iwhd::close);
            return 0;
        }
    }
}
