package io.buildq.sim.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Two-legged OAuth 1.0 (HMAC-SHA1, no token) as Image Factory and Aeolus's iwhd checked it.
 * {@link #factoryRefusal} is factory's check exactly (real-install-notes Q1: imgfac/rest/OAuthTools.py
 * {@code validate_two_leg_oauth} over python-oauth2 1.5.211 {@code Request.from_request} and
 * {@code Server.verify_request}), flaws included. {@link #sign} and {@link #encode} are RFC 5849's,
 * shared with the iwhd simulator's check.
 */
public final class OAuthVerifier {

    private final Map<String, String> secretsByKey;

    /**
     * How factory refused a request: the status, the text/html body and whether the answer carries
     * {@code WWW-Authenticate: OAuth}.
     */
    public record FactoryRefusal(int status, String body, boolean wwwAuthenticate) {
    }

    /** python-oauth2's {@code Server.timestamp_threshold}: older timestamps are refused, future ones pass. */
    static final long TIMESTAMP_THRESHOLD_SECONDS = 300;

    public OAuthVerifier(Map<String, String> secretsByKey) {
        this.secretsByKey = Map.copyOf(secretsByKey);
    }

    /**
     * Null if factory would accept the request, else its answer (Q1's table). The order of checks is
     * python-oauth2 1.5.211's: header parsing ({@code from_request}), the consumer key lookup
     * ({@code request.params['oauth_consumer_key']} in OAuthTools), {@code _check_version},
     * {@code _check_timestamp}, {@code _get_signature_method}, the missing signature, then the
     * signature itself, where an unknown key's {@code escape(None)} raises the AttributeError that
     * OAuthTools turns into its only 401. The nonce and {@code oauth_body_hash} are never checked.
     *
     * @param scheme    what the server really serves ({@code wsgi.url_scheme}): it starts the base string
     * @param strictRfc count query parameters once (RFC 5849); false reproduces 1.5.211, where
     *                  {@code from_request} puts them in the request and {@code get_normalized_parameters}
     *                  adds them again, so that any query string on a protected route breaks the signature
     */
    public FactoryRefusal factoryRefusal(HttpExchange exchange, String scheme, boolean strictRfc, long nowEpochSeconds)
            throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            // OAuthTools raises HTTPResponse(401) inside its own try; bottle 0.10's HTTPResponse is an
            // Exception whose str() is "HTTP Response 401", so "except Exception" wraps it in a 500.
            return new FactoryRefusal(500, "OAuth validation failed: HTTP Response 401", true);
        }
        byte[] body = SimulatorServer.readBody(exchange);
        exchange.setStreams(new ByteArrayInputStream(body), null); // the handler reads the body again
        // bottle's request.params: the query, then urlencoded form fields (cgi.FieldStorage, blanks kept).
        Map<String, String> params = new LinkedHashMap<>();
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            putForm(params, query);
        }
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            putForm(params, new String(body, StandardCharsets.UTF_8));
        }
        // Request.from_request: only a header starting "OAuth " (case-sensitive) is read.
        if (header.startsWith("OAuth ")) {
            for (String part : header.substring(6).split(",")) {
                if (part.contains("realm")) {
                    continue; // _split_header drops any item containing "realm", values included
                }
                String[] pair = part.strip().split("=", 2);
                if (pair.length < 2) {
                    return validationFailed("Unable to parse OAuth parameters from Authorization header.");
                }
                params.put(pair[0], unquote(stripQuotes(pair[1])));
            }
        }
        // from_request adds the URL's parameters again (_split_url_string: parse_qs, then unquote again).
        List<String[]> urlItems = new ArrayList<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                value = strictRfc ? formDecode(value) : unquote(formDecode(value));
                if (urlItems.stream().noneMatch(item -> item[0].equals(name))) {
                    urlItems.add(new String[] {name, value});
                    params.put(name, value);
                }
            }
        }
        String consumerKey = params.get("oauth_consumer_key");
        if (consumerKey == null) {
            return validationFailed("'oauth_consumer_key'"); // str(KeyError) in OAuthTools
        }
        String version = params.get("oauth_version");
        if (version != null && !version.isEmpty() && !version.equals("1.0")) {
            return validationFailed("OAuth version " + version + " not supported.");
        }
        String timestamp = params.get("oauth_timestamp");
        if (timestamp == null) {
            return validationFailed("'oauth_timestamp'");
        }
        if (params.get("oauth_nonce") == null) {
            return validationFailed("'oauth_nonce'"); // present is enough: the nonce is never checked
        }
        long given;
        try {
            given = Long.parseLong(timestamp.strip());
        } catch (NumberFormatException e) {
            return validationFailed("invalid literal for int() with base 10: '" + timestamp + "'");
        }
        if (nowEpochSeconds - given > TIMESTAMP_THRESHOLD_SECONDS) {
            return validationFailed("Expired timestamp: given " + given + " and now " + nowEpochSeconds
                    + " has a greater difference than threshold " + TIMESTAMP_THRESHOLD_SECONDS);
        }
        String method = params.getOrDefault("oauth_signature_method", "PLAINTEXT");
        if (!method.equals("HMAC-SHA1")) {
            return validationFailed("Signature method " + method + " not supported try one of the following: HMAC-SHA1");
        }
        String signature = params.get("oauth_signature");
        if (signature == null) {
            return validationFailed("Missing oauth_signature.");
        }
        String secret = secretsByKey.get(consumerKey);
        if (secret == null) {
            return new FactoryRefusal(401, "Unauthorized: authorization failed", true);
        }
        List<String[]> items = new ArrayList<>();
        params.forEach((name, value) -> {
            if (!name.equals("oauth_signature")) {
                items.add(new String[] {name, value});
            }
        });
        if (!strictRfc) {
            urlItems.stream().filter(item -> !item[0].equals("oauth_signature")).forEach(items::add);
        }
        String base = factoryBaseString(exchange.getRequestMethod(),
                normalizedUrl(scheme, exchange.getRequestHeaders().getFirst("Host"), exchange.getRequestURI().getRawPath()),
                items);
        String expected = hmacSha1(base, secret);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            return validationFailed("Invalid signature. Expected signature base string: " + base);
        }
        return null;
    }

    private static FactoryRefusal validationFailed(String message) {
        return new FactoryRefusal(500, "OAuth validation failed: " + message, false);
    }

    /** Request.url's normalized_url: scheme://netloc/path, the netloc as sent, ":80"/":443" dropped per scheme. */
    static String normalizedUrl(String scheme, String host, String path) {
        String netloc = host == null ? "" : host;
        if (scheme.equals("http") && netloc.endsWith(":80")) {
            netloc = netloc.substring(0, netloc.length() - 3);
        } else if (scheme.equals("https") && netloc.endsWith(":443")) {
            netloc = netloc.substring(0, netloc.length() - 4);
        }
        return scheme + "://" + netloc + path;
    }

    /** 1.5.211's signing_base: items sorted raw (as UTF-8 bytes, key then value), then encoded. */
    static String factoryBaseString(String method, String normalizedUrl, List<String[]> items) {
        List<String[]> sorted = new ArrayList<>(items);
        sorted.sort((a, b) -> {
            int byKey = Arrays.compareUnsigned(a[0].getBytes(StandardCharsets.UTF_8), b[0].getBytes(StandardCharsets.UTF_8));
            return byKey != 0 ? byKey
                    : Arrays.compareUnsigned(a[1].getBytes(StandardCharsets.UTF_8), b[1].getBytes(StandardCharsets.UTF_8));
        });
        List<String> encoded = new ArrayList<>();
        for (String[] item : sorted) {
            encoded.add(encode(item[0]) + "=" + encode(item[1]));
        }
        return method.toUpperCase() + "&" + encode(normalizedUrl) + "&" + encode(String.join("&", encoded));
    }

    static String hmacSha1(String base, String consumerSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((encode(consumerSecret) + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA1", e);
        }
    }

    private static void putForm(Map<String, String> params, String form) {
        for (String pair : form.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                params.put(formDecode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : formDecode(pair.substring(eq + 1)));
            }
        }
    }

    private static String stripQuotes(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '"') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '"') {
            end--;
        }
        return text.substring(start, end);
    }

    /** urllib.unquote: %XX only, '+' stays, a malformed escape stays as it is. */
    private static String unquote(String text) {
        return decode(text.replaceAll("%(?![0-9A-Fa-f]{2})", "%25"));
    }

    /** RFC 5849 3.4.2: the HMAC-SHA1 signature of the base string, keyed with the consumer secret and no token. */
    public static String sign(String method, String baseUrl, List<String[]> params, String consumerSecret) {
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

    /** RFC 3986 percent-encoding: everything but unreserved characters. */
    public static String encode(String text) {
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
}
