package io.buildq.iwhd;

import io.buildq.api.BuildQueueException;

/**
 * iwhd answered with an unexpected status, or could not be reached ({@link #status()} is 0 then).
 * iwhd's error bodies are empty, so the method, path and status are the whole story.
 */
public class IwhdException extends BuildQueueException {
    private final int status;

    public IwhdException(String message, int status) {
        super(message);
        this.status = status;
    }

    public IwhdException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }

    /** Whether trying again later may help: the service was unreachable or failed on its side. */
    public boolean isTransient() {
        return status == 0 || status >= 500;
    }
}
