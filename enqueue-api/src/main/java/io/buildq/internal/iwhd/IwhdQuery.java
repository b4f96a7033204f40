package io.buildq.internal.iwhd;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A conjunction of equality tests in iwhd's query language, built safely:
 * {@code IwhdQuery.where("build", id).and("target", "ec2")} gives
 * {@code ($build == "…") && ($target == "ec2")}. Each test is parenthesised because iwhd gives
 * {@code &&} and {@code ||} equal precedence.
 */
public final class IwhdQuery {

    private static final Pattern ATTRIBUTE = Pattern.compile("[a-z_]+");

    private final List<String> terms;

    private IwhdQuery(List<String> terms) {
        this.terms = terms;
    }

    public static IwhdQuery where(String attribute, String value) {
        return new IwhdQuery(List.of(term(attribute, value)));
    }

    public IwhdQuery and(String attribute, String value) {
        List<String> more = new ArrayList<>(terms);
        more.add(term(attribute, value));
        return new IwhdQuery(List.copyOf(more));
    }

    public String expression() {
        return String.join(" && ", terms);
    }

    @Override
    public String toString() {
        return expression();
    }

    private static String term(String attribute, String value) {
        if (!ATTRIBUTE.matcher(attribute).matches()) {
            // iwhd reads a name with digits or capitals as a syntax error and then returns everything.
            throw new IllegalArgumentException("iwhd can only query attributes named [a-z_]+, not '" + attribute + "'");
        }
        if (value.indexOf('"') >= 0) {
            throw new UnsafeQueryValueException(attribute);
        }
        return "($" + attribute + " == \"" + value + "\")";
    }
}
