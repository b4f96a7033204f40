package io.buildq.sim.iwhd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's OAuth as Aeolus ran iwhd (real-install-notes.md Q2): header-signed HMAC-SHA1 by a
 * known consumer over method, URL and oauth params, never the body; refusals are 401 with an empty
 * body (an assumption). The signatures here are computed by hand, independently of the simulator.
 */
class IwhdOAuthTest {

    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final OkHttpClient http = new OkHttpClient();
    private IwhdSimulator iwhd;

    @BeforeEach
    void start() {
        iwhd = IwhdSimulator.builder().oauthClient("conductor", "s3cret").start();
    }

    @AfterEach
    void stop() {
        iwhd.close();
    }

    @Test
    void oauthIsOffByDefaultAsInIwhd096() throws IOException {
        try (IwhdSimulator open = IwhdSimulator.builder().start();
             Response response = http.newCall(new Request.Builder().url(open.baseUrl() + "/").build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    @Test
    void aRequestSignedOverMethodUrlAndOAuthParamsIsServed() throws IOException {
        try (Response response = send("PUT", "/images", "", "s3cret", Map.of(), Map.of())) {
            assertThat(response.code()).isEqualTo(201);
        }
        assertThat(iwhd.keys("images")).isEmpty();
        try (Response root = send("GET", "/", null, "s3cret", Map.of(), Map.of())) {
            assertThat(root.body().string()).contains("/images\"");
        }
    }

    @Test
    void formFieldsAreNeverPartOfTheSignature() throws IOException {
        send("PUT", "/images", "", "s3cret", Map.of(), Map.of()).close();
        try (Response unsignedBody = send("POST", "/images", "_key=k&uuid=k", "s3cret", Map.of(), Map.of())) {
            assertThat(unsignedBody.code()).isEqualTo(200);
        }
        assertThat(iwhd.attributes("images", "k")).contains(Map.of("uuid", "k"));

        // The same POST signed the factory way, with its form fields in the base string, is refused.
        try (Response signedBody = send("POST", "/images", "_key=j&uuid=j", "s3cret",
                Map.of("_key", "j", "uuid", "j"), Map.of())) {
            assertThat(signedBody.code()).isEqualTo(401);
        }
        assertThat(iwhd.attributes("images", "j")).isEmpty();
    }

    @Test
    void aBodyHashIsSignedButNeverCheckedAndARealmIsIgnored() throws IOException {
        send("PUT", "/images", "", "s3cret", Map.of(), Map.of()).close();
        // Conductor's recorded op=parts POST carried the SHA-1 of the empty string, not of its body.
        Map<String, String> extra = Map.of("oauth_body_hash", "2jmj7l5rSw0yVb/vlWAYkK/YBwk=", "realm", "");
        try (Response response = send("POST", "/images", "_key=k&uuid=k", "s3cret", Map.of(), extra)) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    @Test
    void urlQueryParametersAreSigned() throws IOException {
        try (Response signed = send("GET", "/?x=1", null, "s3cret", Map.of("x", "1"), Map.of())) {
            assertThat(signed.code()).isEqualTo(200);
        }
        try (Response unsigned = send("GET", "/?x=1", null, "s3cret", Map.of(), Map.of())) {
            assertThat(unsigned.code()).isEqualTo(401);
        }
    }

    @Test
    void refusalsAre401WithAnEmptyBodyAndChangeNothing() throws IOException {
        List<Response> refused = new ArrayList<>();
        refused.add(http.newCall(new Request.Builder().url(iwhd.baseUrl() + "/images")
                .put(RequestBody.create("", FORM)).build()).execute());
        refused.add(send("PUT", "/images", "", "wrong", Map.of(), Map.of()));
        refused.add(sendAs("stranger", "PUT", "/images", "", "s3cret", "HMAC-SHA1"));
        refused.add(sendAs("conductor", "PUT", "/images", "", "s3cret", "PLAINTEXT"));
        for (Response response : refused) {
            try (response) {
                assertThat(response.code()).isEqualTo(401);
                assertThat(response.body().string()).isEmpty();
            }
        }
        try (Response root = send("GET", "/", null, "s3cret", Map.of(), Map.of())) {
            assertThat(root.body().string()).doesNotContain("/images\"");
        }
    }

    private Response send(String method, String pathAndQuery, String body, String secret, Map<String, String> signedParams,
                          Map<String, String> extraHeaderParams) throws IOException {
        return send("conductor", method, pathAndQuery, body, secret, "HMAC-SHA1", signedParams, extraHeaderParams);
    }

    private Response sendAs(String key, String method, String pathAndQuery, String body, String secret, String signatureMethod)
            throws IOException {
        return send(key, method, pathAndQuery, body, secret, signatureMethod, Map.of(), Map.of());
    }

    /** Signs over the oauth params (body hash included, realm not) plus {@code signedParams}. */
    private Response send(String key, String method, String pathAndQuery, String body, String secret, String signatureMethod,
                          Map<String, String> signedParams, Map<String, String> extraHeaderParams) throws IOException {
        HttpUrl url = HttpUrl.get(iwhd.baseUrl() + pathAndQuery);
        Map<String, String> oauth = new LinkedHashMap<>();
        oauth.put("oauth_consumer_key", key);
        oauth.put("oauth_nonce", "n" + System.nanoTime());
        oauth.put("oauth_signature_method", signatureMethod);
        oauth.put("oauth_timestamp", Long.toString(System.currentTimeMillis() / 1000));
        oauth.put("oauth_version", "1.0");
        Map<String, String> params = new LinkedHashMap<>(oauth);
        extraHeaderParams.forEach((name, value) -> {
            if (!name.equals("realm")) {
                params.put(name, value);
            }
        });
        params.putAll(signedParams);
        String normalized = params.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .sorted().collect(Collectors.joining("&"));
        String base = method + "&" + encode("http://" + url.host() + ":" + url.port() + url.encodedPath()) + "&" + encode(normalized);
        oauth.putAll(extraHeaderParams);
        oauth.put("oauth_signature", hmacSha1(encode(secret) + "&", base));
        String header = "OAuth " + oauth.entrySet().stream().map(e -> e.getKey() + "=\"" + encode(e.getValue()) + "\"")
                .collect(Collectors.joining(", "));
        return http.newCall(new Request.Builder().url(url).header("Authorization", header)
                .method(method, body == null ? null : RequestBody.create(body, FORM)).build()).execute();
    }

    private static String hmacSha1(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            out.append(unreserved ? String.valueOf((char) c) : String.format("%%%02X", c));
        }
        return out.toString();
    }
}
