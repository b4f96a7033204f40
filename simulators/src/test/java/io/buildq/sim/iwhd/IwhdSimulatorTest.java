package io.buildq.sim.iwhd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator answers as iwhd 0.96 did (iwhd-api.md, sections 2, 3 and 5). */
class IwhdSimulatorTest {

    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private final OkHttpClient http = new OkHttpClient();
    private IwhdSimulator iwhd;

    @BeforeEach
    void start() {
        iwhd = IwhdSimulator.builder().start();
    }

    @AfterEach
    void stop() {
        iwhd.close();
    }

    @Test
    void aBucketIsCreatedWith201AndADuplicateGets500() throws IOException {
        assertThat(call("PUT", "/builds", "").code()).isEqualTo(201);
        assertThat(call("PUT", "/builds", "").code()).isEqualTo(500);
        try (Response root = call("GET", "/", null)) {
            assertThat(root.header("Content-Type")).isNull();
            assertThat(root.body().string()).contains("<api service=\"image_warehouse\" version=\"0.96\">")
                    .contains("rel=\"bucket\" href=\"http://127.0.0.1:" + iwhd.port() + "/builds\"");
        }
    }

    @Test
    void attributesAreStoredRawAndAnAttributesOnlyObjectHasNoBody() throws IOException {
        call("PUT", "/images", "");
        assertThat(call("PUT", "/images/abc/environment", "content=x").code()).isEqualTo(201);

        try (Response value = call("GET", "/images/abc/environment", null)) {
            assertThat(value.body().string()).isEqualTo("content=x");
        }
        assertThat(call("GET", "/images/abc", null).code()).isEqualTo(404);
        assertThat(call("PUT", "/images/abc/_key", "x").code()).isEqualTo(400);
        assertThat(call("PUT", "/images/_default", "x").code()).isEqualTo(403);
        assertThat(call("GET", "/images/abc/a/b", null).code()).isEqualTo(404);
    }

    @Test
    void routingAnswers404ForWhatIwhdCouldNotRoute() throws IOException {
        call("PUT", "/images", "").close();
        assertThat(call("GET", "/images/" + "k".repeat(64), null).code()).isEqualTo(404);
        assertThat(call("GET", "/images/a/b/c", null).code()).isEqualTo(404);
        assertThat(call("DELETE", "/images", null).code()).isEqualTo(404);
        assertThat(call("HEAD", "/images", null).code()).isEqualTo(404);
    }

    @Test
    void aBodyIsServedWithItsEtagAndA304WhenTheClientHasIt() throws IOException {
        call("PUT", "/images", "").close();
        String etag;
        try (Response put = call("PUT", "/images/k", "<image/>")) {
            etag = put.header("ETag");
        }
        try (Response conditional = http.newCall(new Request.Builder().url(iwhd.baseUrl() + "/images/k")
                .header("If-None-Match", etag).build()).execute()) {
            assertThat(conditional.code()).isEqualTo(304);
        }
    }

    @Test
    void anEmptyAttributeBodyDropsTheConnectionAsIwhdDid() throws IOException {
        call("PUT", "/images", "").close();
        OkHttpClient noRetries = http.newBuilder().retryOnConnectionFailure(false).build();
        assertThatThrownBy(() -> noRetries.newCall(new Request.Builder().url(iwhd.baseUrl() + "/images/k/uuid")
                .put(RequestBody.create(new byte[0])).build()).execute().close()).isInstanceOf(IOException.class);
    }

    @Test
    void aQueryMatchingOnlyTheHiddenDefaultObjectIsAnEmpty200() throws IOException {
        call("PUT", "/t", "").close();
        form("/t", "_key=one&a=1");
        try (Response response = call("POST", "/t/_query", "$_key == \"_default\"")) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.body().string()).isEqualTo("<objects>\n</objects>\n");
        }
    }

    @Test
    void queriesKeepIwhdsQuirks() throws IOException {
        call("PUT", "/t", "");
        form("/t", "_key=one&a=1&b=x&c=007");
        form("/t", "_key=two&a=2&b=y&c=8");

        // && and || have equal precedence: this is ($a == "1" || $b == "y") && $c == "8".
        assertThat(query("$a == \"1\" || $b == \"y\" && $c == \"8\"")).contains("<key>two</key>").doesNotContain("<key>one</key>");
        // Digit strings compare as numbers.
        assertThat(query("$c == \"7\"")).contains("<key>one</key>");
        // A missing attribute reads as "".
        assertThat(query("$missing == \"\"")).contains("<key>one</key>").contains("<key>two</key>");
        // No match: 404 with an empty body.
        try (Response none = call("POST", "/t/_query", "$a == \"3\"")) {
            assertThat(none.code()).isEqualTo(404);
            assertThat(none.body().string()).isEmpty();
        }
        // A syntax error turns filtering off.
        assertThat(query("$a = \"1\"")).contains("<key>one</key>").contains("<key>two</key>");
    }

    @Test
    void aStrictSimulatorRefusesQueriesThatDoNotParse() throws IOException {
        try (IwhdSimulator strict = IwhdSimulator.builder().strictQueries(true).start()) {
            iwhd.close();
            iwhd = strict;
            call("PUT", "/t", "");
            form("/t", "_key=one&a=1");
            assertThat(call("POST", "/t/_query", "$A == \"1\"").code()).isEqualTo(400);
        }
    }

    private String query(String expression) throws IOException {
        try (Response response = call("POST", "/t/_query", expression)) {
            assertThat(response.code()).isEqualTo(200);
            return response.body().string();
        }
    }

    private void form(String path, String body) throws IOException {
        try (Response response = call("POST", path, body)) {
            assertThat(response.code()).isEqualTo(200);
        }
    }

    private Response call(String method, String path, String body) throws IOException {
        RequestBody requestBody = body == null ? null : RequestBody.create(body, FORM);
        return http.newCall(new Request.Builder().url(iwhd.baseUrl() + path).method(method, requestBody).build()).execute();
    }
}
