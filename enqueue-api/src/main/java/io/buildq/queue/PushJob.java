package io.buildq.queue;

import java.util.Objects;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The JobRunr job that pushes one target image to one provider account. It carries only the job
 * row's id: the credentials stay sealed in buildq's table, never in JobRunr's job JSON.
 */
public record PushJob(UUID jobId) implements JobRequest {

    public PushJob {
        Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public Class<PushJobHandler> getJobRequestHandler() {
        return PushJobHandler.class;
    }
}
