package io.buildq.sim.iwhd;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.sim.http.FaultSettings;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listings byte for byte as iwhd 0.96 printed them (template.c), tabs and newlines included. */
class IwhdListingShapesTest {

    private final OkHttpClient http = new OkHttpClient();
    private IwhdSimulator iwhd;
    private String host;

    @BeforeEach
    void start() throws IOException {
        iwhd = IwhdSimulator.builder().start();
        host = "127.0.0.1:" + iwhd.port();
        body("PUT", "/images", "", null);
        body("PUT", "/builds", "", null);
    }

    @AfterEach
    void stop() {
        iwhd.close();
    }

    @Test
    void theRootListsTheBucketsInCreationOrder() throws IOException {
        assertThat(body("GET", "/", null, null)).isEqualTo("""
                <api service="image_warehouse" version="0.96">
                \t<link rel="bucket_factory" href="http://%1$s/_new"/>
                \t<link rel="provider_list" href="http://%1$s/_providers"/>
                \t<link rel="bucket" href="http://%1$s/images"/>
                \t<link rel="bucket" href="http://%1$s/builds"/>
                </api>
                """.formatted(host));
        assertThat(body("GET", "/", null, "application/json")).isEqualTo("""
                {
                \t"service": "image_warehouse",
                \t"version": "0.96",
                \t"providers": [
                \t\t{"rel": "bucket_factory", "link": "http://%1$s/_new"},
                \t\t{"rel": "provider_list", "link": "http://%1$s/_providers"},
                \t\t{"rel": "bucket", "link": "http://%1$s/images"},
                \t\t{"rel": "bucket", "link": "http://%1$s/builds"}
                \t]
                }
                """.formatted(host));
    }

    @Test
    void theRootListsOnlyBucketsThatHaveADefaultDocument() throws IOException {
        // rest.c proxy_api_root lists the _bucket of every document keyed _default; create_bucket
        // writes that document, an attribute write into an uncreated bucket does not.
        try (Response orphan = call("POST", "/orphans", "_key=k&a=1", null)) {
            assertThat(orphan.code()).isEqualTo(200);
        }
        assertThat(body("GET", "/orphans", null, null)).contains("<key>k</key>");
        assertThat(body("GET", "/", null, null)).doesNotContain("/orphans\"");
        try (Response noBackendBucket = call("PUT", "/orphans/k", "x", null)) {
            assertThat(noBackendBucket.code()).isEqualTo(500);
        }

        // A _default attribute is enough (meta_set_value checks no key), and the order is the
        // order in which the _default documents appeared.
        try (Response policy = call("PUT", "/policies/_default/_policy", "0", null)) {
            assertThat(policy.code()).isEqualTo(201);
        }
        try (Response created = call("PUT", "/orphans", "", null)) {
            assertThat(created.code()).isEqualTo(201);
        }
        assertThat(body("GET", "/", null, null)).isEqualTo("""
                <api service="image_warehouse" version="0.96">
                \t<link rel="bucket_factory" href="http://%1$s/_new"/>
                \t<link rel="provider_list" href="http://%1$s/_providers"/>
                \t<link rel="bucket" href="http://%1$s/images"/>
                \t<link rel="bucket" href="http://%1$s/builds"/>
                \t<link rel="bucket" href="http://%1$s/policies"/>
                \t<link rel="bucket" href="http://%1$s/orphans"/>
                </api>
                """.formatted(host));
    }

    @Test
    void reservedNamesCannotBecomeBuckets() throws IOException {
        for (String name : java.util.List.of("_default", "_new", "_policy", "_query")) {
            try (Response put = call("PUT", "/" + name, "", null)) {
                assertThat(put.code()).as("PUT /%s", name).isEqualTo(400);
            }
            try (Response post = call("POST", "/_new", "name=" + name, null)) {
                assertThat(post.code()).as("POST /_new name=%s", name).isEqualTo(400);
            }
        }
        try (Response post = call("POST", "/_new", "name=_providers", null)) {
            assertThat(post.code()).isEqualTo(400);
        }
        try (Response created = call("POST", "/_new", "name=icicles", null)) {
            assertThat(created.code()).isEqualTo(201);
        }
        assertThat(body("GET", "/", null, null)).contains("/icicles\"").doesNotContain("/_default\"")
                .doesNotContain("/_policy\"").doesNotContain("/_query\"");
    }

    @Test
    void aBucketListingAndAQueryResultShareOneShape() throws IOException {
        assertThat(body("GET", "/builds", null, null)).isEqualTo("<objects>\n</objects>\n");
        body("PUT", "/builds/0b6a", "", null);
        body("POST", "/builds", "_key=attrs-only&image=i1", null);

        String expected = """
                <objects>
                \t<object>
                \t\t<bucket>builds</bucket>
                \t\t<key>0b6a</key>
                \t</object>
                \t<object>
                \t\t<bucket>builds</bucket>
                \t\t<key>attrs-only</key>
                \t</object>
                </objects>
                """;
        assertThat(body("GET", "/builds", null, null)).isEqualTo(expected);
        assertThat(body("POST", "/builds/_query", "$_bucket == \"builds\"", null)).isEqualTo(expected);
        assertThat(body("GET", "/builds", null, "application/json")).isEqualTo("""
                [
                \t{
                \t\t"bucket": "builds",
                \t\t"key": "0b6a"
                \t},
                \t{
                \t\t"bucket": "builds",
                \t\t"key": "attrs-only"
                \t}
                ]
                """);
    }

    @Test
    void theAttributeListingNamesAttributesInTheOrderTheyWereFirstSet() throws IOException {
        body("PUT", "/images/abc", "<image/>", null);
        body("PUT", "/images/abc/uuid", "abc", null);
        body("PUT", "/images/abc/environment", "default", null);
        body("PUT", "/images/abc/uuid", "abc", null);

        String expected = """
                <object>
                \t<object_body path="http://%1$s/images/abc"/>
                \t<object_attr_list path="http://%1$s/images/abc/_attrs"/>
                \t<object_attr name="uuid" path="http://%1$s/images/abc/uuid"/>
                \t<object_attr name="environment" path="http://%1$s/images/abc/environment"/>
                </object>
                """.formatted(host);
        assertThat(body("GET", "/images/abc/_attrs", null, null)).isEqualTo(expected);
        assertThat(body("POST", "/images/abc", "op=parts", null)).isEqualTo(expected);
    }

    @Test
    void responsesCarryNoContentTypeAndErrorsNoBody() throws IOException {
        try (Response listing = call("GET", "/images", null, null)) {
            assertThat(listing.header("Content-Type")).isNull();
        }
        try (Response missing = call("GET", "/nothing", null, null)) {
            assertThat(missing.code()).isEqualTo(404);
            assertThat(missing.body().string()).isEmpty();
        }
        try (Response created = call("PUT", "/images/k", "x", null)) {
            assertThat(created.code()).isEqualTo(201);
            assertThat(created.header("ETag")).matches("[0-9a-f]{16}");
        }
        try (Response missingBucket = call("PUT", "/nobucket/k", "x", null)) {
            assertThat(missingBucket.code()).isEqualTo(500);
        }
    }

    @Test
    void faultsAreSetAndReadThroughTheAdminEndpoint() throws IOException {
        assertThat(body("POST", "/_sim/faults", "{\"errorRate\": 1.0, \"seed\": 3}", null)).contains("\"errorRate\":1.0");
        try (Response failing = call("GET", "/images", null, null)) {
            assertThat(failing.code()).isEqualTo(500);
            assertThat(failing.body().string()).isEmpty();
        }
        try (Response bad = call("POST", "/_sim/faults", "{\"errorRate\": 2}", null)) {
            assertThat(bad.code()).isEqualTo(400);
        }
        body("DELETE", "/_sim/faults", null, null);
        try (Response healed = call("GET", "/images", null, null)) {
            assertThat(healed.code()).isEqualTo(200);
        }
        assertThat(iwhd.faults().settings()).isEqualTo(FaultSettings.none());
    }

    private String body(String method, String path, String body, String accept) throws IOException {
        try (Response response = call(method, path, body, accept)) {
            return response.body().string();
        }
    }

    private Response call(String method, String path, String body, String accept) throws IOException {
        Request.Builder request = new Request.Builder().url(iwhd.baseUrl() + path)
                .method(method, body == null ? null : RequestBody.create(body, MediaType.get("application/x-www-form-urlencoded")));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.newCall(request.build()).execute();
    }
}
