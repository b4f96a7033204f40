package io.buildq.api;

import io.buildq.error.BuildQueueException;
/**
 * The queue's database could not be reached or refused the write. Nothing was committed; the call
 * can be repeated (with the same idempotency key, it returns the same build).
 */
public class QueueUnavailableException extends BuildQueueException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
