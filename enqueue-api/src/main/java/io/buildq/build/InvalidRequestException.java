package io.buildq.build;

import io.buildq.error.BuildQueueException;

/**
 * A request field is invalid. Thrown before anything is written; {@link #field()} names the field as
 * it is spelled in {@link BuildRequest}, so that a form can show the message beside it.
 */
public abstract class InvalidRequestException extends BuildQueueException {
    private final String field;

    protected InvalidRequestException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
