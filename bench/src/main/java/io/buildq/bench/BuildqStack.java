package io.buildq.bench;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.secret.CredentialCipher;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.testing.Templates;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/** buildq as a deployment runs it: both simulators over HTTP, a worker and a queue on one database. */
final class BuildqStack implements AutoCloseable {

    static final String TEMPLATE = Templates.fedora16("bench");

    final FactorySimulator factory;
    final IwhdSimulator iwhd;
    final BuildqWorker worker;
    final BuildQueue queue;

    /**
     * @param factorySettings adjusts the factory simulator (by default builds take a few milliseconds
     *                        and any number run at once)
     */
    BuildqStack(DataSource dataSource, int workers, UnaryOperator<FactorySimulator.Builder> factorySettings) {
        factory = factorySettings.apply(FactorySimulator.builder()
                .stepDuration(Duration.ofMillis(1))
                .maxConcurrentBuilds(100_000)).start();
        iwhd = IwhdSimulator.builder().start();
        worker = BuildqWorker.start(dataSource, WorkerSettings.defaults(factory.baseUrl(), iwhd.baseUrl())
                .withWorkers(workers)
                .withFactorySlots(100_000) // the simulated factory takes any number; only the queue is measured
                .withRetention(null) // no hourly job among the measured ones
                .withCallback(new InetSocketAddress("127.0.0.1", 0), null), (CredentialCipher) null);
        queue = BuildQueue.builder(dataSource).onEnqueued(worker.pickupSignal()).build();
    }

    UUID build(String name) {
        return queue.build(BuildRequest.of(name, TEMPLATE, List.of("ec2")));
    }

    @Override
    public void close() {
        queue.close();
        worker.close();
        factory.close();
        iwhd.close();
    }
}
