package io.buildq.factory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.RequestBody;

/**
 * A request body real Image Factory can read. Its REST layer (bottle 0.10.9) parses JSON only when
 * {@code 0 < Content-Length < 102400} ({@code BaseRequest.json}, MEMFILE_MAX), and
 * {@code RESTtools.form_data_for_content_type} then encodes every string as ASCII, so a larger body or
 * any non-ASCII text is a 500 (real-install-notes.md Q9). Form-encoded bodies have neither limit.
 *
 * <p>So: JSON, wrapped in the singular root key with the callbacks in {@code parameters}, as Tim and
 * aeolus-image sent it, when it fits; otherwise the same fields flat in an
 * {@code application/x-www-form-urlencoded} UTF-8 body <em>without</em> {@code parameters}. A form
 * cannot carry them: factory hands the field over as a string, and {@code Builder.customize_image_for_target}
 * tests {@code 'callbacks' in parameters} (true for the substring) and then indexes the string, a
 * TypeError after the record was saved: a 500 and an orphan image (imgfac/Builder.py). Such a
 * build is followed by polling alone. Its start marker travels in the template instead, as an XML
 * comment after the root element: {@code Builder.customize_image_for_target} stores the template
 * string as it came ({@code self.target_image.template = template}) before {@code add_image}, and
 * GET returns every metadata key, {@code template} included ({@code RESTv2.image_with_id}); XML
 * parsers, libxml2's in {@code imgfac/Template.py} and Oz's, skip comments.
 */
public final class FactoryRequestBody {

    /** The key of the start marker in an image's {@code parameters}. */
    public static final String MARKER_PARAMETER = "buildq_start_marker";

    private static final Pattern TEMPLATE_MARKER = Pattern.compile("<!-- " + MARKER_PARAMETER + "=([!-~]+) -->");

    /** Bottle 0.10's MEMFILE_MAX: JSON bodies of this many bytes or more are not parsed. */
    public static final int JSON_LIMIT = 102_400;

    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private FactoryRequestBody() {
    }

    /** The body for {@code fields} under {@code root}, with the callbacks when JSON can carry them. */
    public static RequestBody of(ObjectMapper json, String root, Map<String, String> fields, List<String> callbacks) {
        return of(json, root, fields, callbacks, null);
    }

    /**
     * The body for {@code fields} under {@code root}, with the callbacks and the start marker in
     * {@code parameters} when JSON can carry them.
     *
     * @param marker ASCII text factory stores in the image's parameters before it answers 202 and
     *               returns on GET (real-install-notes.md Q8), so that an image whose 202 was lost
     *               can be found again; null for none
     */
    public static RequestBody of(ObjectMapper json, String root, Map<String, String> fields, List<String> callbacks,
                                 String marker) {
        ObjectNode body = json.createObjectNode();
        ObjectNode image = body.putObject(root);
        fields.forEach(image::put);
        if (!callbacks.isEmpty() || marker != null) {
            ObjectNode parameters = image.putObject("parameters");
            if (!callbacks.isEmpty()) {
                parameters.set("callbacks", json.valueToTree(callbacks));
            }
            if (marker != null) {
                parameters.put(MARKER_PARAMETER, marker);
            }
        }
        byte[] encoded = body.toString().getBytes(StandardCharsets.UTF_8);
        if (fitsJson(encoded)) {
            return RequestBody.create(encoded, JSON);
        }
        FormBody.Builder form = new FormBody.Builder(StandardCharsets.UTF_8);
        fields.forEach((name, value) -> form.add(name,
                marker != null && name.equals("template") ? markTemplate(value, marker) : value));
        return form.build();
    }

    /** The template with the marker in a comment after its root element, where a form start carries it. */
    static String markTemplate(String template, String marker) {
        return template + "\n<!-- " + MARKER_PARAMETER + "=" + marker + " -->\n";
    }

    /**
     * The start marker an image carries: in its {@code parameters} (a JSON start), else in a comment
     * of its template (a form start); null for none.
     */
    static String markerOf(String parameterMarker, String template) {
        if (parameterMarker != null || template == null) {
            return parameterMarker;
        }
        Matcher matcher = TEMPLATE_MARKER.matcher(template);
        String found = null;
        while (matcher.find()) {
            found = matcher.group(1); // the last: a comment the user's own template held comes before
        }
        return found;
    }

    /** Whether factory's JSON parser takes these bytes: under 102,400 of them, all ASCII. */
    public static boolean fitsJson(byte[] encoded) {
        if (encoded.length == 0 || encoded.length >= JSON_LIMIT) {
            return false;
        }
        for (byte b : encoded) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** An empty form: what a DELETE without fields must still carry (Q9: typed, with Content-Length 0). */
    public static RequestBody emptyForm() {
        return RequestBody.create(new byte[0], FORM);
    }
}
