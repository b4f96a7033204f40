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

    static String line(TargetStatus target) {
        return String.format("build %-28s %-9s %3d%%  %s", target.target(), target.status(), target.percent(),
                orEmpty(target.error() != null ? "error: " + target.error() : target.activity()));
    }

    static String line(PushStatus push) {
        return String.format("push  %-28s %-9s %3d%%  %s", push.target() + " -> " + push.providerName(), push.status(),
                push.percent(), orEmpty(push.error() != null ? "error: " + push.error() : push.activity()));
    }

    static void status(PrintWriter out, BuildStatus status) {
        out.println("build " + status.buildId() + "  image " + status.image() + " (" + status.imageId() + ")  created "
                + status.createdAt());
        status.targets().forEach(target -> out.println("  " + line(target) + "   [job " + target.jobId() + ", attempt "
                + target.attempt() + "]"));
        status.pushes().forEach(push -> out.println("  " + line(push) + "   [job " + push.jobId() + ", attempt "
                + push.attempt() + "]"));
        out.flush();
    }

    static String orEmpty(String text) {
        return text == null ? "" : text.replace('\n', ' ');
    }
}
