package io.buildq.worker;

import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.JobHistoryEntry;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.registration.IwhdRegistrar;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import io.buildq.telemetry.WorkerMeters;
import io.buildq.telemetry.WorkerMeters.Repair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps job rows and JobRunr's jobs in agreement, both ways, for what no job filter sees:
 * <ul>
 *   <li>a QUEUED row without a JobRunr job gets its job (a worker that released a build's pushes
 *       and died before enqueueing them; enqueues through {@code BuildQueue} are atomic);</li>
 *   <li>a FAILED row whose job was requeued in JobRunr's dashboard becomes QUEUED, attempt n+1,
 *       before any worker picks the job up;</li>
 *   <li>a QUEUED or RUNNING row whose job was deleted in the dashboard becomes CANCELLED;</li>
 *   <li>a QUEUED or RUNNING row whose job JobRunr ended FAILED (its worker died or stopped) is run
 *       again, up to {@link #MAX_RESUMES} times in one attempt, to reattach to factory's image; then
 *       it fails. This is buildq's one resume mechanism: JobRunr's own RetryFilter is not in play
 *       (JobRunr keeps one ElectStateFilter, and the factory slot filter is it), so no job is ever
 *       retried behind the row's back;</li>
 *   <li>a push whose build failed, or whose worker died before failing it, fails with its build;</li>
 *   <li>what iwhd must be told when a request's last job of a kind ended (its image's
 *       {@code latest_unpushed} or {@code latest_build}), if the worker that ended it died first or
 *       found iwhd down.</li>
 * </ul>
 * Each repair re-checks the row inside its transaction, so several workers may run this at once.
 */
public final class JobReconciler implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(JobReconciler.class);
    private static final int BATCH = 1000;
    /** JobRunr states of a job that is waiting or running, by their names in its table. */
    private static final Set<String> LIVE_STATES = Set.of(StateName.AWAITING.name(), StateName.SCHEDULED.name(),
            StateName.ENQUEUED.name(), StateName.PROCESSING.name());
    /**
     * How often a job whose row is still QUEUED or RUNNING is run again after JobRunr ended it
     * (orphaned after its worker died, or interrupted by a stopping worker) before the row fails.
     */
    static final int MAX_RESUMES = 10;

    private final JobStore store;
    private final JobEnqueuer enqueuer;
    private final Duration grace;
    private final IwhdRegistrar registrar;
    private final WorkerMeters meters;

    /**
     * @param grace     how long a QUEUED row may wait for its job before it counts as missing one, and
     *                  what iwhd must still be told before it counts as left behind by a dead worker
     * @param registrar tells iwhd what a worker that died after ending a request's last job did not
     */
    public JobReconciler(JobStore store, JobEnqueuer enqueuer, Duration grace, IwhdRegistrar registrar,
                         WorkerMeters meters) {
        this.meters = meters;
        this.store = store;
        this.enqueuer = enqueuer;
        this.grace = grace;
        this.registrar = registrar;
    }

    /**
     * One pass: every QUEUED and RUNNING row, page by page (its cost grows with the work in flight,
     * not with the table), then the most recently FAILED rows, for Requeues in JobRunr's dashboard.
     * A row that cannot be reconciled is logged and skipped; the pass goes on.
     */
    @Override
    public void run() {
        try {
            UUID after = null;
            while (true) {
                List<JobRow> page = store.inFlightAfter(after, BATCH);
                Map<UUID, String> states = store.jobRunrStates(page.stream().map(JobRow::jobRunrJobId).toList());
                page.forEach(row -> reconcileOne(row, states.get(row.jobRunrJobId())));
                if (page.size() < BATCH) {
                    break;
                }
                after = page.get(page.size() - 1).id();
            }
            store.recentlyFailed(BATCH).forEach(row -> reconcileOne(row, null));
            for (JobStore.Pending pending : store.pendingIwhd(grace, BATCH)) {
                BuildRequestRow request = store.findRequest(pending.requestId()).orElseThrow();
                List<JobRow> jobs = store.jobsOfRequest(request.id());
                boolean told = store.runPending(request, pending.kind(), pending.kind() == JobKind.BUILD
                        ? ended -> registrar.finishBuild(ended, jobs) : ended -> registrar.finishPushes(ended, jobs));
                if (told) {
                    meters.repaired(Repair.REGISTERED_IN_IWHD);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Reconciling jobs with JobRunr failed; will try again: {}", e.toString());
        }
    }

    /** @param jobRunrState the state of the row's JobRunr job read with its page, or null: read it whole */
    private void reconcileOne(JobRow row, String jobRunrState) {
        try {
            reconcile(row, jobRunrState);
        } catch (RuntimeException e) {
            log.warn("Could not reconcile job {} ({} for {}); the next pass tries again: {}", row.id(), row.kind(),
                    row.target(), e.toString());
        }
    }

    private void reconcile(JobRow row, String jobRunrState) {
        if (row.kind() == JobKind.PUSH && row.status() == JobStatus.QUEUED && !buildIsComplete(row)) {
            return;
        }
        if (row.failedWithItsBuild()) {
            releaseIfBuildCompleted(row);
            return;
        }
        if ((row.status() == JobStatus.QUEUED || row.status() == JobStatus.RUNNING) && jobRunrState != null
                && LIVE_STATES.contains(jobRunrState)) {
            // The usual case, nothing to repair: a queued or running row whose job is waiting or
            // running. Below, such a row only ever meets the cases of an ended, deleted or failed
            // job, so its job is not read and parsed whole (with 1,000 builds in flight, a fifth
            // of the worker's CPU went to that every 5 s).
            return;
        }
        Job job = enqueuer.jobOf(row);
        if (job == null) {
            if (row.status() == JobStatus.QUEUED && row.updatedAt().isBefore(store.now().minus(grace))) {
                BuildRequestRow request = store.findRequest(row.requestId()).orElseThrow();
                enqueuer.enqueue(request, row);
                meters.repaired(Repair.ENQUEUED_LOST_JOB);
                log.warn("Job {} ({} for {}) was QUEUED without a JobRunr job; enqueued it", row.id(),
                        request.imageName(), row.target());
            }
            return;
        }
        StateName state = job.getState();
        if (row.status() == JobStatus.QUEUED && isEnded(state) && job.getJobState().getCreatedAt().isBefore(row.updatedAt())) {
            // The job ended before the row was queued again (a retry whose enqueue was cut short): run it.
            enqueuer.enqueueAgain(store.findRequest(row.requestId()).orElseThrow(), row);
            meters.repaired(Repair.RAN_ENDED_JOB_AGAIN);
            return;
        }
        switch (row.status()) {
            case QUEUED, RUNNING -> {
                if (state == StateName.DELETED) {
                    JobRow cancelled = store.change(row.id(), ChangeSource.RECONCILER, current -> {
                        if (current.status().isCancellable()) {
                            current.cancel(store.now(), "Deleted in JobRunr's dashboard");
                        }
                    });
                    if (cancelled.status() == JobStatus.CANCELLED) {
                        meters.repaired(Repair.CANCELLED_DELETED_JOB);
                    }
                    cancelWaitingPushes(row);
                } else if (state == StateName.FAILED) {
                    // The row was read before the job: a worker that failed (or completed) the row
                    // and then let JobRunr record the job's end looks, on that old read, like one that
                    // died mid-run. Read the row again, after the job, and resume only if it still runs.
                    JobRow now = store.findJob(row.id()).orElse(null);
                    if (now == null || now.status().isTerminal()) {
                        return;
                    }
                    String reason = job.getJobState() instanceof FailedState failed
                            ? failed.getMessage() + (failed.getExceptionMessage() == null ? ""
                            : ": " + failed.getExceptionMessage()) : "JobRunr failed the job";
                    long failures = interruptionsOfThisAttempt(job, row);
                    if (failures < MAX_RESUMES) {
                        // The job ended while its row was not: its worker died, stopped, or hit an
                        // unexpected error. Factory goes on building; run the job again to reattach.
                        enqueuer.enqueueAgain(store.findRequest(row.requestId()).orElseThrow(), row);
                        meters.repaired(Repair.RESUMED_INTERRUPTED_JOB);
                        log.warn("Job {} ({} for {}) was interrupted ({}); enqueued it again (resume {} of {})",
                                row.id(), row.kind(), row.target(), reason, failures, MAX_RESUMES);
                    } else {
                        JobRow failed = store.change(row.id(), ChangeSource.RECONCILER, current -> {
                            if (current.status().isCancellable()) {
                                current.markFailed(store.now(), "Interrupted " + failures + " times; last: " + reason);
                            }
                        });
                        if (failed.status() == JobStatus.FAILED) {
                            meters.repaired(Repair.FAILED_INTERRUPTED_JOB);
                        }
                    }
                }
            }
            case FAILED -> {
                if (wasRequeuedAfter(job, row.finishedAt())) {
                    JobRow requeued = store.change(row.id(), ChangeSource.RECONCILER, current -> {
                        // Judged again on the row as it is now, under its lock: a row that failed a
                        // moment ago, after the job was read, was not requeued.
                        if (current.status() == JobStatus.FAILED && !current.failedWithItsBuild()
                                && wasRequeuedAfter(job, current.finishedAt())) {
                            current.requeueForRetry("Requeued in JobRunr's dashboard");
                        }
                    });
                    if (requeued.status() == JobStatus.QUEUED) {
                        meters.repaired(Repair.TOOK_DASHBOARD_REQUEUE);
                    }
                }
            }
            default -> {
            }
        }
    }

    /**
     * How often JobRunr ended the job during the row's current attempt: its FAILED states since the
     * attempt began. Failures of earlier attempts (real ones, or interruptions) do not count.
     */
    private long interruptionsOfThisAttempt(Job job, JobRow row) {
        Instant attemptBegan = store.history(row.id()).stream().filter(entry -> entry.attempt() == row.attempt())
                .map(JobHistoryEntry::recordedAt).findFirst().orElse(Instant.EPOCH);
        return job.getJobStates().stream().filter(FailedState.class::isInstance)
                .filter(state -> state.getCreatedAt().isAfter(attemptBegan)).count();
    }

    private static boolean isEnded(StateName state) {
        return state == StateName.FAILED || state == StateName.SUCCEEDED || state == StateName.DELETED;
    }

    /** A push that failed with its build, whose build has since completed: the worker died before releasing it. */
    private void releaseIfBuildCompleted(JobRow push) {
        if (store.findJob(push.parentJobId()).orElseThrow().status() != JobStatus.COMPLETE) {
            return;
        }
        JobRow queued = store.change(push.id(), ChangeSource.RECONCILER, current -> {
            if (current.failedWithItsBuild()) {
                current.requeueForRetry("Its build was retried and completed");
            }
        });
        if (queued.status() == JobStatus.QUEUED) {
            enqueuer.enqueueAgain(store.findRequest(queued.requestId()).orElseThrow(), queued);
            meters.repaired(Repair.RELEASED_PUSH);
        }
    }

    /** JobRunr runs (or is about to run) the job again although its row failed: an operator's Requeue. */
    private static boolean wasRequeuedAfter(Job job, Instant failedAt) {
        StateName state = job.getState();
        if (state == StateName.ENQUEUED || state == StateName.SCHEDULED) {
            return true;
        }
        // A worker marks the row FAILED a moment before JobRunr records the job FAILED: a job still
        // PROCESSING counts as requeued only if it started after the row failed.
        return state == StateName.PROCESSING && failedAt != null && job.getJobState().getCreatedAt().isAfter(failedAt);
    }

    private void cancelWaitingPushes(JobRow build) {
        if (build.kind() != JobKind.BUILD) {
            return;
        }
        for (JobRow push : store.pushesOf(build.id())) {
            store.change(push.id(), ChangeSource.RECONCILER, current -> {
                if (current.status() == JobStatus.QUEUED) {
                    current.cancel(store.now(), "Its build was cancelled");
                }
            });
        }
    }

    /**
     * A push runs once its build is COMPLETE. One whose build ended otherwise fails (or is cancelled)
     * with it here, in case the worker that ended the build died before it could.
     */
    private boolean buildIsComplete(JobRow push) {
        JobRow build = store.findJob(push.parentJobId()).orElseThrow();
        if (build.status() == JobStatus.FAILED) {
            store.change(push.id(), ChangeSource.RECONCILER, r -> {
                if (r.status() == JobStatus.QUEUED) {
                    r.failWithItsBuild(store.now());
                }
            });
            return false;
        }
        if (build.status() == JobStatus.CANCELLED) {
            store.change(push.id(), ChangeSource.RECONCILER, r -> {
                if (r.status() == JobStatus.QUEUED) {
                    r.cancel(store.now(), "Its build was cancelled");
                }
            });
            return false;
        }
        return build.status() == JobStatus.COMPLETE;
    }
}
