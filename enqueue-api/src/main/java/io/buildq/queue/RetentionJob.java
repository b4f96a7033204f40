package io.buildq.queue;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The recurring JobRunr job that deletes finished builds older than {@code keepDays} (see the
 * worker's {@code RowRetention}). One per installation, by its fixed id; the last worker started
 * sets its age.
 */
public record RetentionJob(int keepDays) implements JobRequest {

    /** The recurring job's id in JobRunr (Recurring Jobs in its dashboard). */
    public static final String RECURRING_ID = "buildq-retention";

    public RetentionJob {
        if (keepDays < 1) {
            throw new IllegalArgumentException("keepDays must be at least 1, was " + keepDays);
        }
    }

    @Override
    public Class<RetentionJobHandler> getJobRequestHandler() {
        return RetentionJobHandler.class;
    }
}
