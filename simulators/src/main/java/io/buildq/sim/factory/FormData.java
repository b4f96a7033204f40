package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What {@code RESTtools.form_data_for_content_type} (imgfac/rest/RESTtools.py) made of a request body
 * under bottle 0.10.9 and Paste, flaws included (real-install-notes Q9 and "Observed by running the
 * real daemon"):
 * <ul>
 *   <li>JSON is read only when {@code 0 < Content-Length < 102400} (bottle's {@code MEMFILE_MAX});
 *       otherwise {@code request.json} is None and {@code dencode(None)} answers 500
 *       {@code 'NoneType' object has no attribute 'items'} (so do chunked and empty JSON bodies);</li>
 *   <li>{@code dencode(..., 'ascii')} encodes keys and string values of dicts, recursing into dicts but
 *       not lists: non-ASCII there is a UnicodeEncodeError, a 500 whose body is the exception's args
 *       streamed (the simulator sends their first item, {@code ascii}; paste cut the rest);</li>
 *   <li>no Content-Type reaches bottle from Paste as an empty string: no form fields at all;</li>
 *   <li>urlencoded bodies ({@code cgi.FieldStorage}) have no size limit and pass UTF-8 through.</li>
 * </ul>
 * Multipart bodies are not parsed (treated as empty): no known client sent them.
 */
final class FormData {

    /** bottle 0.10.9 {@code BaseRequest.MEMFILE_MAX}. */
    static final int MEMFILE_MAX = 102_400;
    static final String NO_JSON = "'NoneType' object has no attribute 'items'";

    sealed interface Result permits Fields, Refused {
    }

    /**
     * The decoded form data; {@code flat} when the content type was a form (RESTv2 {@code create_image}
     * then reads the fields directly instead of under the singular root key).
     */
    record Fields(ObjectNode data, boolean flat) implements Result {
    }

    /** The answer factory gave instead. */
    record Refused(int status, String body) implements Result {
    }

    private FormData() {
    }

    static Result read(HttpExchange exchange, ObjectMapper json) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null) {
            contentType = ""; // Paste passes a missing header on as CONTENT_TYPE ''
        }
        byte[] body = SimulatorServer.readBody(exchange);
        if (contentType.startsWith("application/json")) {
            long length = contentLength(exchange);
            if (!(length > 0 && length < MEMFILE_MAX)) {
                return new Refused(500, NO_JSON);
            }
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (IOException e) {
                return new Refused(500, "No JSON object could be decoded"); // json.loads' ValueError
            }
            if (root == null || root.isMissingNode()) {
                return new Refused(500, "No JSON object could be decoded");
            }
            if (!root.isObject()) {
                return new Refused(500, "'" + pythonType(root) + "' object has no attribute 'items'");
            }
            if (!asciiInDicts(root)) {
                return new Refused(500, "ascii");
            }
            return new Fields((ObjectNode) root, false);
        }
        if (contentType.startsWith("application/xml") || contentType.startsWith("text/xml")) {
            return new Refused(500, "XML output no longer supported in Image Factor REST API");
        }
        ObjectNode form = json.createObjectNode();
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    form.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        boolean flat = contentType.contains("application/x-www-form-urlencoded") || contentType.contains("multipart/form-data");
        return new Fields(form, flat);
    }

    /** A field's text, or null when it is absent or JSON null. */
    static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Python's truth value of a JSON value, as {@code if(not request_data)} saw it. */
    static boolean falsy(JsonNode node) {
        return node == null || node.isNull() || (node.isContainerNode() && node.isEmpty())
                || (node.isTextual() && node.asText().isEmpty()) || (node.isNumber() && node.asDouble() == 0)
                || (node.isBoolean() && !node.asBoolean());
    }

    /** The Python 2 type name of what json.loads made of a value. */
    static String pythonType(JsonNode node) {
        if (node == null || node.isNull()) {
            return "NoneType";
        }
        if (node.isTextual()) {
            return "unicode";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        if (node.isIntegralNumber()) {
            return "int";
        }
        if (node.isNumber()) {
            return "float";
        }
        if (node.isArray()) {
            return "list";
        }
        return "dict";
    }

    /**
     * Python's {@code repr()} of a set of factory's required DELETE fields, in CPython 2.7's (64-bit,
     * unrandomised) iteration order for these three strings: credentials, target, provider.
     */
    static String pythonSet(List<String> names) {
        StringBuilder out = new StringBuilder("set([");
        String separator = "";
        for (String name : List.of("credentials", "target", "provider")) {
            if (names.contains(name)) {
                out.append(separator).append('\'').append(name).append('\'');
                separator = ", ";
            }
        }
        return out.append("])").toString();
    }

    private static boolean asciiInDicts(JsonNode object) {
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!ascii(field.getKey())) {
                return false;
            }
            JsonNode value = field.getValue();
            if (value.isTextual() && !ascii(value.asText())) {
                return false;
            }
            if (value.isObject() && !asciiInDicts(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(String text) {
        return text.chars().allMatch(c -> c < 128);
    }

    private static long contentLength(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
