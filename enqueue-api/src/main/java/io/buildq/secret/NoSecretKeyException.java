package io.buildq.secret;

import io.buildq.error.BuildQueueException;

/** A push needs a key to seal its credentials, and this queue was opened without one. */
public class NoSecretKeyException extends BuildQueueException {
    public NoSecretKeyException() {
        super("This BuildQueue has no secret key for provider credentials: open it with "
                + "BuildQueue.create(dataSource, CredentialCipher.fromEnvironment(System.getenv()))");
    }
}
