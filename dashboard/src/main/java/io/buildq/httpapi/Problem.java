package io.buildq.httpapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.buildq.api.JobNotCancellableException;
import io.buildq.api.JobNotRetryableException;
import io.buildq.api.QueueUnavailableException;
import io.buildq.build.IdempotencyKeyConflictException;
import io.buildq.build.InvalidRequestException;
import io.buildq.error.BuildNotFoundException;
import io.buildq.error.BuildQueueException;
import io.buildq.error.RemoteServiceException;
import io.buildq.push.BuildNotCompleteException;
import io.buildq.secret.NoSecretKeyException;
import java.util.Locale;

/**
 * An error as RFC 9457 {@code application/problem+json}: a stable {@code type} per kind of error (one
 * per exception of the Java API, so that a client can switch on it), the HTTP status, a one-line
 * {@code detail}, and the request field it is about, spelled as in the request body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:buildq:problem:";

    static Problem of(String kind, String title, int status, String detail, String field) {
        return new Problem(TYPE_PREFIX + kind, title, status, detail, field);
    }

    /**
     * The problem a Java API exception is: 422 for a request that cannot be done as given, 404 for an
     * unknown id, 409 for a state that forbids it, 503 when the queue cannot be reached.
     */
    static Problem of(BuildQueueException e) {
        String kind = kebab(e.getClass().getSimpleName().replaceFirst("Exception$", ""));
        if (e instanceof IdempotencyKeyConflictException conflict) {
            return of(kind, "The idempotency key was used for another request", 409, e.getMessage(), conflict.field());
        }
        if (e instanceof BuildNotCompleteException notComplete) {
            return of(kind, "The build's state does not allow it", 409, e.getMessage(), notComplete.field());
        }
        if (e instanceof InvalidRequestException invalid) {
            return of(kind, "The request is invalid", 422, e.getMessage(), invalid.field());
        }
        if (e instanceof BuildNotFoundException) {
            return of(kind, "No such build or job", 404, e.getMessage(), null);
        }
        if (e instanceof JobNotRetryableException || e instanceof JobNotCancellableException) {
            return of(kind, "The job's state does not allow it", 409, e.getMessage(), null);
        }
        if (e instanceof QueueUnavailableException || e instanceof NoSecretKeyException
                || e instanceof RemoteServiceException) {
            return of(kind, "The queue cannot do it now", 503, e.getMessage(), null);
        }
        return of("queue-error", "The queue refused the request", 422, e.getMessage(), null);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
