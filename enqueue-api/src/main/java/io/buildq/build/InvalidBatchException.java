package io.buildq.build;

/** A list of builds to enqueue at once is empty, too long, or holds no request where one should be. */
public class InvalidBatchException extends InvalidRequestException {
    public InvalidBatchException(String reason) {
        super("requests", reason);
    }
}
