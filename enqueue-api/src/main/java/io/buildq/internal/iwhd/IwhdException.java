package io.buildq.internal.iwhd;

import io.buildq.error.RemoteServiceException;

/**
 * iwhd answered with an unexpected status, or could not be reached. iwhd's error bodies are empty,
 * so the method, path and status are the whole story.
 */
public class IwhdException extends RemoteServiceException {
    public IwhdException(String message, int status) {
        super(message, status);
    }

    public IwhdException(String message, Throwable cause) {
        super(message, cause);
    }
}
