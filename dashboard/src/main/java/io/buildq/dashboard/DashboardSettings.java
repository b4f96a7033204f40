package io.buildq.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * Where the dashboard listens and who may use it.
 *
 * @param host     the address to bind; loopback by default
 * @param port     JobRunr's dashboard port, 8000 by default (0 picks a free one)
 * @param username with {@code password}, HTTP Basic credentials; required off loopback
 * @param hostNames  names the dashboard answers to besides loopback's and the bound address (the names
 *                   operators type when it is bound elsewhere; see {@link AllowedHosts})
 */
public record DashboardSettings(String host, int port, String username, String password, List<String> hostNames) {

    public DashboardSettings {
        Objects.requireNonNull(host, "host");
        hostNames = List.copyOf(hostNames);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("give both a dashboard username and a password, or neither");
        }
        if (username == null && !isLoopback(host)) {
            // JobRunr's dashboard can requeue and delete any job: never expose it without a password.
            throw new IllegalArgumentException("the dashboard binds to " + host
                    + ", which is not loopback: set a username and password (BUILDQ_DASHBOARD_USER, BUILDQ_DASHBOARD_PASSWORD)");
        }
    }

    /** Settings that answer to loopback's names and the bound address only. */
    public DashboardSettings(String host, int port, String username, String password) {
        this(host, port, username, password, List.of());
    }

    public static DashboardSettings loopback(int port) {
        return new DashboardSettings("127.0.0.1", port, null, null);
    }

    public boolean requiresLogin() {
        return username != null;
    }

    /** Leaves the password out, so that a logged or printed settings object leaks nothing. */
    @Override
    public String toString() {
        return "DashboardSettings[host=" + host + ", port=" + port + ", username=" + username
                + ", password=" + (password == null ? "none" : "(set)") + ", hostNames=" + hostNames + "]";
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown dashboard host " + host, e);
        }
    }
}
