package io.buildq.api;

import io.buildq.error.BuildQueueException;
import io.buildq.status.JobStatus;
import java.util.UUID;

/** Only a FAILED job can be retried (and a push only once its build is COMPLETE). */
public class JobNotRetryableException extends BuildQueueException {
    private final UUID jobId;
    private final JobStatus status;

    public JobNotRetryableException(UUID jobId, JobStatus status, String reason) {
        super("Job " + jobId + " is " + status + " and cannot be retried: " + reason);
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
