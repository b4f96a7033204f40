package io.buildq.sim.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Two-legged OAuth 1.0 (HMAC-SHA1, no token) as Image Factory and Aeolus's iwhd checked it. The
 * refusal texts are factory's: no Authorization header or an unknown consumer key is
 * "Unauthorized: ...", any other verification failure "OAuth validation failed: ..."
 * (imagefactory-api.md section 2); each simulator maps them to its service's status codes.
 */
public final class OAuthVerifier {

    private static final Pattern PARAM = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"");

    private final Map<String, String> secretsByKey;

    public OAuthVerifier(Map<String, String> secretsByKey) {
        this.secretsByKey = Map.copyOf(secretsByKey);
    }

    /** Null if the request is signed correctly, else the text of factory's refusal. */
    public String refusal(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("OAuth ")) {
            return "Unauthorized: missing authorization";
        }
        Map<String, String> oauth = new LinkedHashMap<>();
        Matcher matcher = PARAM.matcher(header);
        while (matcher.find()) {
            oauth.put(matcher.group(1), decode(matcher.group(2)));
        }
        String secret = secretsByKey.get(oauth.get("oauth_consumer_key"));
        if (secret == null) {
            return "Unauthorized: authorization failed";
        }
        byte[] body = SimulatorServer.readBody(exchange);
        exchange.setStreams(new ByteArrayInputStream(body), null); // the handler reads the body again
        if (!"HMAC-SHA1".equals(oauth.get("oauth_signature_method"))) {
            return "OAuth validation failed: Signature method " + oauth.get("oauth_signature_method") + " not supported";
        }
        List<String[]> params = new ArrayList<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            addForm(params, query);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            addForm(params, new String(body, StandardCharsets.UTF_8));
        } else if (oauth.containsKey("oauth_body_hash")) {
            String expected = Base64.getEncoder().encodeToString(sha1(body));
            if (!expected.equals(oauth.get("oauth_body_hash"))) {
                return "OAuth validation failed: Invalid body hash";
            }
        }
        oauth.forEach((name, value) -> {
            if (!name.equals("oauth_signature") && !name.equals("realm")) {
                params.add(new String[] {name, value});
            }
        });
        String host = exchange.getRequestHeaders().getFirst("Host");
        String baseUrl = "http://" + host.toLowerCase() + exchange.getRequestURI().getRawPath();
        String expected = sign(exchange.getRequestMethod(), baseUrl, params, secret);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                String.valueOf(oauth.get("oauth_signature")).getBytes(StandardCharsets.UTF_8))) {
            return "OAuth validation failed: Invalid signature";
        }
        return null;
    }

    static String sign(String method, String baseUrl, List<String[]> params, String consumerSecret) {
        List<String> encoded = new ArrayList<>();
        for (String[] param : params) {
            encoded.add(encode(param[0]) + "=" + encode(param[1]));
        }
        encoded.sort(null);
        String base = method.toUpperCase() + "&" + encode(baseUrl) + "&" + encode(String.join("&", encoded));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((encode(consumerSecret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA1", e);
        }
    }

    private static void addForm(List<String[]> params, String form) {
        for (String pair : form.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.add(new String[] {formDecode(name), formDecode(value)});
            }
        }
    }

    /** RFC 3986 percent-encoding: everything but unreserved characters. */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String formDecode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static byte[] sha1(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
