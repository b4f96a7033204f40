package io.buildq.sim.iwhd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The warehouse in memory, shaped like iwhd 0.96's two stores: the back-end's buckets (fs
 * directories, which only a bucket create makes) and MongoDB's metadata documents, one per
 * bucket/key, among them each created bucket's hidden {@code _default} document. Every method is
 * atomic.
 */
final class IwhdStore {

    /** rest.c reserved_name: never listed by a bucket listing or a query (proxy_query_func_0). */
    static final Set<String> RESERVED_KEYS = Set.of("_default", "_new", "_policy", "_query");
    static final String DEFAULT_KEY = "_default";

    record Body(byte[] bytes, String etag) {
    }

    record QueryResult(List<String> keys, boolean anyMatch) {
    }

    private static final class StoredObject {
        byte[] body;
        String etag;
        final Map<String, String> attributes = new LinkedHashMap<>();
    }

    /** Buckets the back-end has, made only by {@link #createBucket}. */
    private final Set<String> backendBuckets = new LinkedHashSet<>();
    /** Metadata documents by bucket, then key, in MongoDB's natural (insertion) order. */
    private final Map<String, Map<String, StoredObject>> documents = new LinkedHashMap<>();
    /** Buckets whose {@code _default} document exists, in the order those documents were created. */
    private final Set<String> defaultDocuments = new LinkedHashSet<>();

    /**
     * The buckets the root listing shows: rest.c proxy_api_root queries
     * {@code meta_query_new(NULL, "_default", NULL)}, i.e. every document whose {@code _key} is
     * {@code _default} (meta.cpp RepoQuery::RepoQuery, {@code QUERY("_key"<<key)}), and lists each
     * one's {@code _bucket} in natural order. A bucket with objects but no {@code _default} (written
     * into without being created) is not listed; one whose only trace is a {@code _default}
     * attribute write is.
     */
    synchronized List<String> listedBuckets() {
        return List.copyOf(defaultDocuments);
    }

    /**
     * rest.c create_bucket: the back-end creates the bucket (fs: a duplicate fails, 500), then
     * {@code meta_set_value(name, "_default", "_policy", "0")}. False if the bucket exists.
     */
    synchronized boolean createBucket(String name) {
        if (!backendBuckets.add(name)) {
            return false;
        }
        setAttributes(name, DEFAULT_KEY, Map.of("_policy", "0"));
        return true;
    }

    /** What GET /B lists (rest.c proxy_list_objs): empty when the bucket has no document at all. */
    synchronized Optional<List<String>> keys(String bucket) {
        Map<String, StoredObject> objects = documents.get(bucket);
        if (objects == null) {
            return Optional.empty();
        }
        return Optional.of(objects.keySet().stream().filter(key -> !RESERVED_KEYS.contains(key)).toList());
    }

    /** Stores a body, replacing any; empty if the back-end has no such bucket (iwhd's 500). */
    synchronized Optional<String> putBody(String bucket, String key, byte[] body) {
        if (!backendBuckets.contains(bucket)) {
            return Optional.empty();
        }
        StoredObject object = document(bucket, key);
        object.body = body;
        object.etag = String.format("%016x", Double.doubleToLongBits(System.currentTimeMillis() / 1000.0 + System.nanoTime() % 1000 / 1e9));
        return Optional.of(object.etag);
    }

    synchronized Optional<Body> body(String bucket, String key) {
        StoredObject object = find(bucket, key);
        return object == null || object.body == null ? Optional.empty() : Optional.of(new Body(object.body, object.etag));
    }

    /** Removes body and attributes; like the fs back-end, only when a body exists. */
    synchronized boolean delete(String bucket, String key) {
        StoredObject object = find(bucket, key);
        if (object == null || object.body == null) {
            return false;
        }
        Map<String, StoredObject> objects = documents.get(bucket);
        objects.remove(key);
        if (objects.isEmpty()) {
            documents.remove(bucket);
        }
        return true;
    }

    /**
     * Sets attributes (meta_set_value, an upsert), creating an attributes-only document if needed;
     * neither the bucket nor a reserved key is checked, as in 0.96, so a write to
     * {@code B/_default} makes B appear in the root listing.
     */
    synchronized void setAttributes(String bucket, String key, Map<String, String> values) {
        document(bucket, key).attributes.putAll(values);
    }

    synchronized Optional<String> attribute(String bucket, String key, String name) {
        StoredObject object = find(bucket, key);
        return object == null ? Optional.empty() : Optional.ofNullable(object.attributes.get(name));
    }

    synchronized Optional<Map<String, String>> attributes(String bucket, String key) {
        StoredObject object = find(bucket, key);
        return object == null ? Optional.empty() : Optional.of(new LinkedHashMap<>(object.attributes));
    }

    /**
     * Evaluates a query against every document of the bucket, the hidden {@code _default} one
     * included (it decides between 404 and an empty 200); a null query matches everything (iwhd's
     * answer to a syntax error). Empty if the bucket has no document.
     */
    synchronized Optional<QueryResult> query(String bucket, IwhdQuery query) {
        Map<String, StoredObject> objects = documents.get(bucket);
        if (objects == null) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        boolean anyMatch = false;
        for (Map.Entry<String, StoredObject> entry : objects.entrySet()) {
            if (query == null || query.matches(readable(bucket, entry.getKey(), entry.getValue()))) {
                anyMatch = true;
                if (!RESERVED_KEYS.contains(entry.getKey())) {
                    keys.add(entry.getKey());
                }
            }
        }
        return Optional.of(new QueryResult(keys, anyMatch));
    }

    private static Map<String, String> readable(String bucket, String key, StoredObject object) {
        Map<String, String> fields = new LinkedHashMap<>(object.attributes);
        fields.put("_bucket", bucket);
        fields.put("_key", key);
        if (object.etag != null) {
            fields.put("_etag", object.etag);
        }
        return fields;
    }

    private StoredObject document(String bucket, String key) {
        if (key.equals(DEFAULT_KEY)) {
            defaultDocuments.add(bucket);
        }
        return documents.computeIfAbsent(bucket, b -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new StoredObject());
    }

    private StoredObject find(String bucket, String key) {
        Map<String, StoredObject> objects = documents.get(bucket);
        return objects == null ? null : objects.get(key);
    }
}
