package io.buildq.status;

import java.time.Instant;
import java.util.UUID;

/**
 * One target of a build: the operational state the worker writes as factory reports progress.
 *
 * @param jobId          the job row's id, also its JobRunr job's id
 * @param percent        0 to 100; real Image Factory leaves it at 0 until the build completes
 * @param activity       factory's one-line description of the current step, or the worker's
 * @param error          factory's error text when the build failed, else null
 * @param attempt        1 for the first build, n+1 after each retry
 * @param factoryImageId factory's target image id once factory accepted the build
 * @param estimate       buildq's estimate of its progress while it runs and factory reports none; else null
 */
public record TargetStatus(UUID jobId, String target, JobStatus status, int percent, String activity, String error,
                           int attempt, String factoryImageId, String factoryStatus, Instant createdAt,
                           Instant updatedAt, Instant startedAt, Instant finishedAt,
                           ProgressEstimate estimate) {
}
