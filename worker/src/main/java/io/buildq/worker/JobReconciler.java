package io.buildq.worker;

import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobKind;
import io.buildq.job.JobRow;
import io.buildq.job.JobStatus;
import io.buildq.job.JobStore;
import io.buildq.queue.JobEnqueuer;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enqueues QUEUED rows that have no JobRunr job: the rows and the job are written in two steps
 * (JobRunr's OSS edition cannot join our transaction), so a crash or a database error between them
 * would otherwise leave a build waiting forever. Safe to run in every worker at once: the job's id is
 * the row's, and JobRunr skips an id it already holds.
 */
public final class JobReconciler implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobReconciler.class);
    private static final int BATCH = 500;

    private final JobStore store;
    private final JobEnqueuer enqueuer;
    private final Duration grace;

    /** @param grace how long a row may wait for its job before it counts as missing one */
    public JobReconciler(JobStore store, JobEnqueuer enqueuer, Duration grace) {
        this.store = store;
        this.enqueuer = enqueuer;
        this.grace = grace;
    }

    @Override
    public void run() {
        try {
            List<JobRow> queued = store.queuedSince(store.now().minus(grace), BATCH);
            for (JobRow row : queued) {
                if (row.kind() == JobKind.PUSH && !buildIsComplete(row)) {
                    continue;
                }
                if (!enqueuer.hasJob(row)) {
                    BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
                    enqueuer.enqueue(request, row);
                    log.warn("Job {} ({} for {}) was QUEUED without a JobRunr job; enqueued it", row.id(),
                            request.imageName(), row.target());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Reconciling queued jobs failed; will try again: {}", e.toString());
        }
    }

    /**
     * A push runs once its build is COMPLETE. One whose build ended otherwise fails with it here, in
     * case the worker that failed the build died before it could.
     */
    private boolean buildIsComplete(JobRow push) {
        JobRow build = store.findJob(push.parentJobId()).orElseThrow();
        if (build.status() == JobStatus.FAILED || build.status() == JobStatus.CANCELLED) {
            store.change(push.id(), "reconciler", r -> {
                if (r.status() == JobStatus.QUEUED) {
                    r.failWithItsBuild(store.now());
                }
            });
            return false;
        }
        return build.status() == JobStatus.COMPLETE;
    }
}
