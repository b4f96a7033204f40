package io.buildq.build;

import java.util.UUID;

/**
 * The idempotency key was already used for a different request. Retrying a call must send the
 * same request; a new request needs a new key.
 */
public class IdempotencyKeyConflictException extends InvalidRequestException {
    private final UUID existingBuildId;

    public IdempotencyKeyConflictException(String key, UUID existingBuildId) {
        super("idempotencyKey", "the key '" + key + "' was already used for build " + existingBuildId
                + " with a different request");
        this.existingBuildId = existingBuildId;
    }

    public UUID existingBuildId() {
        return existingBuildId;
    }
}
