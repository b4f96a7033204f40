package io.buildq.slots;

import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.queue.BuildJobHandler;
import java.time.Duration;
import java.time.Instant;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ElectStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code limit} builds run against one Image Factory, over every worker that uses it (like
 * factory's own {@code max_concurrent_local_sessions}, 2 by default). JobRunr asks this filter when it
 * claims a job: a build that finds its factory full is not started; it waits QUEUED (SCHEDULED in
 * JobRunr's dashboard, with the reason) without holding a worker thread, until a build on that
 * factory ends and {@link #buildEnded} offers it to the workers again, or {@code recheck} passes.
 * The count and the claim happen under the factory's row lock (see
 * {@link JobStore#startWithinFactoryLimit}).
 *
 * <p>JobRunr cannot move a job it is claiming from PROCESSING to SCHEDULED, so a refused claim goes
 * through DELETED, which (unlike FAILED) uses up none of the job's automatic retries; the job's
 * history in the dashboard shows both with the reason.
 */
public final class FactorySlots implements ElectStateFilter {

    private static final Logger log = LoggerFactory.getLogger(FactorySlots.class);

    private final JobStore store;
    private final String factoryUrl;
    private final int limit;
    private final Duration recheck;
    private final JobEnqueuer enqueuer;

    /**
     * @param recheck how long a build that found no slot waits before JobRunr offers it again (plus
     *                up to one poll interval, when JobRunr's master moves it back to ENQUEUED)
     */
    public FactorySlots(JobStore store, JobEnqueuer enqueuer, String factoryUrl, int limit, Duration recheck) {
        if (limit < 1) {
            throw new IllegalArgumentException("a factory takes at least 1 build at once, not " + limit);
        }
        this.store = store;
        this.factoryUrl = factoryUrl;
        this.limit = limit;
        this.recheck = recheck;
        this.enqueuer = enqueuer;
        store.registerFactory(factoryUrl);
    }

    @Override
    public void onStateElection(Job job, JobState newState) {
        if (!(newState instanceof ProcessingState) || !isBuild(job)) {
            return;
        }
        boolean started;
        String reason;
        try {
            started = store.startWithinFactoryLimit(job.getId(), factoryUrl, limit, ChangeSource.WORKER);
            reason = "Waiting for a free Image Factory slot (" + limit + " builds at once on " + factoryUrl + ")";
        } catch (RuntimeException e) {
            // JobRunr logs a filter's exception and runs the job anyway: that would be a build no
            // slot counts. Not knowing is treated as no slot; the build asks again after recheck.
            log.warn("could not count the builds on {} (database unavailable?); build {} waits: {}", factoryUrl,
                    job.getId(), e.toString());
            started = false;
            reason = "Waiting: the free Image Factory slots could not be counted (" + e.getClass().getSimpleName() + ")";
        }
        if (!started) {
            log.debug("build {} waits for a free slot on {}", job.getId(), factoryUrl);
            job.delete(reason);
            job.scheduleAt(Instant.now().plus(recheck), reason);
        }
    }

    /** A build on this factory ended (or stopped following it): offers the oldest waiting build a slot. */
    public void buildEnded() {
        try {
            for (JobRow waiting : store.buildsWaitingFor(factoryUrl, 1)) {
                enqueuer.enqueueAgain(store.findRequest(waiting.requestId()).orElseThrow(), waiting);
            }
        } catch (RuntimeException e) {
            log.warn("could not offer a waiting build a slot on {} (it asks again by itself): {}", factoryUrl, e.toString());
        }
    }

    private static boolean isBuild(Job job) {
        return BuildJobHandler.class.getName().equals(job.getJobDetails().getClassName());
    }
}
