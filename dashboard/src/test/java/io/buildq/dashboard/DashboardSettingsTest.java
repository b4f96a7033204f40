package io.buildq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DashboardSettingsTest {

    @Test
    void thePasswordNeverShowsInTheSettingsPrinted() {
        DashboardSettings settings = new DashboardSettings("0.0.0.0", 8000, "operator", "s3cret-Pa55");

        assertThat(settings.toString()).contains("operator").doesNotContain("s3cret-Pa55");
    }

    @Test
    void aDashboardOffLoopbackWithoutAPasswordIsRefused() {
        assertThatThrownBy(() -> new DashboardSettings("0.0.0.0", 8000, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not loopback");
    }
}
