package io.buildq.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The names the checks against misleading text must still let through. */
class ImageNameTest {

    private static final String TEMPLATE = "<template><name>n</name></template>";

    @Test
    void namesInAnyScriptWithAccentsAndEmojiSequencesAreAccepted() {
        for (String name : List.of("Web-Server für Büro", "خادم الويب", "ウェブサーバー", "family 👨\u200d👩\u200d👧",
                "e\u0301te\u0301", "x")) {
            assertThat(BuildRequest.of(name, TEMPLATE, List.of("ec2")).image()).isEqualTo(name);
        }
    }
}
