package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Settings are logged at start: their text must not carry the OAuth secrets. */
class WorkerSettingsTest {

    @Test
    void theTextOfSettingsLeavesOutBothOAuthSecretsAndKeepsTheKeys() {
        WorkerSettings settings = WorkerSettings.defaults("https://factory.example:8075/imagefactory",
                        "http://iwhd.example:9090")
                .withFactoryOAuth("factory-key", "factory-secret-value")
                .withIwhdOAuth("iwhd-key", "iwhd-secret-value");

        String text = settings.toString();

        assertThat(text).doesNotContain("factory-secret-value").doesNotContain("iwhd-secret-value")
                .contains("factoryOAuthKey=factory-key", "iwhdOAuthKey=iwhd-key",
                        "factoryUrl=https://factory.example:8075/imagefactory");
    }
}
