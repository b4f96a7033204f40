package io.buildq.telemetry;

import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.JobRow;
import io.buildq.status.JobKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Every meter a worker records, in one place so that their names and tags are listed once
 * (docs/operations.md#metrics lists them for operators). The queue's gauges, read from the
 * database, are {@code io.buildq.metrics.QueueGauges}; calls to factory and iwhd are timed by
 * {@code io.buildq.metrics.HttpCallMeter}.
 *
 * <p>With {@link #off()} the worker installs none of its meters' hooks (HTTP interceptors, the
 * pickup filter, JobRunr's binder) and skips the one read (a job's row at its end) that only a meter
 * needs; the calls that remain record into an empty composite registry, whose meters do nothing.
 */
public final class WorkerMeters {

    private final MeterRegistry registry;
    private final boolean enabled;

    private WorkerMeters(MeterRegistry registry, boolean enabled) {
        this.registry = registry;
        this.enabled = enabled;
    }

    /** The reconciler's kinds of repair, each a tag value of {@code buildq_reconciler_repairs_total}. */
    public enum Repair {
        /** A QUEUED row without a JobRunr job (the enqueue was lost): enqueued. */
        ENQUEUED_LOST_JOB,
        /** A row queued again whose JobRunr job had already ended: run again. */
        RAN_ENDED_JOB_AGAIN,
        /** A job deleted in JobRunr's dashboard: its row cancelled. */
        CANCELLED_DELETED_JOB,
        /** A job whose worker died or stopped mid-run: enqueued again to reattach to factory. */
        RESUMED_INTERRUPTED_JOB,
        /** A job interrupted too often: its row failed, retryable. */
        FAILED_INTERRUPTED_JOB,
        /** A failed job requeued in JobRunr's dashboard: its row queued again as a retry. */
        TOOK_DASHBOARD_REQUEUE,
        /** A push that failed with its build, whose build has since completed: released. */
        RELEASED_PUSH,
        /** A request whose last job ended without telling iwhd (its worker died): registered. */
        REGISTERED_IN_IWHD;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Records into {@code registry}. The counters start at 0 for every tag value they can take, so
     * that a dashboard's {@code rate()} sees them before their first event.
     */
    public static WorkerMeters on(MeterRegistry registry) {
        WorkerMeters meters = new WorkerMeters(registry, true);
        for (Repair repair : Repair.values()) {
            meters.repairs(repair);
        }
        meters.refusedCallbacks();
        meters.reports(ChangeSource.CALLBACK);
        meters.reports(ChangeSource.POLL);
        return meters;
    }

    /** Records nothing: see the class comment. */
    public static WorkerMeters off() {
        return new WorkerMeters(new CompositeMeterRegistry(), false);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Whether anything is recorded; callers skip work done only for a meter when not. */
    public boolean enabled() {
        return enabled;
    }

    /** A job went from JobRunr's ENQUEUED to a worker's PROCESSING after {@code latency}. */
    public void pickedUp(JobKind kind, Duration latency) {
        Timer.builder("buildq.pickup.latency")
                .description("From a job becoming ENQUEUED in JobRunr to a worker claiming it")
                .tag("kind", kind.name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(latency);
    }

    /**
     * A job's row ended ({@code row} is terminal): the time of its last attempt, from factory
     * accepting that attempt's image (or, when factory never did, from the job's first start) to the
     * end. A retry days after a failure is timed from its own start, not from the first attempt's.
     */
    public void jobEnded(JobRow row) {
        Instant began = row.factoryStartedAt() != null ? row.factoryStartedAt() : row.startedAt();
        if (began == null || row.finishedAt() == null) {
            return; // cancelled before it ever started: no duration to speak of
        }
        Timer.builder("buildq.job.duration")
                .description("A job's last attempt, from factory accepting it to its end (COMPLETE, FAILED or CANCELLED)")
                .tag("kind", row.kind().name())
                .tag("target", row.target())
                .tag("status", row.status().name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofHours(6))
                .register(registry)
                .record(Duration.between(began, row.finishedAt()));
    }

    /** Factory told us of an image's progress: by callback, or because a worker polled it. */
    public void factoryReport(ChangeSource source) {
        reports(source).increment();
    }

    private Counter reports(ChangeSource source) {
        return Counter.builder("buildq.factory.reports")
                .description("Reports of factory images' progress taken in, by how they came: callback or poll")
                .tag("via", source.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    /** A callback came without the token of its job and attempt, and was refused. */
    public void callbackRefused() {
        refusedCallbacks().increment();
    }

    private Counter refusedCallbacks() {
        return Counter.builder("buildq.callbacks.refused")
                .description("Factory callbacks refused for want of their job's token (forged, or for an old attempt)")
                .register(registry);
    }

    /** The reconciler repaired a row or a JobRunr job. */
    public void repaired(Repair repair) {
        repairs(repair).increment();
    }

    private Counter repairs(Repair repair) {
        return Counter.builder("buildq.reconciler.repairs")
                .description("Rows and JobRunr jobs the reconciler brought back into agreement, by kind of repair")
                .tag("repair", repair.tag())
                .register(registry);
    }

    /** The number of builds this worker lets run at once on {@code factoryUrl}, over every worker. */
    public void factorySlots(String factoryUrl, int limit) {
        Gauge.builder("buildq.factory.slots.limit", () -> limit)
                .description("Builds allowed at once on each Image Factory (compare buildq_factory_builds_running)")
                .tag("factory", factoryUrl)
                .register(registry);
    }
}
