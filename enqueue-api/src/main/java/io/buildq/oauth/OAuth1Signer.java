package io.buildq.oauth;

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
 * Signs requests with two-legged OAuth 1.0 (RFC 5849, HMAC-SHA1, no token), as Image Factory and
 * Aeolus's iwhd expected: an {@code Authorization: OAuth ...} header, with {@code oauth_body_hash}
 * for bodies that are not forms, as the Ruby clients sent. Add it to an OkHttp client as an
 * interceptor; off unless configured.
 */
public final class OAuth1Signer implements Interceptor {

    private final String consumerKey;
    private final String consumerSecret;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OAuth1Signer(String consumerKey, String consumerSecret, Clock clock) {
        this.consumerKey = Objects.requireNonNull(consumerKey, "consumerKey");
        this.consumerSecret = Objects.requireNonNull(consumerSecret, "consumerSecret");
        this.clock = clock;
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
        RequestBody body = request.body();
        if (body instanceof FormBody form) {
            for (int i = 0; i < form.size(); i++) {
                params.add(new String[] {form.name(i), form.value(i)});
            }
        } else if (body != null && isForm(body.contentType())) {
            // A raw form-typed body (iwhd's _query) is read as form fields, as the Ruby clients did.
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
