package io.buildq.sim.iwhd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The warehouse's buckets and objects, in memory; every method is atomic. */
final class IwhdStore {

    record Body(byte[] bytes, String etag) {
    }

    record QueryResult(List<String> keys, boolean anyMatch) {
    }

    private static final class StoredObject {
        byte[] body;
        String etag;
        final Map<String, String> attributes = new LinkedHashMap<>();
    }

    private final Map<String, Map<String, StoredObject>> buckets = new LinkedHashMap<>();

    synchronized List<String> buckets() {
        return List.copyOf(buckets.keySet());
    }

    /** Creates a bucket; false if it exists (which the fs back-end answered with 500). */
    synchronized boolean createBucket(String name) {
        if (buckets.containsKey(name)) {
            return false;
        }
        buckets.put(name, new LinkedHashMap<>());
        return true;
    }

    synchronized Optional<List<String>> keys(String bucket) {
        Map<String, StoredObject> objects = buckets.get(bucket);
        return objects == null ? Optional.empty() : Optional.of(List.copyOf(objects.keySet()));
    }

    /** Stores a body, replacing any; empty if the bucket does not exist. */
    synchronized Optional<String> putBody(String bucket, String key, byte[] body) {
        Map<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            return Optional.empty();
        }
        StoredObject object = objects.computeIfAbsent(key, k -> new StoredObject());
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
        buckets.get(bucket).remove(key);
        return true;
    }

    /** Sets attributes, creating an attributes-only object if needed (the bucket is not checked, as in 0.96). */
    synchronized void setAttributes(String bucket, String key, Map<String, String> values) {
        StoredObject object = buckets.computeIfAbsent(bucket, b -> new LinkedHashMap<>())
                .computeIfAbsent(key, k -> new StoredObject());
        object.attributes.putAll(values);
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
     * Evaluates a query against every object and the bucket's hidden {@code _default} document;
     * a null query matches everything (iwhd's answer to a syntax error).
     */
    synchronized Optional<QueryResult> query(String bucket, IwhdQuery query) {
        Map<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            return Optional.empty();
        }
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, StoredObject> entry : objects.entrySet()) {
            if (query == null || query.matches(readable(bucket, entry.getKey(), entry.getValue()))) {
                keys.add(entry.getKey());
            }
        }
        boolean defaultMatches = query == null || query.matches(Map.of("_bucket", bucket, "_key", "_default"));
        return Optional.of(new QueryResult(keys, !keys.isEmpty() || defaultMatches));
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

    private StoredObject find(String bucket, String key) {
        Map<String, StoredObject> objects = buckets.get(bucket);
        return objects == null ? null : objects.get(key);
    }
}
