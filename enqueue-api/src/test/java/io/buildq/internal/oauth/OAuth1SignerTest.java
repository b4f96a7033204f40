package io.buildq.internal.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.sim.iwhd.IwhdSimulator;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * The signer against the worked examples published with the OAuth specifications, then its two
 * modes: Image Factory's (form fields signed, other bodies hashed; real-install-notes.md Q1) and
 * iwhd's (nothing of the body; Q2), the latter also against the iwhd simulator over HTTP.
 */
class OAuth1SignerTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_320_766_154), ZoneOffset.UTC);
    private static final Pattern PARAM = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    @Test
    void signsRfc5849Section1Point2sExample() {
        // RFC 5849 section 1.2: GET http://photos.example.net/photos?file=vacation.jpg&size=original
        List<String[]> params = List.of(
                new String[] {"file", "vacation.jpg"}, new String[] {"size", "original"},
                new String[] {"oauth_consumer_key", "dpf43f3p2l4k3l03"}, new String[] {"oauth_token", "nnch734d00sl2jdk"},
                new String[] {"oauth_signature_method", "HMAC-SHA1"}, new String[] {"oauth_timestamp", "137131202"},
                new String[] {"oauth_nonce", "chapoH"});

        assertThat(OAuth1Signer.signature("GET", "http://photos.example.net/photos", params, "kd94hf93k423kf44",
                "pfkkdhi9sl3r4s00")).isEqualTo("MdpQcU8iPSUjWoN/UDMsK2sui9I=");
    }

    @Test
    void signsTheOAuthCore10AppendixAExample() {
        // OAuth Core 1.0, appendix A.5: the same request with oauth_version and another nonce and time.
        List<String[]> params = List.of(
                new String[] {"file", "vacation.jpg"}, new String[] {"size", "original"},
                new String[] {"oauth_consumer_key", "dpf43f3p2l4k3l03"}, new String[] {"oauth_token", "nnch734d00sl2jdk"},
                new String[] {"oauth_signature_method", "HMAC-SHA1"}, new String[] {"oauth_timestamp", "1191242096"},
                new String[] {"oauth_nonce", "kllo9940pd9333jh"}, new String[] {"oauth_version", "1.0"});

        assertThat(OAuth1Signer.signature("GET", "http://photos.example.net/photos", params, "kd94hf93k423kf44",
                "pfkkdhi9sl3r4s00")).isEqualTo("tR3+Ty81lMeYAr/Fid0kMTYa/WM=");
    }

    @Test
    void theBaseUrlDropsDefaultPortsAndLowerCasesTheHost() {
        assertThat(OAuth1Signer.baseUrl(HttpUrl.get("HTTP://Factory.Example:80/imagefactory/target_images?x=1")))
                .isEqualTo("http://factory.example/imagefactory/target_images");
        assertThat(OAuth1Signer.baseUrl(HttpUrl.get("http://factory:8075/imagefactory")))
                .isEqualTo("http://factory:8075/imagefactory");
    }

    @Test
    void encodesReservedCharactersAsRfc3986Says() {
        assertThat(OAuth1Signer.encode("a b+c/~é")).isEqualTo("a%20b%2Bc%2F~%C3%A9");
    }

    @Test
    void forIwhdSignsTheQueryAndOAuthParamsButNoFormFields() throws IOException {
        Request request = new Request.Builder().url("http://iwhd.example:9090/images?x=1")
                .post(new FormBody.Builder().add("_key", "k").add("uuid", "k").build()).build();

        Map<String, String> header = header(OAuth1Signer.forIwhd("conductor", "s3cret", CLOCK)
                .authorization(request, "n1", 1_320_766_154));

        assertThat(header).doesNotContainKey("oauth_body_hash");
        assertThat(header.get("oauth_signature")).isEqualTo(OAuth1Signer.signature("POST",
                "http://iwhd.example:9090/images", signedParams(header, "x", "1"), "s3cret", ""));
    }

    @Test
    void forIwhdNeitherReadsNorHashesARawBody() throws IOException {
        for (RequestBody body : List.of(RequestBody.create("$uuid == \"k\"", FORM),
                RequestBody.create(new byte[] {1, 2, 3}, MediaType.get("application/octet-stream")))) {
            Request request = new Request.Builder().url("http://iwhd.example:9090/images/_query").post(body).build();

            Map<String, String> header = header(OAuth1Signer.forIwhd("conductor", "s3cret", CLOCK)
                    .authorization(request, "n1", 1_320_766_154));

            assertThat(header).doesNotContainKey("oauth_body_hash");
            assertThat(header.get("oauth_signature")).isEqualTo(OAuth1Signer.signature("POST",
                    "http://iwhd.example:9090/images/_query", signedParams(header), "s3cret", ""));
        }
    }

    @Test
    void forImageFactorySignsFormFields() throws IOException {
        Request request = new Request.Builder().url("http://factory.example:8075/imagefactory/target_images")
                .post(new FormBody.Builder().add("target", "ec2").build()).build();

        Map<String, String> header = header(OAuth1Signer.forImageFactory("mock-key", "mock-secret", CLOCK)
                .authorization(request, "n1", 1_320_766_154));

        assertThat(header).doesNotContainKey("oauth_body_hash");
        assertThat(header.get("oauth_signature")).isEqualTo(OAuth1Signer.signature("POST",
                "http://factory.example:8075/imagefactory/target_images", signedParams(header, "target", "ec2"),
                "mock-secret", ""));
    }

    @Test
    void forImageFactoryHashesAJsonBodyInsteadOfSigningIt() throws IOException, NoSuchAlgorithmException {
        String json = "{\"target\": \"ec2\"}";
        Request request = new Request.Builder().url("http://factory.example:8075/imagefactory/target_images")
                .post(RequestBody.create(json, MediaType.get("application/json"))).build();

        Map<String, String> header = header(OAuth1Signer.forImageFactory("mock-key", "mock-secret", CLOCK)
                .authorization(request, "n1", 1_320_766_154));

        assertThat(header.get("oauth_body_hash")).isEqualTo(Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-1").digest(json.getBytes(StandardCharsets.UTF_8))));
        assertThat(header.get("oauth_signature")).isEqualTo(OAuth1Signer.signature("POST",
                "http://factory.example:8075/imagefactory/target_images", signedParams(header), "mock-secret", ""));
    }

    @Test
    void theConstructorSignsForImageFactory() throws IOException {
        Request request = new Request.Builder().url("http://factory.example:8075/imagefactory/target_images")
                .post(new FormBody.Builder().add("target", "ec2").build()).build();

        assertThat(new OAuth1Signer("mock-key", "mock-secret", CLOCK).authorization(request, "n1", 7))
                .isEqualTo(OAuth1Signer.forImageFactory("mock-key", "mock-secret", CLOCK).authorization(request, "n1", 7))
                .isNotEqualTo(OAuth1Signer.forIwhd("mock-key", "mock-secret", CLOCK).authorization(request, "n1", 7));
    }

    @Test
    void anIwhdSimulatorRequiringOAuthAcceptsForIwhdSignaturesOverHttp() throws IOException {
        try (IwhdSimulator iwhd = IwhdSimulator.builder().oauthClient("conductor", "s3cret").start()) {
            OkHttpClient signed = new OkHttpClient.Builder()
                    .addInterceptor(OAuth1Signer.forIwhd("conductor", "s3cret", Clock.systemUTC())).build();

            assertThat(code(signed, new Request.Builder().url(iwhd.baseUrl() + "/images").put(RequestBody.create("", FORM))))
                    .isEqualTo(201);
            assertThat(code(signed, new Request.Builder().url(iwhd.baseUrl() + "/images")
                    .post(new FormBody.Builder().add("_key", "k").add("uuid", "k").build()))).isEqualTo(200);
            assertThat(code(signed, new Request.Builder().url(iwhd.baseUrl() + "/images/k")
                    .put(RequestBody.create(new byte[] {1, 2, 3}, MediaType.get("application/octet-stream"))))).isEqualTo(201);
            assertThat(code(signed, new Request.Builder().url(iwhd.baseUrl() + "/images/_query")
                    .post(RequestBody.create("$uuid == \"k\"", FORM)))).isEqualTo(200);
            assertThat(code(signed, new Request.Builder().url(iwhd.baseUrl() + "/images/k/uuid?x=1"))).isEqualTo(200);
            assertThat(iwhd.attributes("images", "k")).contains(Map.of("uuid", "k"));
        }
    }

    @Test
    void anIwhdSimulatorRequiringOAuthRefusesAFactoryStyleSignatureOverAForm() throws IOException {
        try (IwhdSimulator iwhd = IwhdSimulator.builder().oauthClient("conductor", "s3cret").start()) {
            OkHttpClient factoryStyle = new OkHttpClient.Builder()
                    .addInterceptor(OAuth1Signer.forImageFactory("conductor", "s3cret", Clock.systemUTC())).build();

            assertThat(code(factoryStyle, new Request.Builder().url(iwhd.baseUrl() + "/images")
                    .put(RequestBody.create("", FORM)))).isEqualTo(201);
            assertThat(code(factoryStyle, new Request.Builder().url(iwhd.baseUrl() + "/images")
                    .post(new FormBody.Builder().add("_key", "k").add("uuid", "k").build()))).isEqualTo(401);
        }
    }

    private static int code(OkHttpClient http, Request.Builder request) throws IOException {
        try (Response response = http.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    /** The header's params, percent-decoded. */
    private static Map<String, String> header(String authorization) {
        assertThat(authorization).startsWith("OAuth ");
        Map<String, String> params = new LinkedHashMap<>();
        Matcher matcher = PARAM.matcher(authorization);
        while (matcher.find()) {
            params.put(matcher.group(1), URLDecoder.decode(matcher.group(2).replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return params;
    }

    /** The header's params but the signature, plus the given name/value pairs. */
    private static List<String[]> signedParams(Map<String, String> header, String... more) {
        List<String[]> params = new ArrayList<>();
        header.forEach((name, value) -> {
            if (!name.equals("oauth_signature")) {
                params.add(new String[] {name, value});
            }
        });
        for (int i = 0; i < more.length; i += 2) {
            params.add(new String[] {more[i], more[i + 1]});
        }
        return params;
    }
}
