package io.buildq.build;

/** The idempotency key is blank, too long or holds control characters. */
public class InvalidIdempotencyKeyException extends InvalidRequestException {
    public InvalidIdempotencyKeyException(String reason) {
        super("idempotencyKey", reason);
    }
}
