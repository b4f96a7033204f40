package io.buildq.error;

/** The base of every exception buildq's API throws, so that a caller can catch them all in one place. */
public class BuildQueueException extends RuntimeException {
    public BuildQueueException(String message) {
        super(message);
    }

    public BuildQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
