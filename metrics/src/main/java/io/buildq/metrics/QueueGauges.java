package io.buildq.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue as buildq's tables hold it, read at each scrape ({@link #refresh}): jobs by kind, state
 * and target, the queue's depth and the age of its oldest QUEUED job, and the builds running on each
 * Image Factory (the slots in use). Every process that shares the database shows the same figures:
 * take {@code max} across processes, then {@code sum} across the other tags.
 *
 * <p>Two grouped reads per scrape, each bounded by {@code queryTimeout}. A read that fails drops
 * the figures from that scrape rather than showing stale ones as current; {@code
 * buildq_queue_gauges_up} says which it was.
 */
public final class QueueGauges implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private static final String JOBS = "select kind, status, target, count(*), min(updated_at) from buildq_job "
            + "group by kind, status, target";
    /** Every factory a worker has used (buildq_factory), so that an idle one shows 0 rather than nothing. */
    private static final String RUNNING_ON_FACTORY = "select f.url, count(j.id) from buildq_factory f "
            + "left join buildq_job j on j.factory_url = f.url and j.kind = 'BUILD' and j.status = 'RUNNING' group by f.url";

    private final DataSource dataSource;
    private final Clock clock;
    private final int queryTimeoutSeconds;
    private final AtomicInteger up = new AtomicInteger();
    private MultiGauge jobs;
    private MultiGauge depth;
    private MultiGauge oldestAge;
    private MultiGauge runningOnFactory;

    public QueueGauges(DataSource dataSource, Clock clock, Duration queryTimeout) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.queryTimeoutSeconds = (int) Math.max(1, queryTimeout.toSeconds());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        jobs = MultiGauge.builder("buildq.jobs")
                .description("buildq jobs (builds and pushes) by kind, state and target, as the database holds them")
                .register(registry);
        depth = MultiGauge.builder("buildq.queue.depth")
                .description("Jobs QUEUED: waiting for a worker, a factory slot or their build")
                .register(registry);
        oldestAge = MultiGauge.builder("buildq.queue.oldest.age").baseUnit("seconds")
                .description("How long the oldest QUEUED job has been unchanged")
                .register(registry);
        runningOnFactory = MultiGauge.builder("buildq.factory.builds.running")
                .description("Builds RUNNING on each Image Factory: the slots in use, over every worker")
                .register(registry);
        Gauge.builder("buildq.queue.gauges.up", up, AtomicInteger::get)
                .description("1 when the last scrape read the queue's gauges from the database, 0 when it could not")
                .register(registry);
    }

    /** Reads the tables and sets every gauge; on failure, clears them and says so in {@code up}. */
    public void refresh() {
        List<MultiGauge.Row<?>> jobRows = new ArrayList<>();
        Map<String, Long> queued = new HashMap<>();
        Map<String, OffsetDateTime> oldestQueued = new HashMap<>();
        List<MultiGauge.Row<?>> factoryRows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement statement = connection.prepareStatement(JOBS)) {
                statement.setQueryTimeout(queryTimeoutSeconds);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String kind = rows.getString(1);
                        String status = rows.getString(2);
                        long count = rows.getLong(4);
                        jobRows.add(MultiGauge.Row.of(Tags.of("kind", kind, "status", status, "target", rows.getString(3)),
                                count));
                        if (status.equals("QUEUED")) {
                            queued.merge(kind, count, Long::sum);
                            OffsetDateTime since = rows.getObject(5, OffsetDateTime.class);
                            oldestQueued.merge(kind, since, (a, b) -> a.isBefore(b) ? a : b);
                        }
                    }
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(RUNNING_ON_FACTORY)) {
                statement.setQueryTimeout(queryTimeoutSeconds);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        factoryRows.add(MultiGauge.Row.of(Tags.of("factory", rows.getString(1)), rows.getLong(2)));
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            if (up.getAndSet(0) == 1) {
                log.warn("Cannot read the queue's gauges from the database; scrapes go without them until it "
                        + "answers: {}", e.toString());
            }
            clear();
            return;
        }
        List<MultiGauge.Row<?>> depthRows = new ArrayList<>();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        for (String kind : List.of("BUILD", "PUSH")) {
            depthRows.add(MultiGauge.Row.of(Tags.of("kind", kind), queued.getOrDefault(kind, 0L)));
            OffsetDateTime since = oldestQueued.get(kind);
            double age = since == null ? 0
                    : Math.max(0, Duration.between(since.toInstant(), clock.instant()).toMillis() / 1000.0);
            ageRows.add(MultiGauge.Row.of(Tags.of("kind", kind), age));
        }
        jobs.register(jobRows, true);
        depth.register(depthRows, true);
        oldestAge.register(ageRows, true);
        runningOnFactory.register(factoryRows, true);
        up.set(1);
    }

    private void clear() {
        jobs.register(List.of(), true);
        depth.register(List.of(), true);
        oldestAge.register(List.of(), true);
        runningOnFactory.register(List.of(), true);
    }
}
