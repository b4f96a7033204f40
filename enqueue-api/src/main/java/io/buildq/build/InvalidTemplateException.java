package io.buildq.build;

/** The template is missing, too large, not well-formed XML, or its root element is not {@code <template>}. */
public class InvalidTemplateException extends InvalidRequestException {
    public InvalidTemplateException(String reason) {
        super("template", reason);
    }
}
