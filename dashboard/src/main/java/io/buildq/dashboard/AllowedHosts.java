package io.buildq.dashboard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The names a dashboard answers to, against DNS rebinding: a page on {@code evil.example} whose name
 * the attacker re-points at 127.0.0.1 reaches a loopback dashboard with {@code Host: evil.example}
 * and, being same-origin with itself, with a matching {@code Origin}. So the {@code Host} must be one
 * of these names (loopback's, the bound address, and the names an operator configures), and a
 * state-changing request's {@code Origin} must name one of them too: never compared with the
 * {@code Host}, which the attacker chooses as well.
 */
public final class AllowedHosts {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final Set<String> names;

    private AllowedHosts(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    /** Loopback's names, the address bound (unless a wildcard) and {@code settings.hostNames()}. */
    public static AllowedHosts of(DashboardSettings settings) {
        Set<String> names = new LinkedHashSet<>(LOOPBACK);
        String bound = bare(settings.host());
        if (!bound.equals("0.0.0.0") && !bound.equals("::")) {
            names.add(bound);
        }
        settings.hostNames().forEach(name -> names.add(bare(name)));
        return new AllowedHosts(names);
    }

    /** Whether a request's {@code Host} header ({@code name} or {@code name:port}) names this dashboard. */
    public boolean allowsHost(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        try {
            String name = new URI("http://" + hostHeader.trim() + "/").getHost();
            return name != null && names.contains(bare(name));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Whether an {@code Origin} header is absent (not a browser's cross-site call) or names this dashboard. */
    public boolean allowsOrigin(String origin) {
        if (origin == null) {
            return true;
        }
        try {
            URI uri = new URI(origin);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && names.contains(bare(uri.getHost()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The refusal's text: what the request named, and how to let a name in. */
    public String refusal(String hostHeader) {
        return "Refused: this dashboard answers to " + String.join(", ", names) + ", not to '" + hostHeader
                + "'; add a name with --host-name (BUILDQ_DASHBOARD_HOST_NAMES)";
    }

    private static String bare(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith("[") && lower.endsWith("]") ? lower.substring(1, lower.length() - 1) : lower;
    }
}
