package io.buildq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The processes' log layout (src/main/resources/logback.xml), with factory's text in a message. */
class LogLayoutTest {

    @Test
    void aMessageCannotDriveTheTerminalTheLogIsTailedIn() throws Exception {
        URL layout = getClass().getClassLoader().getResource("logback.xml");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8)); // before the appender takes System.err
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's own start-up gives a context
        try {
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(layout);
            context.start();
            context.getLogger("io.buildq.worker").info("build failed: {}", "boom\u001b[2J\u001b[H\u202eexe.gpj\u009b1m\tend");
        } finally {
            System.setErr(original);
            context.stop();
        }

        String logged = err.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("build failed: boom\uFFFD[2J\uFFFD[H\uFFFDexe.gpj\uFFFD1m\tend")
                .doesNotContain("\u001b").doesNotContain("\u202e").doesNotContain("\u009b");
    }
}
