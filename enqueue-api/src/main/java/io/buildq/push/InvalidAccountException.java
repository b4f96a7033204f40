package io.buildq.push;

import io.buildq.build.InvalidRequestException;

/** A provider account is incomplete or its credentials are not the XML Conductor sends. */
public class InvalidAccountException extends InvalidRequestException {
    public InvalidAccountException(String reason) {
        super("accounts", reason);
    }
}
