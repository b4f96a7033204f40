package io.buildq.sim.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings both simulators' builders share: where to listen, the faults to start with and the
 * OAuth consumers to require. Self-typed, so that a chain of calls keeps the simulator's own builder
 * ({@code FactorySimulator.builder().port(0).stepDuration(...)}); a subclass must name itself as
 * {@code B}.
 *
 * @param <B> the simulator's own builder
 */
public abstract class SimulatorBuilder<B extends SimulatorBuilder<B>> {

    private InetAddress address = InetAddress.getLoopbackAddress();
    private int port;
    private FaultSettings faults = FaultSettings.none();
    private final Map<String, String> oauthClients = new HashMap<>();

    protected SimulatorBuilder() {
    }

    /**
     * Requires two-legged OAuth 1.0 (HMAC-SHA1) from this consumer; call once per consumer key. Off
     * unless called. Which requests are checked, and how, each simulator's builder tells.
     */
    public B oauthClient(String consumerKey, String consumerSecret) {
        this.oauthClients.put(consumerKey, consumerSecret);
        return self();
    }

    /** Faults from the start; {@code POST /_sim/faults} changes them later. */
    public B faults(FaultSettings faults) {
        this.faults = faults;
        return self();
    }

    /** The address to listen on; loopback by default. */
    public B address(String host) {
        try {
            this.address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
        return self();
    }

    /** The port; 0 (the default) picks a free one. */
    public B port(int port) {
        this.port = port;
        return self();
    }

    /** What was set here, for the subclass's {@code start()}. */
    protected final SimulatorSettings settings() {
        return new SimulatorSettings(address, port, faults, oauthClients);
    }

    @SuppressWarnings("unchecked") // safe while every subclass names itself as B, as the class doc asks
    private B self() {
        return (B) this;
    }
}
