package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of a POST that creates an image, read from its JSON or form body. */
final class StartRequest {

    private final ObjectMapper json;
    private final Map<String, JsonNode> fields;

    private StartRequest(ObjectMapper json, Map<String, JsonNode> fields) {
        this.json = json;
        this.fields = fields;
    }

    /**
     * RESTv2 {@code create_image}'s reading of the body (Q9, see {@link FormData}): form bodies are
     * flat, JSON ones wrapped in the singular root key. Null when it has answered already.
     */
    static StartRequest read(HttpExchange exchange, ImageType type, ObjectMapper json) throws IOException {
        FormData.Result read = FormData.read(exchange, json);
        if (read instanceof FormData.Refused refused) {
            SimulatorServer.sendText(exchange, refused.status(), refused.body());
            return null;
        }
        FormData.Fields form = (FormData.Fields) read;
        JsonNode request = form.flat() ? form.data() : form.data().get(type.singular);
        if (FormData.falsy(request)) {
            SimulatorServer.sendText(exchange, 400, type.singular + " not found in request.");
            return null;
        }
        if (!request.isObject()) {
            SimulatorServer.sendText(exchange, 500,
                    "'" + FormData.pythonType(request) + "' object has no attribute 'get'");
            return null;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        request.fields().forEachRemaining(entry -> fields.put(entry.getKey(), entry.getValue()));
        return new StartRequest(json, fields);
    }

    /** A field's text, or null when it is absent or JSON null. */
    String text(String name) {
        return FormData.text(fields.get(name));
    }

    /** {@code parameters} as sent: null when absent. */
    JsonNode parameters() {
        return fields.get("parameters");
    }

    /** {@code parameters}, or an empty dict when absent, as base and target images default it. */
    JsonNode parametersOrEmpty() {
        return fields.getOrDefault("parameters", json.createObjectNode());
    }
}
