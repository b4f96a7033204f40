package io.buildq.internal.oauth;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;

/**
 * Signs requests with two-legged OAuth 1.0 (RFC 5849, HMAC-SHA1, consumer only, no token) in an
 * {@code Authorization: OAuth ...} header, the way the service at the other end checks it: build one
 * with {@link #forImageFactory} or {@link #forIwhd} and add it to that service's OkHttp client as an
 * interceptor. Both sign the URL's query parameters and the oauth params; they differ in the body.
 */
public final class OAuth1Signer implements Interceptor {

    /** What of the body a signature covers. */
    private enum BodySigning {
        /** Form fields signed, any other body by {@code oauth_body_hash} (real-install-notes.md Q1). */
        FORM_FIELDS_AND_BODY_HASH,
        /** Nothing of the body, not even a hash (real-install-notes.md Q2). */
        NONE
    }

    private final String consumerKey;
    private final String consumerSecret;
    private final Clock clock;
    private final BodySigning bodySigning;
    private final SecureRandom random = new SecureRandom();

    /** The same as {@link #forImageFactory}. */
    public OAuth1Signer(String consumerKey, String consumerSecret, Clock clock) {
        this(consumerKey, consumerSecret, clock, BodySigning.FORM_FIELDS_AND_BODY_HASH);
    }

    private OAuth1Signer(String consumerKey, String consumerSecret, Clock clock, BodySigning bodySigning) {
        this.consumerKey = Objects.requireNonNull(consumerKey, "consumerKey");
        this.consumerSecret = Objects.requireNonNull(consumerSecret, "consumerSecret");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bodySigning = bodySigning;
    }

    /**
     * A signer for Image Factory's protected routes (real-install-notes.md Q1, python-oauth2 1.5.211):
     * form fields (urlencoded bodies) are signed, JSON bodies are not, and a non-form body gets an
     * {@code oauth_body_hash}, which factory ignores. Factory's protected routes must never carry a
     * query string: python-oauth2 counts query parameters twice in its base string, so a signature
     * that counts them once, as this one does, is refused there. This signer cannot drop a query
     * string; the factory client must not send one.
     */
    public static OAuth1Signer forImageFactory(String consumerKey, String consumerSecret, Clock clock) {
        return new OAuth1Signer(consumerKey, consumerSecret, clock, BodySigning.FORM_FIELDS_AND_BODY_HASH);
    }

    /**
     * A signer for iwhd as Aeolus ran it ({@code -o -u users.js}; real-install-notes.md Q2): the
     * base string is the method, the URL (with its query parameters) and the oauth params only;
     * the body is never signed, neither as form fields nor as a body hash, as Image Factory's
     * {@code ImageWarehouse._oauth_headers} did.
     */
    public static OAuth1Signer forIwhd(String consumerKey, String consumerSecret, Clock clock) {
        return new OAuth1Signer(consumerKey, consumerSecret, clock, BodySigning.NONE);
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        String header = authorization(request, HexFormat.of().formatHex(nonce), clock.instant().getEpochSecond());
        return chain.proceed(request.newBuilder().header("Authorization", header).build());
    }

    /** The Authorization header for a request, given the nonce and timestamp. */
    String authorization(Request request, String nonce, long timestamp) throws IOException {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_nonce", nonce);
        oauth.put("oauth_signature_method", "HMAC-SHA1");
        oauth.put("oauth_timestamp", Long.toString(timestamp));
        oauth.put("oauth_version", "1.0");
        List<String[]> params = new ArrayList<>();
        HttpUrl url = request.url();
        for (int i = 0; i < url.querySize(); i++) {
            params.add(new String[] {url.queryParameterName(i), Objects.toString(url.queryParameterValue(i), "")});
        }
        RequestBody body = bodySigning == BodySigning.NONE ? null : request.body();
        if (body instanceof FormBody form) {
            for (int i = 0; i < form.size(); i++) {
                params.add(new String[] {form.name(i), form.value(i)});
            }
        } else if (body != null && isForm(body.contentType())) {
            // A raw form-typed body is read as form fields, as python-oauth2 on factory's side did.
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            for (String pair : buffer.readUtf8().split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    params.add(new String[] {formDecode(eq < 0 ? pair : pair.substring(0, eq)),
                            formDecode(eq < 0 ? "" : pair.substring(eq + 1))});
                }
            }
        } else if (body != null) {
            Buffer buffer = new Buffer();
            body.writeTo(buffer);
            oauth.put("oauth_body_hash", Base64.getEncoder().encodeToString(sha1(buffer.readByteArray())));
        }
        oauth.forEach((name, value) -> params.add(new String[] {name, value}));
        String signature = signature(request.method(), baseUrl(url), params, consumerSecret, "");
        StringBuilder header = new StringBuilder("OAuth ");
        oauth.put("oauth_signature", signature);
        String separator = "";
        for (Map.Entry<String, String> entry : oauth.entrySet()) {
            header.append(separator).append(encode(entry.getKey())).append("=\"").append(encode(entry.getValue())).append('"');
            separator = ", ";
        }
        return header.toString();
    }

    /**
     * The HMAC-SHA1 signature of RFC 5849 section 3.4: the base string of method, base URL and the
     * sorted, encoded parameters, keyed with the consumer secret and the token secret.
     */
    public static String signature(String method, String baseUrl, List<String[]> params, String consumerSecret,
                                   String tokenSecret) {
        List<String> encoded = new ArrayList<>();
        for (String[] param : params) {
            encoded.add(encode(param[0]) + "=" + encode(param[1]));
        }
        encoded.sort(null);
        String base = method.toUpperCase() + "&" + encode(baseUrl) + "&" + encode(String.join("&", encoded));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            String key = encode(consumerSecret) + "&" + encode(tokenSecret);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA1", e);
        }
    }

    /** Scheme and host in lower case, the port only when it is not the scheme's default, the path. */
    static String baseUrl(HttpUrl url) {
        boolean defaultPort = url.port() == HttpUrl.defaultPort(url.scheme());
        return url.scheme() + "://" + url.host().toLowerCase() + (defaultPort ? "" : ":" + url.port()) + url.encodedPath();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters. */
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

    private static String formDecode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static boolean isForm(MediaType type) {
        return type != null && type.type().equals("application") && type.subtype().equals("x-www-form-urlencoded");
    }

    private static byte[] sha1(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
