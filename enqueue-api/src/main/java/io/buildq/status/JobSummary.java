package io.buildq.status;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of the status page: a target build or a push, with its image.
 *
 * @param providerName the account pushed to; empty for builds
 * @param estimate     buildq's estimate of a running build's progress when factory reports none; else null
 */
public record JobSummary(UUID jobId, UUID buildId, UUID imageId, String image, JobKind kind, String target,
                         String providerName, JobStatus status, int percent, String activity, String error, int attempt,
                         String factoryImageId, Instant createdAt, Instant updatedAt, Instant startedAt,
                         Instant finishedAt, ProgressEstimate estimate) {

    /**
     * Whether a retry of it can be asked for: FAILED, except a push that failed with its build, which
     * runs when its build is retried and completes.
     */
    public boolean retryable() {
        return status == JobStatus.FAILED && !kind.failedWithItsBuild(status, error);
    }
}
