package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code if parameters and ('callbacks' in parameters): parameters['callbacks']} in Builder.py: a
 * form-encoded {@code parameters} arrives as a string, so this is a substring test and the lookup
 * then raises TypeError, after add_image (a 500 and an orphan record).
 */
final class CallbacksLookup {

    private CallbacksLookup() {
    }

    /** The TypeError's text that the lookup in {@code parameters} raises, or null when nothing is raised. */
    static String error(JsonNode parameters) {
        if (parameters == null) {
            return null;
        }
        if (parameters.isTextual() && parameters.asText().contains("callbacks")) {
            return "string indices must be integers, not str";
        }
        if (parameters.isArray()) {
            for (JsonNode item : parameters) {
                if (item.isTextual() && item.asText().equals("callbacks")) {
                    return "list indices must be integers, not str";
                }
            }
        }
        return null;
    }
}
