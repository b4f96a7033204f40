package io.buildq.internal.job;

import io.buildq.error.BuildQueueException;
import io.buildq.status.JobStatus;
import java.util.UUID;

/** A job row was asked to move to a status its current one does not allow (see {@link JobStatus}). */
public class IllegalJobTransitionException extends BuildQueueException {
    private final UUID jobId;
    private final JobStatus from;
    private final JobStatus to;

    public IllegalJobTransitionException(UUID jobId, JobStatus from, JobStatus to) {
        super("Job " + jobId + " is " + from + " and cannot become " + to);
        this.jobId = jobId;
        this.from = from;
        this.to = to;
    }

    public UUID jobId() {
        return jobId;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }
}
