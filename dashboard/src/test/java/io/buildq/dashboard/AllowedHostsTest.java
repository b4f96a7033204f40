package io.buildq.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

    private final AllowedHosts loopback = AllowedHosts.of(DashboardSettings.loopback(8000));

    @Test
    void loopbackNamesWithOrWithoutAPortAreServedAndOthersAreNot() {
        assertThat(loopback.allowsHost("127.0.0.1:8000")).isTrue();
        assertThat(loopback.allowsHost("LOCALHOST:8000")).isTrue();
        assertThat(loopback.allowsHost("[::1]:8000")).isTrue();
        assertThat(loopback.allowsHost("localhost")).isTrue();
        assertThat(loopback.allowsHost("evil.example:8000")).isFalse();
        assertThat(loopback.allowsHost("localhost.evil.example")).isFalse();
        assertThat(loopback.allowsHost("127.0.0.1.nip.io:8000")).isFalse();
        assertThat(loopback.allowsHost(null)).isFalse();
        assertThat(loopback.allowsHost("")).isFalse();
        assertThat(loopback.allowsHost("bad host:x")).isFalse();
    }

    @Test
    void anOriginMustNameAServedHostOverHttpOrHttps() {
        assertThat(loopback.allowsOrigin(null)).as("no Origin: not a browser's cross-site call").isTrue();
        assertThat(loopback.allowsOrigin("http://127.0.0.1:8000")).isTrue();
        assertThat(loopback.allowsOrigin("https://localhost")).isTrue();
        assertThat(loopback.allowsOrigin("http://evil.example:8000")).isFalse();
        assertThat(loopback.allowsOrigin("null")).as("a sandboxed or file page").isFalse();
        assertThat(loopback.allowsOrigin("ftp://127.0.0.1")).isFalse();
    }

    @Test
    void aBoundAddressAndConfiguredNamesAreServedButAWildcardIsNoName() {
        AllowedHosts bound = AllowedHosts.of(new DashboardSettings("10.1.2.3", 8000, "ops", "pw", List.of("[fd00::5]",
                "ops.example.org"), null, true));
        assertThat(bound.allowsHost("10.1.2.3:8000")).isTrue();
        assertThat(bound.allowsHost("[FD00::5]:8000")).isTrue();
        assertThat(bound.allowsHost("ops.example.org")).isTrue();
        AllowedHosts wildcard = AllowedHosts.of(new DashboardSettings("0.0.0.0", 8000, "ops", "pw", List.of(), null, true));
        assertThat(wildcard.allowsHost("0.0.0.0:8000")).isFalse();
        assertThat(wildcard.allowsHost("127.0.0.1:8000")).isTrue();
    }
}
