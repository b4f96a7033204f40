package io.buildq.build;

/** The pool family is blank, too long, or holds control characters or double quotes. */
public class InvalidPoolFamilyException extends InvalidRequestException {
    public InvalidPoolFamilyException(String reason) {
        super("poolFamily", reason);
    }
}
