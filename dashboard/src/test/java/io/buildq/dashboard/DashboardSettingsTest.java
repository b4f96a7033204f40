package io.buildq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DashboardSettingsTest {

    @Test
    void thePasswordNeverShowsInTheSettingsPrinted() {
        DashboardSettings settings = new DashboardSettings("0.0.0.0", 8000, "operator", "s3cret-Pa55", List.of(), null, true);

        assertThat(settings.toString()).contains("operator").doesNotContain("s3cret-Pa55");
    }

    @Test
    void aDashboardOffLoopbackWithoutAPasswordIsRefused() {
        assertThatThrownBy(() -> new DashboardSettings("0.0.0.0", 8000, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not loopback");
    }

    @Test
    void aDashboardOffLoopbackOverPlainHttpIsRefusedUnlessAProxyTerminatesTls() {
        assertThatThrownBy(() -> new DashboardSettings("0.0.0.0", 8000, "operator", "s3cret-Pa55"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in clear").hasMessageContaining("--tls-cert").hasMessageContaining("--tls-by-proxy");

        DashboardSettings proxied = new DashboardSettings("0.0.0.0", 8000, "operator", "s3cret-Pa55", List.of(), null, true);
        assertThat(proxied.scheme()).as("the scheme its users reach it by").isEqualTo("https");
        assertThat(DashboardSettings.loopback(8000).scheme()).isEqualTo("http");
    }
}
