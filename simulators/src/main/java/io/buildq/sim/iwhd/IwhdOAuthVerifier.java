package io.buildq.sim.iwhd;

import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.OAuthVerifier;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two-legged OAuth 1.0 as Aeolus ran iwhd ({@code -o -u users.js}; real-install-notes.md Q2):
 * HMAC-SHA1 in the {@code Authorization} header, consumer only (empty token secret), over
 * {@code METHOD&enc(http://<Host>/path)&enc(sorted oauth_* header params + URL query params)}.
 * The body is never signed, form or not: both real clients (Image Factory's
 * {@code ImageWarehouse._oauth_headers}, aeolus-image's oauth gem) signed only the oauth params and
 * the URL query. {@code oauth_body_hash}, when sent, is signed like any oauth param but never
 * compared with the body (Conductor's recorded {@code op=parts} POST carried the hash of the empty
 * string and was accepted); {@code realm} is left out of the base string (RFC 5849 3.4.1.3.1).
 * Nonces and timestamps are not checked: iwhd 1.x's checks are unknown.
 */
final class IwhdOAuthVerifier {

    private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)\\s*=\\s*\"([^\"]*)\"");

    private final Map<String, String> secretsByKey;

    IwhdOAuthVerifier(Map<String, String> secretsByKey) {
        this.secretsByKey = Map.copyOf(secretsByKey);
    }

    /** Whether the request carries a valid signature by a known consumer; never reads the body. */
    boolean accepts(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (header == null || host == null || !header.regionMatches(true, 0, "OAuth ", 0, 6)) {
            return false;
        }
        Map<String, String> oauth = new LinkedHashMap<>();
        Matcher matcher = PARAM.matcher(header.substring(6));
        while (matcher.find()) {
            oauth.put(matcher.group(1), percentDecode(matcher.group(2)));
        }
        String secret = secretsByKey.get(oauth.get("oauth_consumer_key"));
        String signature = oauth.get("oauth_signature");
        if (secret == null || signature == null || !"HMAC-SHA1".equals(oauth.get("oauth_signature_method"))
                || (oauth.containsKey("oauth_version") && !"1.0".equals(oauth.get("oauth_version")))) {
            return false;
        }
        List<String[]> params = new ArrayList<>();
        oauth.forEach((name, value) -> {
            if (!name.equals("oauth_signature") && !name.equals("realm")) {
                params.add(new String[] {name, value});
            }
        });
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    params.add(new String[] {formDecode(eq < 0 ? pair : pair.substring(0, eq)),
                            formDecode(eq < 0 ? "" : pair.substring(eq + 1))});
                }
            }
        }
        String baseUrl = "http://" + withoutDefaultPort(host.toLowerCase()) + exchange.getRequestURI().getRawPath();
        String expected = OAuthVerifier.sign(exchange.getRequestMethod(), baseUrl, params, secret);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    }

    private static String withoutDefaultPort(String host) {
        return host.endsWith(":80") ? host.substring(0, host.length() - 3) : host;
    }

    /** Header values are RFC 3986-encoded: a '+' is a plus, not a space. */
    private static String percentDecode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String formDecode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
