package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * The JSON answers of factory's REST v2 routes and the hrefs in them, built from the request's
 * {@code Host} header and the scheme served.
 */
final class FactoryResponses {

    private final ObjectMapper json;
    /** {@code http} or {@code https}, as paste's {@code wsgi.url_scheme}: it starts every href. */
    private final Supplier<String> scheme;

    FactoryResponses(ObjectMapper json, Supplier<String> scheme) {
        this.json = json;
        this.scheme = scheme;
    }

    /** The REST root's answer. */
    void sendApiRoot(HttpExchange exchange) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("name", "imagefactory");
        root.put("version", "1.1.16");
        root.put("api_version", "2.0");
        sendJson(exchange, 200, root);
    }

    /** The 202 of an image POST: the image's live fields with its href and its parent's id. */
    void respondCreated(HttpExchange exchange, SimImage image) throws IOException {
        ObjectNode fields = image.fields(json);
        fields.put("href", collectionUrl(exchange, image.type) + "/" + image.id);
        if (image.type == ImageType.TARGET) {
            fields.put("base_image_id", image.parentId());
        } else if (image.type == ImageType.PROVIDER) {
            if (image.parentId() == null) {
                fields.putNull("target_image_id");
            } else {
                fields.put("target_image_id", image.parentId());
            }
        }
        ObjectNode body = json.createObjectNode();
        body.set(image.type.singular, fields);
        sendJson(exchange, 202, body);
    }

    ObjectNode reference(HttpExchange exchange, ImageType type, String id) {
        ObjectNode ref = json.createObjectNode();
        ref.put("_type", type.typeName);
        ref.put("id", id);
        ref.put("href", collectionUrl(exchange, type) + "/" + id);
        return ref;
    }

    /** Sets {@code name} to a reference to the image, or to null when there is none. */
    void putReference(HttpExchange exchange, ObjectNode fields, String name, ImageType type, String id) {
        if (id == null) {
            fields.putNull(name);
        } else {
            fields.set(name, reference(exchange, type, id));
        }
    }

    String requestUrl(HttpExchange exchange) {
        return hostUrl(exchange) + exchange.getRequestURI().getPath();
    }

    void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        SimulatorServer.send(exchange, status, "application/json", json.writeValueAsBytes(body));
    }

    private String collectionUrl(HttpExchange exchange, ImageType type) {
        return hostUrl(exchange) + "/imagefactory/" + type.collection;
    }

    private String hostUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return scheme.get() + "://" + (host != null ? host
                : exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort());
    }
}
