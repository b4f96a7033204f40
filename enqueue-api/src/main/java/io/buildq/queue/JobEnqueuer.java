package io.buildq.queue;

import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobKind;
import io.buildq.job.JobRow;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobBuilder;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;

/**
 * Creates the JobRunr job of a job row, with the row's id as the job's id: JobRunr skips an id it
 * already holds, so enqueueing a row twice is harmless.
 */
public final class JobEnqueuer {

    private final StorageProvider storageProvider;
    private final JobRequestScheduler scheduler;
    private final EnqueueListener listener;

    public JobEnqueuer(StorageProvider storageProvider) {
        this(storageProvider, EnqueueListener.NONE);
    }

    public JobEnqueuer(StorageProvider storageProvider, EnqueueListener listener) {
        this.storageProvider = storageProvider;
        this.scheduler = new JobRequestScheduler(storageProvider);
        this.listener = listener;
    }

    public void enqueue(BuildRequestRow request, JobRow job) {
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
        scheduler.create(builder);
        listener.enqueued(job.jobRunrJobId());
    }

    /**
     * Runs a row's job again: its JobRunr job is put back to ENQUEUED, or created if JobRunr no
     * longer holds it. For a push that failed with its build and is now due.
     */
    public void enqueueAgain(BuildRequestRow request, JobRow job) {
        try {
            Job existing = storageProvider.getJobById(job.jobRunrJobId());
            if (existing.getState() != StateName.ENQUEUED && existing.getState() != StateName.PROCESSING) {
                existing.enqueue();
                storageProvider.save(existing);
                listener.enqueued(job.jobRunrJobId());
            }
        } catch (JobNotFoundException e) {
            enqueue(request, job);
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
