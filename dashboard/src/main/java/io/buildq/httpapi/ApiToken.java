package io.buildq.httpapi;

import java.time.Instant;

/**
 * A bearer token of the HTTP API as {@code buildq token list} shows it: never the token itself, which
 * is shown once, when it is created.
 *
 * @param lastUsedAt when a request last carried it (to the minute), or null if none has
 * @param revokedAt  when it was revoked, or null while it is valid
 */
public record ApiToken(String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {

    public boolean isRevoked() {
        return revokedAt != null;
    }
}
