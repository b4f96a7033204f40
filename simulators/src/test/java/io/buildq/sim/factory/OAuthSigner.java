package io.buildq.sim.factory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A two-legged OAuth 1.0 client written from RFC 5849 for the tests, independent of the simulator's
 * verifier: it signs a method, a base URL and parameters and returns the Authorization header.
 */
final class OAuthSigner {

    private final String key;
    private final String secret;

    OAuthSigner(String key, String secret) {
        this.key = key;
        this.secret = secret;
    }

    /** The oauth_* parameters for now, without the signature. */
    Map<String, String> oauthParameters(long timestamp, String signatureMethod) {
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", key);
        oauth.put("oauth_nonce", UUID.randomUUID().toString().replace("-", ""));
        oauth.put("oauth_signature_method", signatureMethod);
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_version", "1.0");
        return oauth;
    }

    /** The Authorization header for these oauth parameters plus {@code signed} (query or form fields). */
    String header(String method, String baseUrl, Map<String, String> oauth, List<String[]> signed) {
        String signature = signature(method, baseUrl, oauth, signed);
        Map<String, String> withSignature = new LinkedHashMap<>(oauth);
        withSignature.put("oauth_signature", signature);
        return header(withSignature);
    }

    static String header(Map<String, String> oauth) {
        List<String> parts = new ArrayList<>();
        oauth.forEach((name, value) -> parts.add(name + "=\"" + encode(value) + "\""));
        return "OAuth " + String.join(", ", parts);
    }

    String header(String method, String baseUrl) {
        return header(method, baseUrl, oauthParameters(System.currentTimeMillis() / 1000, "HMAC-SHA1"), List.of());
    }

    String signature(String method, String baseUrl, Map<String, String> oauth, List<String[]> signed) {
        List<String> pairs = new ArrayList<>();
        oauth.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        for (String[] param : signed) {
            pairs.add(encode(param[0]) + "=" + encode(param[1]));
        }
        pairs.sort(null);
        String base = method + "&" + encode(baseUrl) + "&" + encode(String.join("&", pairs));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((encode(secret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
