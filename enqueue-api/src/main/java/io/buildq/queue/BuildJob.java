package io.buildq.queue;

import java.util.Objects;
import java.util.UUID;
import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * The JobRunr job that builds one target: it carries only the job row's id, so that JobRunr's job
 * JSON (shown on its dashboard) never holds more than the row does.
 */
public record BuildJob(UUID jobId) implements JobRequest {

    public BuildJob {
        Objects.requireNonNull(jobId, "jobId");
    }

    @Override
    public Class<BuildJobHandler> getJobRequestHandler() {
        return BuildJobHandler.class;
    }
}
