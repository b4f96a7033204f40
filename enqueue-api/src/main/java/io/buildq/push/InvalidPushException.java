package io.buildq.push;

import io.buildq.build.InvalidRequestException;

/** A push request field other than the accounts is missing or invalid. */
public class InvalidPushException extends InvalidRequestException {
    public InvalidPushException(String field, String reason) {
        super(field, reason);
    }
}
