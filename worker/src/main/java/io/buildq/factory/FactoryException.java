package io.buildq.factory;

import io.buildq.api.BuildQueueException;

/**
 * Image Factory refused a call or could not be reached. Factory's error bodies are plain text, kept
 * here as the message; {@link #status()} is the HTTP status, or 0 when no answer came.
 */
public class FactoryException extends BuildQueueException {
    private final int status;

    public FactoryException(String message, int status) {
        super(message);
        this.status = status;
    }

    public FactoryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }

    /** Unreachable, timed out or a 5xx: worth trying again, reattaching to the same image. */
    public boolean isTransient() {
        return status == 0 || status >= 500;
    }
}
