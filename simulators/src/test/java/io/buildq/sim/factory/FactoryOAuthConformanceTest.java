package io.buildq.sim.factory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Factory's two-legged OAuth as a stock install answered it (real-install-notes Q1: OAuthTools.py
 * validate_two_leg_oauth over python-oauth2 1.5.211), over real HTTP.
 */
class FactoryOAuthConformanceTest {

    private static final String KEY = "conductor-key";
    private static final String SECRET = "conductor-secret";
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private final OkHttpClient http = new OkHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final OAuthSigner signer = new OAuthSigner(KEY, SECRET);
    private FactorySimulator factory;

    @AfterEach
    void stop() {
        if (factory != null) {
            factory.close();
        }
    }

    private FactorySimulator start(boolean strictRfc) {
        factory = FactorySimulator.builder().oauthClient(KEY, SECRET).oauthStrictRfc(strictRfc).start();
        return factory;
    }

    private String url(String path) {
        return factory.baseUrl() + path;
    }

    private Response get(String url, String authorization) throws IOException {
        Request.Builder request = new Request.Builder().url(url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.newCall(request.build()).execute();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    @Test
    void q1_aRequestWithoutAuthorizationIsA500SayingHttpResponse401WithWwwAuthenticate() throws IOException {
        start(false);
        try (Response response = get(url("/target_images?oauth_consumer_key=" + KEY), null)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("OAuth");
            assertThat(response.header("Content-Type")).isEqualTo("text/html; charset=UTF-8");
            assertThat(response.body().string()).isEqualTo("OAuth validation failed: HTTP Response 401");
        }
    }

    @Test
    void q1_aHeaderSignedRequestWithoutQueryIsAccepted() throws IOException {
        start(false);
        try (Response response = get(url("/target_images"), signer.header("GET", url("/target_images")))) {
            assertThat(response.code()).isEqualTo(200);
        }
        String body = "{\"target_image\": {\"target\": \"ec2\", \"template\": \"<template><name>a</name></template>\"}}";
        try (Response response = http.newCall(new Request.Builder().url(url("/target_images"))
                .header("Authorization", signer.header("POST", url("/target_images")))
                .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute()) {
            // JSON bodies are not signed.
            assertThat(response.code()).isEqualTo(202);
        }
    }

    @Test
    void q1_aHeaderThatDoesNotStartWithOAuthSpaceIsA500NamingTheMissingConsumerKey() throws IOException {
        start(false);
        String header = signer.header("GET", url("/target_images")).replaceFirst("^OAuth ", "oauth ");
        try (Response response = get(url("/target_images"), header)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.header("WWW-Authenticate")).isNull();
            assertThat(response.body().string()).isEqualTo("OAuth validation failed: 'oauth_consumer_key'");
        }
    }

    @Test
    void q1_anUnknownConsumerKeyIsTheOnly401() throws IOException {
        start(false);
        OAuthSigner stranger = new OAuthSigner("stranger", SECRET);
        try (Response response = get(url("/target_images"), stranger.header("GET", url("/target_images")))) {
            assertThat(response.code()).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).isEqualTo("OAuth");
            assertThat(response.body().string()).isEqualTo("Unauthorized: authorization failed");
        }
    }

    @Test
    void q1_aSignatureForAnotherHostIsA500ShowingTheExpectedBaseString() throws IOException {
        start(false);
        Map<String, String> oauth = signer.oauthParameters(now(), "HMAC-SHA1");
        String header = signer.header("GET", "http://factory.example:8075/imagefactory/target_images", oauth, List.of());
        try (Response response = get(url("/target_images"), header)) {
            assertThat(response.code()).isEqualTo(500);
            String host = "127.0.0.1:" + factory.port();
            StringBuilder params = new StringBuilder();
            oauth.forEach((name, value) -> params.append(params.isEmpty() ? "" : "&").append(name).append('=').append(value));
            assertThat(response.body().string()).isEqualTo("OAuth validation failed: Invalid signature. Expected signature base string: "
                    + "GET&" + OAuthSigner.encode("http://" + host + "/imagefactory/target_images") + "&"
                    + OAuthSigner.encode(params.toString()));
        }
    }

    @Test
    void q1_aTimestampOlderThan300SecondsIsExpiredButOneInTheFutureIsAccepted() throws IOException {
        start(false);
        Map<String, String> stale = signer.oauthParameters(now() - 400, "HMAC-SHA1");
        try (Response response = get(url("/target_images"), signer.header("GET", url("/target_images"), stale, List.of()))) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).startsWith("OAuth validation failed: Expired timestamp: given "
                    + stale.get("oauth_timestamp") + " and now ").endsWith(" has a greater difference than threshold 300");
        }
        Map<String, String> future = signer.oauthParameters(now() + 3600, "HMAC-SHA1");
        try (Response response = get(url("/target_images"), signer.header("GET", url("/target_images"), future, List.of()))) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    @Test
    void q1_aMissingSignatureAPlaintextMethodAndAnotherVersionAre500s() throws IOException {
        start(false);
        try (Response response = get(url("/target_images"), OAuthSigner.header(signer.oauthParameters(now(), "HMAC-SHA1")))) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo("OAuth validation failed: Missing oauth_signature.");
        }
        Map<String, String> plaintext = signer.oauthParameters(now(), "PLAINTEXT");
        plaintext.put("oauth_signature", OAuthSigner.encode(SECRET) + "&");
        try (Response response = get(url("/target_images"), OAuthSigner.header(plaintext))) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo(
                    "OAuth validation failed: Signature method PLAINTEXT not supported try one of the following: HMAC-SHA1");
        }
        Map<String, String> version = signer.oauthParameters(now(), "HMAC-SHA1");
        version.put("oauth_version", "1.1");
        try (Response response = get(url("/target_images"), signer.header("GET", url("/target_images"), version, List.of()))) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).isEqualTo("OAuth validation failed: OAuth version 1.1 not supported.");
        }
    }

    @Test
    void q1_aQueryStringSignedOnceBreaksTheSignatureUnlessStrictRfcIsOn() throws IOException {
        start(false);
        Map<String, String> oauth = signer.oauthParameters(now(), "HMAC-SHA1");
        List<String[]> once = List.<String[]>of(new String[] {"marker", "x"});
        String rfcHeader = signer.header("GET", url("/target_images"), oauth, once);
        try (Response response = get(url("/target_images?marker=x"), rfcHeader)) {
            assertThat(response.code()).isEqualTo(500);
            assertThat(response.body().string()).contains("Invalid signature").contains("marker%3Dx%26marker%3Dx");
        }
        // Counting it twice, as python-oauth2 1.5.211 did, passes.
        Map<String, String> again = signer.oauthParameters(now(), "HMAC-SHA1");
        List<String[]> twice = List.of(new String[] {"marker", "x"}, new String[] {"marker", "x"});
        try (Response response = get(url("/target_images?marker=x"), signer.header("GET", url("/target_images"), again, twice))) {
            assertThat(response.code()).isEqualTo(200);
        }
        factory.close();
        start(true);
        Map<String, String> strict = signer.oauthParameters(now(), "HMAC-SHA1");
        try (Response response = get(url("/target_images?marker=x"), signer.header("GET", url("/target_images"), strict, once))) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    @Test
    void q1_formFieldsAreSignedOnceAndTheNonceIsNeverChecked() throws IOException {
        start(false);
        String template = "<template><name>form</name></template>";
        String form = "target=ec2&template=" + URLEncoder.encode(template, StandardCharsets.UTF_8);
        Map<String, String> oauth = signer.oauthParameters(now(), "HMAC-SHA1");
        String header = signer.header("POST", url("/target_images"), oauth,
                List.of(new String[] {"target", "ec2"}, new String[] {"template", template}));
        for (int i = 0; i < 2; i++) { // the same nonce twice
            try (Response response = http.newCall(new Request.Builder().url(url("/target_images"))
                    .header("Authorization", header).post(RequestBody.create(form, FORM)).build()).execute()) {
                assertThat(response.code()).isEqualTo(202);
                assertThat(json.readTree(response.body().string()).at("/target_image/target").asText()).isEqualTo("ec2");
            }
        }
    }

    @Test
    void q1_oauthComesBeforeTheAcceptCheckAndTheTargetsRouteIsOpen() throws IOException {
        start(false);
        try (Response response = http.newCall(new Request.Builder().url(url("/target_images"))
                .header("Accept", "text/plain").build()).execute()) {
            assertThat(response.code()).isEqualTo(500);
        }
        try (Response response = http.newCall(new Request.Builder().url(url("/target_images"))
                .header("Accept", "text/plain").header("Authorization", signer.header("GET", url("/target_images")))
                .build()).execute()) {
            assertThat(response.code()).isEqualTo(406);
        }
        try (Response response = get(url("/targets"), null)) {
            assertThat(response.code()).isEqualTo(501);
        }
    }
}
