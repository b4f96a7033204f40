package io.buildq.internal.queue;

import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.JobRow;
import io.buildq.queue.BuildJob;
import io.buildq.queue.EnqueueListener;
import io.buildq.queue.PushJob;
import io.buildq.status.JobKind;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.ConcurrentJobModificationException;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;

/**
 * Creates the JobRunr job of a job row, with the row's id as the job's id: JobRunr skips an id it
 * already holds, so enqueueing a row twice is harmless.
 */
public final class JobEnqueuer {

    /** Reads and saves of a job another process saved meanwhile, before giving up. */
    private static final int SAVE_ATTEMPTS = 5;

    private final StorageProvider storageProvider;
    private final JobRequestScheduler scheduler;
    private final EnqueueListener listener;
    private final ConnectionSharingDataSource sharing;

    public JobEnqueuer(StorageProvider storageProvider) {
        this(storageProvider, EnqueueListener.NONE);
    }

    public JobEnqueuer(StorageProvider storageProvider, EnqueueListener listener) {
        this(storageProvider, null, listener);
    }

    /**
     * @param storageProvider JobRunr's storage, opened on {@code sharing}
     * @param sharing         lets {@link #enqueueIn} write jobs in the caller's transaction; null if never used
     */
    public JobEnqueuer(StorageProvider storageProvider, ConnectionSharingDataSource sharing, EnqueueListener listener) {
        this.storageProvider = storageProvider;
        this.scheduler = new JobRequestScheduler(storageProvider);
        this.listener = listener;
        this.sharing = sharing;
    }

    /**
     * Creates the rows' JobRunr jobs on {@code connection}, inside the transaction that writes the
     * rows, so that rows and jobs are committed together or not at all. Call {@link #announce} after
     * the commit.
     */
    public void enqueueIn(Connection connection, BuildRequestRow request, List<JobRow> jobs) {
        if (sharing == null) {
            throw new IllegalStateException("this enqueuer's storage is not opened on a ConnectionSharingDataSource");
        }
        sharing.share(connection, () -> jobs.forEach(job -> scheduler.create(jobOf(request, job))));
    }

    /**
     * Like {@link #enqueueIn(Connection, BuildRequestRow, List)} for several requests, in JobRunr's
     * own batched insert.
     */
    public void enqueueIn(Connection connection, List<BuildRequestRow> requests, Map<UUID, List<JobRow>> jobsOfRequest) {
        if (sharing == null) {
            throw new IllegalStateException("this enqueuer's storage is not opened on a ConnectionSharingDataSource");
        }
        sharing.share(connection, () -> scheduler.create(requests.stream()
                .flatMap(request -> jobsOfRequest.get(request.id()).stream().map(job -> jobOf(request, job)))));
    }

    /** Tells the listener of jobs {@link #enqueueIn} created, once their transaction is committed. */
    public void announce(List<JobRow> jobs) {
        jobs.forEach(job -> listener.enqueued(job.jobRunrJobId()));
    }

    public void enqueue(BuildRequestRow request, JobRow job) {
        scheduler.create(jobOf(request, job));
        listener.enqueued(job.jobRunrJobId());
    }

    private static JobBuilder jobOf(BuildRequestRow request, JobRow job) {
        JobBuilder builder = JobBuilder.aJob().withId(job.jobRunrJobId());
        if (job.kind() == JobKind.PUSH) {
            builder.withName("Push " + request.imageName() + " (" + job.target() + ") to " + job.providerName())
                    .withLabels("push", job.target())
                    .withJobRequest(new PushJob(job.id()));
        } else {
            builder.withName("Build " + request.imageName() + " for " + job.target())
                    .withLabels("build", job.target())
                    .withJobRequest(new BuildJob(job.id()));
        }
        return builder;
    }

    /**
     * Runs a row's job again: its JobRunr job is put back to ENQUEUED, or created if JobRunr no
     * longer holds it. For a push that failed with its build and is now due.
     */
    public void enqueueAgain(BuildRequestRow request, JobRow job) {
        for (int attempt = 1; ; attempt++) {
            try {
                Job existing = storageProvider.getJobById(job.jobRunrJobId());
                if (existing.getState() != StateName.ENQUEUED && existing.getState() != StateName.PROCESSING) {
                    existing.enqueue();
                    storageProvider.save(existing);
                    listener.enqueued(job.jobRunrJobId());
                }
                return;
            } catch (JobNotFoundException e) {
                enqueue(request, job);
                return;
            } catch (ConcurrentJobModificationException e) {
                // The job's worker saved it meanwhile (its FAILED state a moment after the row failed,
                // CI saw a retry meet it): read it again and decide on what it is now.
                if (attempt == SAVE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Deletes the row's JobRunr job (a running one is interrupted at its worker's next heartbeat). */
    public void delete(JobRow job, String reason) {
        try {
            scheduler.delete(job.jobRunrJobId(), reason);
        } catch (JobNotFoundException e) {
            // never enqueued (a push waiting for its build): nothing to delete
        }
    }

    /** The row's JobRunr job, or null if JobRunr does not hold it. */
    public Job jobOf(JobRow job) {
        try {
            return storageProvider.getJobById(job.jobRunrJobId());
        } catch (JobNotFoundException e) {
            return null;
        }
    }
}
