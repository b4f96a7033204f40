package io.buildq.sim.iwhd;

import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.Faults;
import io.buildq.sim.http.FormFields;
import io.buildq.sim.http.SimulatorBuilder;
import io.buildq.sim.http.SimulatorServer;
import io.buildq.sim.http.SimulatorSettings;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * iwhd 0.96 over real HTTP, for tests and the demo: buckets, object bodies, string attributes and
 * {@code _query}, with the status codes, XML shapes and quirks of {@code shared/reference/iwhd-api.md}
 * section 5 (404 for an empty query result, 500 for a duplicate bucket, no Content-Type, empty error
 * bodies). Two-legged OAuth, as Aeolus ran iwhd, can be required ({@link Builder#oauthClient}).
 * Replication and providers are not simulated.
 */
public final class IwhdSimulator implements AutoCloseable {

    /** Keys a body PUT refuses (rest.c validate_url; {@code _query} routes to the query instead). */
    private static final Set<String> RESERVED_KEYS = Set.of("_default", "_new", "_policy");
    /** Bucket names create_bucket refuses with 400 (rest.c reserved_name and reserved_bucket_name). */
    private static final Set<String> RESERVED_BUCKETS = Set.of("_default", "_new", "_policy", "_query", "_providers");
    private static final Set<String> RESERVED_ATTRIBUTES =
            Set.of("_attrs", "_bucket", "_date", "_etag", "_key", "_loc", "_size");

    private final IwhdStore store = new IwhdStore();
    private final Faults faults = new Faults();
    private final IwhdOAuthVerifier oauth;
    private final boolean strictQueries;
    private final SimulatorServer server;

    private IwhdSimulator(SimulatorSettings settings, boolean strictQueries) {
        this.strictQueries = strictQueries;
        this.faults.set(settings.faults());
        this.oauth = settings.oauthClients().isEmpty() ? null : new IwhdOAuthVerifier(settings.oauthClients());
        this.server = SimulatorServer.start("iwhd-sim", settings.address(), settings.port(), faults, "", this::handle);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The service root, e.g. {@code http://127.0.0.1:9090}. */
    public String baseUrl() {
        return "http://" + server.host() + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** Requests being handled now, for a test that waits for writes still on their way. */
    public int requestsInFlight() {
        return server.requestsInFlight();
    }

    /** The faults injected now; change them at run time with {@link Faults#set}. */
    public Faults faults() {
        return faults;
    }

    /** What the warehouse holds, for assertions: attributes of one object, or empty if absent. */
    public Optional<Map<String, String>> attributes(String bucket, String key) {
        return store.attributes(bucket, key);
    }

    /** Keys of the objects in a bucket, in creation order; empty if the bucket does not exist. */
    public List<String> keys(String bucket) {
        return store.keys(bucket).orElse(List.of());
    }

    @Override
    public void close() {
        server.close();
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        if (oauth != null && !oauth.accepts(exchange)) {
            // ASSUMPTION: Aeolus's iwhd (-o -u users.js) refused unsigned or badly signed requests,
            // but iwhd 1.x's source could not be found (real-install-notes.md Q2), so neither its
            // status nor its body is known: 401 with an empty body, like iwhd's other errors.
            empty(exchange, 401);
            return;
        }
        String rawPath = exchange.getRequestURI().getRawPath();
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment, StandardCharsets.UTF_8));
            }
        }
        if (rawPath.contains("../") || segments.size() > 3 || segments.stream().anyMatch(s -> s.length() >= 64)) {
            empty(exchange, 404);
            return;
        }
        String method = exchange.getRequestMethod();
        switch (segments.size()) {
            case 0 -> root(exchange, method);
            case 1 -> bucket(exchange, method, segments.get(0));
            case 2 -> object(exchange, method, segments.get(0), segments.get(1));
            default -> attribute(exchange, method, segments.get(0), segments.get(1), segments.get(2));
        }
    }

    /**
     * rest.c proxy_api_root: the two fake buckets, then the buckets that have a {@code _default}
     * document ({@link IwhdStore#listedBuckets}).
     */
    private void root(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("GET")) {
            empty(exchange, method.equals("POST") ? 400 : 404);
            return;
        }
        String host = "http://" + host(exchange);
        if (wantsJson(exchange)) {
            StringBuilder json = new StringBuilder("{\n\t\"service\": \"image_warehouse\",\n\t\"version\": \"0.96\",\n\t\"providers\": [\n");
            List<String> links = new ArrayList<>();
            links.add("\t\t{\"rel\": \"bucket_factory\", \"link\": \"" + host + "/_new\"}");
            links.add("\t\t{\"rel\": \"provider_list\", \"link\": \"" + host + "/_providers\"}");
            for (String bucket : store.listedBuckets()) {
                links.add("\t\t{\"rel\": \"bucket\", \"link\": \"" + host + "/" + bucket + "\"}");
            }
            json.append(String.join(",\n", links)).append("\n\t]\n}\n");
            text(exchange, 200, json.toString());
            return;
        }
        StringBuilder xml = new StringBuilder("<api service=\"image_warehouse\" version=\"0.96\">\n");
        xml.append("\t<link rel=\"bucket_factory\" href=\"").append(host).append("/_new\"/>\n");
        xml.append("\t<link rel=\"provider_list\" href=\"").append(host).append("/_providers\"/>\n");
        for (String bucket : store.listedBuckets()) {
            xml.append("\t<link rel=\"bucket\" href=\"").append(host).append('/').append(bucket).append("\"/>\n");
        }
        text(exchange, 200, xml.append("</api>\n").toString());
    }

    private void bucket(HttpExchange exchange, String method, String bucket) throws IOException {
        switch (method) {
            case "PUT" -> {
                if (bucket.equals("_providers")) {
                    empty(exchange, 404); // rest.c parse_url makes it URL_PROVLIST, which has no PUT rule
                } else {
                    createBucket(exchange, bucket);
                }
            }
            case "GET" -> {
                Optional<List<String>> keys = store.keys(bucket);
                if (keys.isEmpty()) {
                    empty(exchange, 404);
                } else {
                    listing(exchange, bucket, keys.get());
                }
            }
            case "POST" -> {
                // rest.c proxy_bucket_post: a _key field wins, even on /_new.
                Map<String, String> form = form(exchange);
                String key = form.remove("_key");
                if (key == null && bucket.equals("_new") && form.containsKey("name")) {
                    createBucket(exchange, form.get("name"));
                    return;
                }
                if (key == null || form.keySet().stream().anyMatch(RESERVED_ATTRIBUTES::contains)) {
                    empty(exchange, 400);
                    return;
                }
                store.setAttributes(bucket, key, form);
                empty(exchange, 200);
            }
            default -> empty(exchange, 404);
        }
    }

    /** rest.c create_bucket. */
    private void createBucket(HttpExchange exchange, String name) throws IOException {
        if (RESERVED_BUCKETS.contains(name)) {
            empty(exchange, 400);
        } else {
            empty(exchange, store.createBucket(name) ? 201 : 500);
        }
    }

    private void object(HttpExchange exchange, String method, String bucket, String key) throws IOException {
        if (key.equals("_query")) {
            if (!method.equals("POST")) {
                empty(exchange, 404);
                return;
            }
            query(exchange, bucket, new String(SimulatorServer.readBody(exchange), StandardCharsets.UTF_8));
            return;
        }
        switch (method) {
            case "PUT" -> {
                if (RESERVED_KEYS.contains(key)) {
                    empty(exchange, 403);
                    return;
                }
                Optional<String> etag = store.putBody(bucket, key, SimulatorServer.readBody(exchange));
                if (etag.isEmpty()) {
                    empty(exchange, 500);
                } else {
                    exchange.getResponseHeaders().set("ETag", etag.get());
                    empty(exchange, 201);
                }
            }
            case "GET" -> {
                Optional<IwhdStore.Body> body = store.body(bucket, key);
                if (body.isEmpty()) {
                    empty(exchange, 404);
                } else if (body.get().etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    empty(exchange, 304);
                } else {
                    exchange.getResponseHeaders().set("ETag", body.get().etag());
                    SimulatorServer.send(exchange, 200, null, body.get().bytes());
                }
            }
            case "DELETE" -> empty(exchange, store.delete(bucket, key) ? 200 : 404);
            case "POST" -> {
                Map<String, String> form = form(exchange);
                String op = form.get("op");
                if (op == null) {
                    text(exchange, 400, "missing op\n");
                } else if (op.equals("parts")) {
                    attributeListing(exchange, bucket, key);
                } else if (op.equals("push")) {
                    empty(exchange, 200);
                } else {
                    text(exchange, 400, "unknown op\n");
                }
            }
            default -> empty(exchange, 404);
        }
    }

    private void attribute(HttpExchange exchange, String method, String bucket, String key, String name)
            throws IOException {
        if (name.equals("_attrs")) {
            if (method.equals("GET")) {
                attributeListing(exchange, bucket, key);
            } else {
                empty(exchange, 404);
            }
            return;
        }
        switch (method) {
            case "GET" -> {
                Optional<String> value = store.attribute(bucket, key, name);
                if (value.isEmpty() || value.get().isEmpty()) {
                    empty(exchange, 404);
                } else {
                    text(exchange, 200, value.get());
                }
            }
            case "PUT" -> {
                if (RESERVED_ATTRIBUTES.contains(name)) {
                    empty(exchange, 400);
                    return;
                }
                String value = new String(SimulatorServer.readBody(exchange), StandardCharsets.UTF_8);
                String header = exchange.getRequestHeaders().getFirst("X-redhat-value");
                if (value.isEmpty() && header != null) {
                    value = header;
                }
                if (value.isEmpty()) {
                    // Real iwhd drops the connection here; closing without a response is the nearest.
                    exchange.getResponseBody().close();
                    return;
                }
                store.setAttributes(bucket, key, Map.of(name, value));
                empty(exchange, 201);
            }
            default -> empty(exchange, 404);
        }
    }

    private void query(HttpExchange exchange, String bucket, String expression) throws IOException {
        IwhdQuery query;
        try {
            query = IwhdQuery.parse(expression);
        } catch (IwhdQuery.SyntaxError e) {
            if (strictQueries) {
                text(exchange, 400, "syntax error: " + e.getMessage() + "\n");
                return;
            }
            query = null; // real iwhd stops filtering: everything matches
        }
        Optional<IwhdStore.QueryResult> result = store.query(bucket, query);
        if (result.isEmpty() || !result.get().anyMatch()) {
            empty(exchange, 404);
            return;
        }
        listing(exchange, bucket, result.get().keys());
    }

    private void listing(HttpExchange exchange, String bucket, List<String> keys) throws IOException {
        if (wantsJson(exchange)) {
            List<String> entries = new ArrayList<>();
            for (String key : keys) {
                entries.add("\t{\n\t\t\"bucket\": \"" + bucket + "\",\n\t\t\"key\": \"" + key + "\"\n\t}");
            }
            text(exchange, 200, "[\n" + String.join(",\n", entries) + "\n]\n");
            return;
        }
        StringBuilder xml = new StringBuilder("<objects>\n");
        for (String key : keys) {
            xml.append("\t<object>\n\t\t<bucket>").append(bucket).append("</bucket>\n\t\t<key>")
                    .append(key).append("</key>\n\t</object>\n");
        }
        text(exchange, 200, xml.append("</objects>\n").toString());
    }

    private void attributeListing(HttpExchange exchange, String bucket, String key) throws IOException {
        Optional<Map<String, String>> attributes = store.attributes(bucket, key);
        if (attributes.isEmpty()) {
            empty(exchange, 404);
            return;
        }
        String base = "http://" + host(exchange) + "/" + bucket + "/" + key;
        StringBuilder xml = new StringBuilder("<object>\n");
        xml.append("\t<object_body path=\"").append(base).append("\"/>\n");
        xml.append("\t<object_attr_list path=\"").append(base).append("/_attrs\"/>\n");
        for (String name : attributes.get().keySet()) {
            xml.append("\t<object_attr name=\"").append(name).append("\" path=\"").append(base).append('/')
                    .append(name).append("\"/>\n");
        }
        text(exchange, 200, xml.append("</object>\n").toString());
    }

    // ---------------------------------------------------------------- helpers

    private static boolean wantsJson(HttpExchange exchange) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        return accept != null && accept.contains("/json");
    }

    private static String host(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host != null ? host : exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort();
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        return FormFields.parse(new String(SimulatorServer.readBody(exchange), StandardCharsets.UTF_8));
    }

    private static void empty(HttpExchange exchange, int status) throws IOException {
        SimulatorServer.send(exchange, status, null, new byte[0]);
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        SimulatorServer.send(exchange, status, null, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Configures a simulator; every setting has a default fit for tests. {@link #oauthClient} requires
     * two-legged OAuth 1.0 as Aeolus ran iwhd ({@code -o -u users.js}), off by default as in iwhd 0.96:
     * every request must carry an HMAC-SHA1 {@code Authorization: OAuth} header by a configured
     * consumer, signed over method, URL and oauth params but never the body; else 401 with an empty
     * body.
     */
    public static final class Builder extends SimulatorBuilder<Builder> {
        private boolean strictQueries;

        private Builder() {
        }

        /** Answer 400 to a query that does not parse, instead of real iwhd's "return everything". */
        public Builder strictQueries(boolean strictQueries) {
            this.strictQueries = strictQueries;
            return this;
        }

        public IwhdSimulator start() {
            return new IwhdSimulator(settings(), strictQueries);
        }
    }
}
