package io.buildq.status;

import java.time.Instant;

/**
 * One change of a job row, oldest first in {@code BuildQueue.history}.
 *
 * @param source who made the change: {@code enqueue}, {@code worker}, {@code callback} (factory's
 *               status callback) or {@code poll} (the worker's GET of factory)
 * @param factoryImageId       factory's image of the row then: every image buildq ever started for a
 *                             row appears in its history, retried or adopted ones too
 * @param identifierOnProvider pushes: the cloud's id of the pushed image then
 */
public record HistoryEntry(Instant recordedAt, String source, JobStatus status, String factoryStatus, int percent,
                           String activity, String error, int attempt, String factoryImageId,
                           String identifierOnProvider) {
}
