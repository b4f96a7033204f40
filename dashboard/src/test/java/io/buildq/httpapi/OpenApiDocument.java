package io.buildq.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API's OpenAPI document as the tests hold the server to it: each answer must be a status the
 * document lists for its route, of the media type it lists, and valid against the schema it gives
 * (by networknt's JSON Schema validator: OpenAPI 3.1 schemas are JSON Schema 2020-12). It also
 * records which routes were answered, so that a test can show none of the document goes untested.
 */
final class OpenApiDocument {

    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final ObjectMapper json = new ObjectMapper();
    private final JsonNode document;
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    OpenApiDocument() {
        try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
            this.document = json.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode tree() {
        return document;
    }

    /** Every route of the document, as {@code METHOD /path/{param}}. */
    Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        for (Iterator<String> paths = document.get("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            document.get("paths").get(path).fieldNames()
                    .forEachRemaining(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path));
        }
        return routes;
    }

    /** The routes answered so far through {@link #check}. */
    Set<String> answered() {
        return new TreeSet<>(answered);
    }

    /**
     * What is wrong with an answer, by the document: an empty list if nothing.
     *
     * @param route {@code METHOD /path/{param}}, as the document names it
     */
    List<String> check(String route, int status, String contentType, String body) {
        answered.add(route);
        String[] parts = route.split(" ", 2);
        JsonNode operation = document.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return List.of(route + " is not in the document");
        }
        JsonNode response = resolve(operation.path("responses").path(String.valueOf(status)));
        if (response.isMissingNode()) {
            return List.of(route + " answered " + status + ", which the document does not list");
        }
        String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
        JsonNode schema = response.path("content").path(mediaType).path("schema");
        if (schema.isMissingNode()) {
            return List.of(route + " " + status + " answered " + contentType + ", which the document does not list");
        }
        if (mediaType.equals("text/event-stream")) {
            return List.of(); // a stream: its events' data are checked one by one (checkComponent)
        }
        return validate((ObjectNode) schema, body, route + " " + status);
    }

    /** What is wrong with {@code body} as an instance of the document's schema {@code component}. */
    List<String> checkComponent(String component, String body) {
        ObjectNode root = json.createObjectNode().put("$ref", "#/components/schemas/" + component);
        return validate(root, body, component);
    }

    private List<String> validate(ObjectNode schema, String body, String what) {
        ObjectNode root = schema.deepCopy();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", document.get("components")); // where "#/components/schemas/X" points
        List<String> errors = new ArrayList<>();
        for (Error error : SCHEMAS.getSchema(root.toString(), InputFormat.JSON).validate(body, InputFormat.JSON)) {
            errors.add(what + ": " + error.getMessage());
        }
        return errors;
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.path("$ref");
        return ref.isTextual() ? document.at(ref.asText().substring(1)) : node;
    }
}
