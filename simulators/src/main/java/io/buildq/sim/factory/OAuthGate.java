package io.buildq.sim.factory;

import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.OAuthVerifier;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Factory's {@code @oauth_protect} (imgfac/rest/OAuthTools.py) in front of the image routes: open
 * when no consumer is configured; the check itself is {@link OAuthVerifier#factoryRefusal}.
 */
final class OAuthGate {

    /** Null when OAuth is off. */
    private final OAuthVerifier verifier;
    private final boolean strictRfc;
    private final Supplier<String> scheme;

    /**
     * @param verifier  the configured consumers' check, or null for none
     * @param strictRfc see {@link FactorySimulator.Builder#oauthStrictRfc}
     * @param scheme    what the server serves: it starts the OAuth base string
     */
    OAuthGate(OAuthVerifier verifier, boolean strictRfc, Supplier<String> scheme) {
        this.verifier = verifier;
        this.strictRfc = strictRfc;
        this.scheme = scheme;
    }

    /** Whether factory refused the request; if so, its answer has been sent. */
    boolean refused(HttpExchange exchange) throws IOException {
        if (verifier == null) {
            return false;
        }
        OAuthVerifier.FactoryRefusal refusal = verifier.factoryRefusal(exchange, scheme.get(), strictRfc,
                Instant.now().getEpochSecond());
        if (refusal == null) {
            return false;
        }
        if (refusal.wwwAuthenticate()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "OAuth");
        }
        SimulatorServer.sendText(exchange, refusal.status(), refusal.body());
        return true;
    }
}
