package io.buildq.dashboard;

import io.buildq.internal.tls.ServerTls;
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
 * @param tls        the certificate and key to serve HTTPS with; null for plain HTTP
 * @param tlsByProxy plain HTTP off loopback is allowed because a proxy in front of the dashboard
 *                   terminates TLS (the operator says so; buildq cannot tell)
 */
public record DashboardSettings(String host, int port, String username, String password, List<String> hostNames,
                                ServerTls tls, boolean tlsByProxy) {

    public DashboardSettings {
        Objects.requireNonNull(host, "host");
        hostNames = List.copyOf(hostNames);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be within 0..65535, was " + port);
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("give both a dashboard username and a password, or neither");
        }
        boolean loopback = isLoopback(host);
        if (username == null && !loopback) {
            // JobRunr's dashboard can requeue and delete any job: never expose it without a password.
            throw new IllegalArgumentException("the dashboard binds to " + host
                    + ", which is not loopback: set a username and password (BUILDQ_DASHBOARD_USER, BUILDQ_DASHBOARD_PASSWORD)");
        }
        if (!loopback && tls == null && !tlsByProxy) {
            // Basic auth sends the password with every request: over plain HTTP, anyone on the path reads it.
            throw new IllegalArgumentException("the dashboard binds to " + host + ", which is not loopback, over plain HTTP:"
                    + " its password would cross the network in clear; give --tls-cert and --tls-key, or --tls-by-proxy"
                    + " when a proxy in front of it terminates TLS");
        }
    }

    /** Plain-HTTP settings that answer to loopback's names, the bound address and {@code hostNames}. */
    public DashboardSettings(String host, int port, String username, String password, List<String> hostNames) {
        this(host, port, username, password, hostNames, null, false);
    }

    /** Plain-HTTP settings that answer to loopback's names and the bound address only. */
    public DashboardSettings(String host, int port, String username, String password) {
        this(host, port, username, password, List.of());
    }

    /** These settings served over HTTPS with {@code tls}. */
    public DashboardSettings withTls(ServerTls tls) {
        return new DashboardSettings(host, port, username, password, hostNames, tls, tlsByProxy);
    }

    /** These settings with another port. */
    public DashboardSettings withPort(int port) {
        return new DashboardSettings(host, port, username, password, hostNames, tls, tlsByProxy);
    }

    /** {@code http} or {@code https}: how the dashboard's own URLs start, as its users reach it. */
    public String scheme() {
        return tls != null || tlsByProxy ? "https" : "http";
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
                + ", password=" + (password == null ? "none" : "(set)") + ", hostNames=" + hostNames + ", tls=" + tls
                + ", tlsByProxy=" + tlsByProxy + "]";
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown dashboard host " + host, e);
        }
    }
}
