package io.buildq.status;

import java.time.Instant;
import java.util.UUID;

/**
 * One change of a job, as the change feed ({@code BuildQueue.changes}) gives it: a history entry with
 * what it belongs to, so that a follower needs no second read.
 *
 * @param id           the change's position in the feed: increasing, assigned when the change was
 *                     written (a change may become visible after one with a higher id, see
 *                     {@code BuildQueue.changes})
 * @param providerName the account pushed to; empty for a build
 * @param source       who made the change: enqueue, api, worker, callback, poll, create, reconciler, sweeper
 */
public record JobChange(long id, UUID jobId, UUID buildId, UUID imageId, String image, JobKind kind, String target,
                        String providerName, Instant recordedAt, String source, JobStatus status, int percent,
                        String activity, String error, int attempt) {
}
