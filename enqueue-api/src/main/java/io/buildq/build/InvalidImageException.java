package io.buildq.build;

/** The image name is missing, too long or holds control characters. */
public class InvalidImageException extends InvalidRequestException {
    public InvalidImageException(String reason) {
        super("image", reason);
    }
}
