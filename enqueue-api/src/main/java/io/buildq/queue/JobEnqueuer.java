package io.buildq.queue;

import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobRow;
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

    public JobEnqueuer(StorageProvider storageProvider) {
        this.storageProvider = storageProvider;
        this.scheduler = new JobRequestScheduler(storageProvider);
    }

    public void enqueue(BuildRequestRow request, JobRow job) {
        scheduler.create(JobBuilder.aJob()
                .withId(job.jobRunrJobId())
                .withName("Build " + request.imageName() + " for " + job.target())
                .withLabels("build", job.target())
                .withJobRequest(new BuildJob(job.id())));
    }

    /** Whether JobRunr holds the row's job, in any state. */
    public boolean hasJob(JobRow job) {
        try {
            storageProvider.getJobById(job.jobRunrJobId());
            return true;
        } catch (JobNotFoundException e) {
            return false;
        }
    }
}
