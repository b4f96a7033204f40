package io.buildq.cli;

import io.buildq.metrics.MetricsServer;
import io.buildq.metrics.QueueGauges;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import picocli.CommandLine.Option;

/** {@code --metrics-port} and {@code --metrics-bind}, shared by {@code worker}, {@code dashboard} and {@code demo}. */
final class MetricsOptions {

    /** How long the queue's gauges may take to read at a scrape before that scrape goes without them. */
    private static final Duration GAUGE_QUERY_BOUND = Duration.ofSeconds(2);

    @Option(names = "--metrics-port", defaultValue = "${env:BUILDQ_METRICS_PORT}",
            description = "serve Prometheus metrics at http://<metrics-bind>:PORT/metrics (env BUILDQ_METRICS_PORT; "
                    + "off by default)")
    Integer port;

    @Option(names = "--metrics-bind", defaultValue = "${env:BUILDQ_METRICS_BIND:-127.0.0.1}",
            description = "the address the metrics listener binds (env BUILDQ_METRICS_BIND; default ${DEFAULT-VALUE}; "
                    + "0.0.0.0 for a scraper on another host)")
    String bind;

    boolean enabled() {
        return port != null;
    }

    /** A registry with the JVM's meters and the queue's gauges, served on the chosen port. */
    Served start(DataSource dataSource) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0..65535, was " + port);
        }
        return serve(dataSource, new InetSocketAddress(bind, port));
    }

    /** A registry with the JVM's meters and the queue's gauges, served at {@code bind}. */
    static Served serve(DataSource dataSource, InetSocketAddress bind) {
        PrometheusMeterRegistry registry = MetricsServer.newRegistry();
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        QueueGauges gauges = new QueueGauges(dataSource, Clock.systemUTC(), GAUGE_QUERY_BOUND);
        gauges.bindTo(registry);
        MetricsServer server = MetricsServer.start(registry, bind, List.of(gauges::refresh));
        return new Served(registry, server, gc);
    }

    /** What {@link #start} made; closing it stops the listener. */
    record Served(PrometheusMeterRegistry registry, MetricsServer server, JvmGcMetrics gc) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            gc.close();
            registry.close();
        }
    }
}
