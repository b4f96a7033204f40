package io.buildq.error;

/**
 * A service buildq calls (Image Factory, iwhd) refused a call or could not be reached. The one place
 * that decides whether trying again may help: no answer or a 5xx is transient, any other answer is not.
 */
public abstract class RemoteServiceException extends BuildQueueException {
    private final int status;

    protected RemoteServiceException(String message, int status) {
        super(message);
        this.status = status;
    }

    protected RemoteServiceException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status of the answer, or 0 when none came (refused, timed out, cut off). */
    public int status() {
        return status;
    }

    /** Whether the same call may succeed later: the service was unreachable or failed on its side. */
    public boolean isTransient() {
        return status == 0 || status >= 500;
    }
}
