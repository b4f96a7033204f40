package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.status.JobStatus;
import io.buildq.status.ProgressEstimate;
import io.buildq.status.TargetStatus;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What reaches an operator's terminal from factory's text. */
class PrinterTest {

    @Test
    void aFactoryErrorThatWouldClearTheScreenIsShownNotObeyed() {
        String hostile = "boom\u001b[2J\u001b[Hfake prompt$ \u0007\u009b31m";
        TargetStatus failed = new TargetStatus(UUID.randomUUID(), "ec2", JobStatus.FAILED, 40, null, hostile, 1, null,
                "FAILED", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, null);

        String line = Printer.line(failed);

        assertThat(line).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
                .contains("error: boom\\u001b[2J\\u001b[Hfake prompt$ \\u0007\\u009b31m");
    }

    @Test
    void bidiControlsAndLineSeparatorsAreShownAndOrdinaryTextIsLeftAlone() {
        assertThat(Printer.printable("image\u202egpj.exe")).isEqualTo("image\\u202egpj.exe");
        assertThat(Printer.printable("a\u2028b\tc")).isEqualTo("a\\u2028b\\u0009c");
        assertThat(Printer.printable("Web-Server für Büro 🚀 — ok")).isEqualTo("Web-Server für Büro 🚀 — ok");
        assertThat(Printer.orEmpty("two\nlines")).isEqualTo("two lines");
        assertThat(Printer.printable(null)).isEmpty();
    }

    @Test
    void anEstimatedPercentageIsMarkedAndSaysWhatItIsBasedOn() {
        TargetStatus running = new TargetStatus(UUID.randomUUID(), "ec2", JobStatus.RUNNING, 0, "Building", null, 1, "f1",
                "BUILDING", Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, null, new ProgressEstimate(42, 12, 2460, true, false));

        assertThat(Printer.line(running)).contains("RUNNING   ~42%  Building")
                .endsWith("(estimate: 12 recent ec2 builds of this template took 41 min (median))");
        assertThat(Printer.shownPercent(running)).as("the watch bar").isEqualTo(42);
    }
}
