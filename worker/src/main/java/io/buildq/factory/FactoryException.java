package io.buildq.factory;

import io.buildq.api.RemoteServiceException;

/**
 * Image Factory refused a call or could not be reached. Factory's error bodies are plain text, kept
 * in the message.
 */
public class FactoryException extends RemoteServiceException {
    public FactoryException(String message, int status) {
        super(message, status);
    }

    public FactoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
