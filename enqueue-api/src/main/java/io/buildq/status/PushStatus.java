package io.buildq.status;

import java.time.Instant;
import java.util.UUID;

/**
 * One push of a build's target image to one provider account.
 *
 * @param buildJobId           the target build it pushes (and waits for)
 * @param error                factory's error text, or {@code "build failed"} when its build failed
 * @param identifierOnProvider the cloud's id for the pushed image (an AMI id...), once complete
 */
public record PushStatus(UUID jobId, UUID buildJobId, String target, String providerName, String accountIdentifier,
                         JobStatus status, int percent, String activity, String error, int attempt,
                         String factoryImageId, String identifierOnProvider, Instant createdAt, Instant updatedAt,
                         Instant startedAt, Instant finishedAt) {
}
