package io.buildq.api;

import io.buildq.error.BuildQueueException;
import io.buildq.status.JobStatus;
import java.util.UUID;

/** Only a QUEUED or RUNNING job can be cancelled. */
public class JobNotCancellableException extends BuildQueueException {
    private final UUID jobId;
    private final JobStatus status;

    public JobNotCancellableException(UUID jobId, JobStatus status) {
        super("Job " + jobId + " is " + status + "; only QUEUED or RUNNING jobs can be cancelled");
        this.jobId = jobId;
        this.status = status;
    }

    public UUID jobId() {
        return jobId;
    }

    public JobStatus status() {
        return status;
    }
}
