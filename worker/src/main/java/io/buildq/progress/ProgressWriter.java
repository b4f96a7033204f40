package io.buildq.progress;

import io.buildq.factory.FactoryImage;
import io.buildq.factory.FactoryStatus;
import io.buildq.job.JobRow;
import io.buildq.job.JobStore;
import java.util.List;
import java.util.UUID;

/**
 * Writes what factory reports to the job row, from callbacks and from polling alike. A report is
 * written only if it changes something a user sees, and only if it is not older than what the row
 * already knows: callbacks carry BUILDING while a GET of real factory still says NEW, and the first
 * outcome reported wins.
 */
public final class ProgressWriter {

    public static final String SOURCE_CALLBACK = "callback";
    public static final String SOURCE_POLL = "poll";
    public static final String SOURCE_WORKER = "worker";
    /** Factory's answer to the POST that started the build. */
    public static final String SOURCE_CREATE = "create";

    private static final String INITIAL_ACTIVITY = "Initializing image prior to Cloud/OS customization";

    private final JobStore store;
    private final ProgressSignals signals;

    public ProgressWriter(JobStore store, ProgressSignals signals) {
        this.store = store;
        this.signals = signals;
    }

    /**
     * Records a report about the row's current factory image and wakes the job's thread.
     *
     * @param attempt the attempt the report belongs to; reports from an earlier attempt are dropped
     */
    public JobRow record(UUID jobId, int attempt, FactoryImage report, String source) {
        // A callback can overtake the worker storing factory's 202 answer. That answer said NEW, so
        // the history gets NEW first, keeping every status factory reported, in order. Both steps
        // share one transaction: callbacks and polls are the worker's most frequent writes.
        JobRow row = store.change(jobId, List.of(
                new JobStore.Step(SOURCE_CREATE, current -> {
                    if (report.status() != FactoryStatus.NEW && current.factoryStatus() == null
                            && isCurrent(current, attempt, report)) {
                        current.recordFactoryProgress(FactoryStatus.NEW.name(), 0, INITIAL_ACTIVITY, null);
                    }
                }),
                new JobStore.Step(source, current -> {
                    if (isCurrent(current, attempt, report)) {
                        apply(current, report);
                    }
                })));
        signals.signal(jobId);
        return row;
    }

    /** Stores factory's id for the row's build, together with the first report, before anything else. */
    public JobRow attach(UUID jobId, int attempt, FactoryImage created) {
        return store.change(jobId, SOURCE_CREATE, current -> {
            if (current.attempt() != attempt || current.status().isTerminal()) {
                return;
            }
            current.attachFactoryImage(created.id());
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
        FactoryStatus known = FactoryStatus.parse(row.factoryStatus());
        if (known.isTerminal() && known != report.status()) {
            return false;
        }
        return report.status().rank() >= known.rank();
    }

    private static void apply(JobRow row, FactoryImage report) {
        row.recordFactoryProgress(report.status().name(), report.percent(), report.activity(), report.error());
    }
}
