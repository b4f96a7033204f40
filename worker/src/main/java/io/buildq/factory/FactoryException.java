package io.buildq.factory;

import io.buildq.error.RemoteServiceException;

/**
 * Image Factory refused a call or could not be reached. Factory's error bodies are plain text, kept
 * in the message.
 */
public class FactoryException extends RemoteServiceException {

    private final boolean authentication;

    public FactoryException(String message, int status) {
        this(message, status, false);
    }

    public FactoryException(String message, Throwable cause) {
        super(message, cause);
        this.authentication = false;
    }

    private FactoryException(String message, int status, boolean authentication) {
        super(message, status);
        this.authentication = authentication;
    }

    /**
     * Factory refused the request's OAuth credentials. Real factory answers most of these with a 500
     * (real-install-notes.md Q1: bottle 0.10 wraps the 401 it raises), which would otherwise read as
     * a server fault worth retrying for half an hour; no retry fixes a wrong key, secret or clock.
     */
    public static FactoryException authentication(String message, int status) {
        return new FactoryException(message, status, true);
    }

    /** Whether factory refused the credentials (any status), as opposed to failing on its side. */
    public boolean isAuthentication() {
        return authentication;
    }

    @Override
    public boolean isTransient() {
        return !authentication && super.isTransient();
    }
}
