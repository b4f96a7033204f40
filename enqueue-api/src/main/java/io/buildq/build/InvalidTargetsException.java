package io.buildq.build;

/** The target list is empty or too long, or names a target twice or one that buildq does not know. */
public class InvalidTargetsException extends InvalidRequestException {
    public InvalidTargetsException(String reason) {
        super("targets", reason);
    }
}
