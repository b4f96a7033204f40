package io.buildq.progress;

import io.buildq.factory.FactoryImage;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.FactoryStatus;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.telemetry.WorkerMeters;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what factory reports to the job row, from callbacks and from polling alike. A report is
 * written only if it changes something a user sees, and only if it is not older than what the row
 * already knows: callbacks carry BUILDING while a GET of real factory still says NEW, and the first
 * outcome reported wins.
 *
 * <p>Reports that only move the percentage or the activity are written at most once per
 * {@code progressInterval} per job; the latest one held back is written when the interval ends. A
 * factory that reports ten times a second thus costs the database what one reporting once a second
 * does. Status changes, errors and outcomes are written at once.
 */
public final class ProgressWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProgressWriter.class);

    private final JobStore store;
    private final ProgressSignals signals;
    private final Duration progressInterval;
    private final WorkerMeters meters;
    private final Map<UUID, Throttle> throttles = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "buildq-progress-flush");
        thread.setDaemon(true);
        return thread;
    });

    /** @param progressInterval how often a job's percentage and activity are written at the most */
    public ProgressWriter(JobStore store, ProgressSignals signals, Duration progressInterval, WorkerMeters meters) {
        this.meters = meters;
        this.store = store;
        this.signals = signals;
        this.progressInterval = progressInterval;
    }

    /**
     * Records a report about the row's current factory image and wakes the job's thread, unless it
     * only moves the percentage within {@code progressInterval} of the job's last write: then it is
     * held back, and written at the end of the interval unless a newer report replaced it.
     *
     * @param attempt the attempt the report belongs to; reports from an earlier attempt are dropped
     */
    public void record(UUID jobId, int attempt, FactoryImage report, ChangeSource source) {
        meters.factoryReport(source);
        if (progressInterval.isZero()) {
            write(jobId, attempt, report, source);
            return;
        }
        Throttle throttle = throttles.computeIfAbsent(jobId, id -> new Throttle());
        long delay;
        synchronized (throttle) {
            long now = System.nanoTime();
            boolean progressOnly = report.status().name().equals(throttle.writtenStatus) && report.error() == null
                    && !report.status().isTerminal();
            long dueAt = throttle.writtenAt + progressInterval.toNanos();
            if (!progressOnly || now >= dueAt) {
                throttle.held = null;
                throttle.writtenStatus = report.status().name();
                throttle.writtenAt = now;
                delay = -1;
            } else {
                boolean flushScheduled = throttle.held != null;
                throttle.held = new Held(attempt, report, source);
                delay = flushScheduled ? -2 : dueAt - now;
            }
        }
        if (delay == -1) {
            if (report.status().isTerminal()) {
                throttles.remove(jobId);
            }
            write(jobId, attempt, report, source);
        } else if (delay >= 0) {
            flusher.schedule(() -> flush(jobId, throttle), delay, TimeUnit.NANOSECONDS);
        }
    }

    /** Forgets a job that this worker no longer follows. */
    public void forget(UUID jobId) {
        throttles.remove(jobId);
    }

    private void flush(UUID jobId, Throttle throttle) {
        Held held;
        synchronized (throttle) {
            held = throttle.held;
            if (held == null) {
                return; // a status change came meanwhile, with fresher figures
            }
            throttle.held = null;
            throttle.writtenAt = System.nanoTime();
        }
        try {
            write(jobId, held.attempt(), held.report(), held.source());
        } catch (RuntimeException e) {
            // Only a percentage was lost; the next report or poll brings a newer one.
            log.debug("could not write held-back progress of job {}: {}", jobId, e.toString());
        }
    }

    private void write(UUID jobId, int attempt, FactoryImage report, ChangeSource source) {
        // A callback can overtake the worker storing factory's 202 answer. Real factory's 202 says
        // PENDING as often as NEW (its build thread starts before the answer is built,
        // real-install-notes.md Q6), so the history starts with whichever report came first.
        JobRow committed = store.change(jobId, source, current -> {
            if (isCurrent(current, attempt, report)) {
                apply(current, report);
            }
        });
        signals.signal(jobId, committed);
    }

    /**
     * Stores factory's id for the row's build, together with the first report, before anything else;
     * the first image attached to an attempt stays (a caller whose image was not attached discards it).
     */
    public JobRow attach(UUID jobId, int attempt, FactoryImage created) {
        return store.change(jobId, ChangeSource.CREATE, current -> {
            if (current.attempt() != attempt || current.status().isTerminal()) {
                return;
            }
            if (current.factoryImageId() != null && !current.factoryImageId().equals(created.id())) {
                return; // another run of the job attached its image first; the caller discards this one
            }
            current.attachFactoryImage(created.id(), store.now());
            if (isNewer(current, created)) {
                apply(current, created);
            }
        });
    }

    private static boolean isCurrent(JobRow row, int attempt, FactoryImage report) {
        if (row.attempt() != attempt || row.status().isTerminal()) {
            return false;
        }
        // Before the worker stored factory's id, a callback for this attempt can only be about it.
        if (row.factoryImageId() != null && !row.factoryImageId().equals(report.id())) {
            return false;
        }
        return isNewer(row, report);
    }

    private static boolean isNewer(JobRow row, FactoryImage report) {
        if (row.factoryStatus() == null) {
            return true;
        }
        FactoryStatus known = row.factoryStatus();
        if (known.isTerminal() && known != report.status()) {
            return false;
        }
        return report.status().rank() >= known.rank();
    }

    private static void apply(JobRow row, FactoryImage report) {
        row.recordFactoryProgress(report.status(), report.percent(), report.activity(), report.error());
    }

    @Override
    public void close() {
        flusher.shutdownNow();
    }

    /** What was last written for one job, and the report held back since; guarded by itself. */
    private static final class Throttle {
        String writtenStatus;
        long writtenAt;
        Held held;
    }

    private record Held(int attempt, FactoryImage report, ChangeSource source) {
    }
}
