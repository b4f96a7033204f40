package io.buildq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.buildq.status.BuildStatus;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import java.io.PrintWriter;

/** How the commands print: aligned text for people, JSON for scripts. */
final class Printer {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Printer() {
    }

    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    /**
     * One target's line. While factory reports no percentage, the percent column shows buildq's
     * estimate, marked {@code ~}, and the line ends with what it is based on.
     */
    static String line(TargetStatus target) {
        String what = orEmpty(target.error() != null ? "error: " + target.error() : target.activity());
        if (target.estimate() != null) {
            return String.format("build %-28s %-9s ~%2d%%  %s  (%s)", printable(target.target()), target.status(),
                    target.estimate().percent(), what, target.estimate().basis(printable(target.target())));
        }
        return String.format("build %-28s %-9s %3d%%  %s", printable(target.target()), target.status(), target.percent(),
                what);
    }

    /** The percentage a bar shows: factory's, or buildq's estimate while factory reports none. */
    static int shownPercent(TargetStatus target) {
        return target.estimate() != null ? target.estimate().percent() : target.percent();
    }

    static String line(PushStatus push) {
        return String.format("push  %-28s %-9s %3d%%  %s", printable(push.target() + " -> " + push.providerName()),
                push.status(),
                push.percent(), orEmpty(push.error() != null ? "error: " + push.error() : push.activity()));
    }

    static void status(PrintWriter out, BuildStatus status) {
        out.println("build " + status.buildId() + "  image " + printable(status.image()) + " (" + status.imageId() + ")  created "
                + status.createdAt());
        status.targets().forEach(target -> out.println("  " + line(target) + "   [job " + target.jobId() + ", attempt "
                + target.attempt() + "]"));
        status.pushes().forEach(push -> out.println("  " + line(push) + "   [job " + push.jobId() + ", attempt "
                + push.attempt() + "]"));
        out.flush();
    }

    /** Text from factory, iwhd or a request, one line: a line break becomes a space, see {@link #printable}. */
    static String orEmpty(String text) {
        return text == null ? "" : printable(text.replace('\n', ' '));
    }

    /**
     * Text from outside (factory's errors and activities, image and account names) as a terminal
     * should show it, not obey it: control characters (ESC and the rest of C0 and C1, DEL), line and
     * paragraph separators, and the bidi controls that reorder what follows are written as
     * {@code \\uXXXX}. A factory error holding {@code ESC[2J} would otherwise clear the operator's screen.
     */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder shown = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (obeyedByTerminals(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.toString();
    }

    private static boolean obeyedByTerminals(int c) {
        return Character.getType(c) == Character.CONTROL // C0, DEL, C1
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') // bidi embeddings, isolates
                || c == '\u200e' || c == '\u200f' || c == '\u061c'; // bidi marks
    }
}
