package io.buildq.sim.http;

import java.net.InetAddress;
import java.util.Map;

/**
 * What every simulator is started with (see {@link SimulatorBuilder}).
 *
 * @param address      the address to listen on
 * @param port         the port, 0 for a free one
 * @param faults       the faults injected from the start
 * @param oauthClients secrets by OAuth consumer key; empty when OAuth is off
 */
public record SimulatorSettings(InetAddress address, int port, FaultSettings faults, Map<String, String> oauthClients) {

    public SimulatorSettings {
        oauthClients = Map.copyOf(oauthClients);
    }
}
