package io.buildq.internal.iwhd;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A client of iwhd 0.96's REST API, as Image Factory and aeolus-image used it: buckets, object
 * bodies, string attributes and queries. Listings are read as XML (iwhd's JSON attribute listing is
 * malformed); a 404 from a query means "no match", not an error.
 */
public final class IwhdClient {

    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    /** @param baseUrl the service root, e.g. {@code http://localhost:9090} */
    public IwhdClient(OkHttpClient http, String baseUrl) {
        this.http = Objects.requireNonNull(http, "http");
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.baseUrl = parsed;
    }

    /** Bucket names, from the root listing. */
    public List<String> buckets() {
        Document root = xml(send("GET", url(), null, 200));
        List<String> names = new ArrayList<>();
        NodeList links = root.getElementsByTagName("link");
        for (int i = 0; i < links.getLength(); i++) {
            Element link = (Element) links.item(i);
            if ("bucket".equals(link.getAttribute("rel"))) {
                String href = link.getAttribute("href");
                names.add(href.substring(href.lastIndexOf('/') + 1));
            }
        }
        return names;
    }

    /**
     * Creates a bucket if it is missing. iwhd answers a duplicate with 500, as for a real failure, so
     * this first checks the root listing, then tolerates a 500 only if the bucket now exists.
     */
    public void ensureBucket(String bucket) {
        // iwhd has no bucket delete: once seen, a bucket stays, and the root listing need not be read again.
        if (knownBuckets.contains(bucket)) {
            return;
        }
        if (buckets().contains(bucket)) {
            knownBuckets.add(bucket);
            return;
        }
        try {
            send("PUT", url(bucket), RequestBody.create(new byte[0], OCTETS), 201);
        } catch (IwhdException e) {
            if (e.status() != 500 || !buckets().contains(bucket)) {
                throw e;
            }
        }
        knownBuckets.add(bucket);
    }

    /** Stores (or replaces) an object's body; the body may be empty. */
    public void putObject(String bucket, String key, byte[] body) {
        send("PUT", url(bucket, key), RequestBody.create(body, OCTETS), 201);
    }

    /** An object's body, or empty if it has none. */
    public Optional<byte[]> getObject(String bucket, String key) {
        try (Response response = execute("GET", url(bucket, key), null)) {
            if (response.code() == 404) {
                return Optional.empty();
            }
            expect(response, "GET", 200);
            return Optional.of(response.body().bytes());
        } catch (IOException e) {
            throw unreachable("GET", url(bucket, key), e);
        }
    }

    /** Deletes an object's body and all its attributes; false if it had no body (iwhd's 404). */
    public boolean deleteObject(String bucket, String key) {
        try (Response response = execute("DELETE", url(bucket, key), null)) {
            if (response.code() == 404) {
                return false;
            }
            expect(response, "DELETE", 200);
            return true;
        }
    }

    /** One attribute's value, or empty if the object or attribute is missing (or empty). */
    public Optional<String> getAttribute(String bucket, String key, String attribute) {
        try (Response response = execute("GET", url(bucket, key, attribute), null)) {
            if (response.code() == 404) {
                return Optional.empty();
            }
            expect(response, "GET", 200);
            return Optional.of(response.body().string());
        } catch (IOException e) {
            throw unreachable("GET", url(bucket, key, attribute), e);
        }
    }

    /** Sets one attribute; iwhd stores the body verbatim and refuses an empty value. */
    public void putAttribute(String bucket, String key, String attribute, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("iwhd cannot store an empty value for '" + attribute + "'");
        }
        send("PUT", url(bucket, key, attribute), RequestBody.create(value, MediaType.get("text/plain")), 201);
    }

    /** Sets several attributes in one form POST (creating an attributes-only object if needed). */
    public void setAttributes(String bucket, String key, Map<String, String> attributes) {
        FormBody.Builder form = new FormBody.Builder().add("_key", key);
        attributes.forEach(form::add);
        send("POST", url(bucket), form.build(), 200);
    }

    /** Attribute names of an object, in the order they were first set; empty if it does not exist. */
    public List<String> attributeNames(String bucket, String key) {
        RequestBody body = new FormBody.Builder().add("op", "parts").build();
        try (Response response = execute("POST", url(bucket, key), body)) {
            if (response.code() == 404) {
                return List.of();
            }
            expect(response, "POST", 200);
            Document listing = parse(response.body().string());
            NodeList attrs = listing.getElementsByTagName("object_attr");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < attrs.getLength(); i++) {
                names.add(((Element) attrs.item(i)).getAttribute("name"));
            }
            return names;
        } catch (IOException e) {
            throw unreachable("POST", url(bucket, key), e);
        }
    }

    /** Keys of the objects in {@code bucket} that match; iwhd's 404 for "no match" is an empty list. */
    public List<String> query(String bucket, IwhdQuery query) {
        RequestBody body = RequestBody.create(query.expression(), FORM);
        try (Response response = execute("POST", url(bucket, "_query"), body)) {
            if (response.code() == 404) {
                return List.of();
            }
            expect(response, "POST", 200);
            Document listing = parse(response.body().string());
            NodeList keys = listing.getElementsByTagName("key");
            List<String> result = new ArrayList<>();
            for (int i = 0; i < keys.getLength(); i++) {
                result.add(keys.item(i).getTextContent());
            }
            return result;
        } catch (IOException e) {
            throw unreachable("POST", url(bucket, "_query"), e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private HttpUrl url(String... segments) {
        HttpUrl.Builder builder = baseUrl.newBuilder();
        for (String segment : segments) {
            builder.addPathSegment(segment);
        }
        return builder.build();
    }

    private String send(String method, HttpUrl url, RequestBody body, int expected) {
        try (Response response = execute(method, url, body)) {
            expect(response, method, expected);
            return response.body().string();
        } catch (IOException e) {
            throw unreachable(method, url, e);
        }
    }

    private Response execute(String method, HttpUrl url, RequestBody body) {
        Request request = new Request.Builder().url(url).method(method, body).build();
        try {
            return http.newCall(request).execute();
        } catch (IOException e) {
            throw unreachable(method, url, e);
        }
    }

    private static void expect(Response response, String method, int expected) {
        if (response.code() != expected) {
            throw new IwhdException("iwhd answered " + response.code() + " to " + method + " "
                    + response.request().url().encodedPath() + " (expected " + expected + ")", response.code());
        }
    }

    private static IwhdException unreachable(String method, HttpUrl url, IOException cause) {
        return new IwhdException("iwhd could not be reached for " + method + " " + url + ": " + cause.getMessage(), cause);
    }

    private static Document xml(String text) {
        return parse(text);
    }

    private static Document parse(String text) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new InputSource(new StringReader(text)));
        } catch (Exception e) {
            throw new IwhdException("iwhd sent a listing that is not XML: " + e.getMessage(), e);
        }
    }
}
