package io.buildq.internal.iwhd;

import io.buildq.error.BuildQueueException;

/**
 * A value cannot be put in an iwhd query: the language has no escapes, so a {@code "} would end
 * the string and change what the query means. The value is refused, never concatenated.
 */
public class UnsafeQueryValueException extends BuildQueueException {
    public UnsafeQueryValueException(String attribute) {
        super("The value for attribute '" + attribute + "' contains a double quote, which iwhd's query language cannot express");
    }
}
