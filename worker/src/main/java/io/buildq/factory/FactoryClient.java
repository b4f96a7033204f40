package io.buildq.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A client of Image Factory's REST API v2 for target images: JSON bodies wrapped in the singular
 * root key, answers parsed from JSON, errors (plain text) raised as {@link FactoryException}.
 */
public final class FactoryClient {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl baseUrl;
    private final ObjectMapper json;

    /** @param baseUrl factory's REST root, e.g. {@code http://localhost:8075/imagefactory} */
    public FactoryClient(OkHttpClient http, ObjectMapper json, String baseUrl) {
        this.http = Objects.requireNonNull(http, "http");
        this.json = Objects.requireNonNull(json, "json");
        HttpUrl parsed = HttpUrl.parse(baseUrl);
        if (parsed == null) {
            throw new IllegalArgumentException("not an http(s) URL: " + baseUrl);
        }
        this.baseUrl = parsed;
    }

    /**
     * Starts a target image build from a template (factory builds the base image first). Factory
     * answers 202 at once with the image in NEW; the build runs on.
     *
     * @param callbacks URLs factory PUTs the image to on each status change
     */
    public FactoryImage createTargetImage(String target, String template, List<String> callbacks) {
        ObjectNode body = json.createObjectNode();
        ObjectNode image = body.putObject("target_image");
        image.put("target", target);
        image.put("template", template);
        image.putObject("parameters").set("callbacks", json.valueToTree(callbacks));
        JsonNode answer = call(new Request.Builder()
                .url(url("target_images"))
                .header("Accept", "application/json")
                .post(RequestBody.create(body.toString(), JSON))
                .build(), 202);
        return parseImage(answer);
    }

    /** The target image as factory has it stored (real factory shows NEW until the outcome). */
    public FactoryImage getTargetImage(String id) {
        return get("target_images", id);
    }

    /**
     * Pushes a built target image to a provider account. The credentials travel in this request
     * only: factory neither stores nor returns them.
     *
     * @param provider    the provider as factory expects it (a region name such as {@code ec2-us-east-1}, or a JSON string)
     * @param credentials the account's credentials XML
     */
    public FactoryImage createProviderImage(String targetImageId, String target, String provider, String credentials,
                                            List<String> callbacks) {
        ObjectNode body = json.createObjectNode();
        ObjectNode image = body.putObject("provider_image");
        image.put("target_image_id", targetImageId);
        image.put("target", target);
        image.put("provider", provider);
        image.put("credentials", credentials);
        image.putObject("parameters").set("callbacks", json.valueToTree(callbacks));
        return parseImage(call(new Request.Builder()
                .url(url("provider_images"))
                .header("Accept", "application/json")
                .post(RequestBody.create(body.toString(), JSON))
                .build(), 202));
    }

    public FactoryImage getProviderImage(String id) {
        return get("provider_images", id);
    }

    /** Ids of every target image factory holds (its list holds references only). */
    public List<String> listTargetImages() {
        return list("target_images", "target_image");
    }

    public List<String> listProviderImages() {
        return list("provider_images", "provider_image");
    }

    /** Asks factory to delete a target image; factory answers 204 and deletes it in the background. */
    public void deleteTargetImage(String id) {
        call(new Request.Builder().url(url("target_images", id)).header("Accept", "application/json").delete().build(), 204);
    }

    /** Deletes a target image; one factory no longer holds is fine (a cancel may be seen twice). */
    public void deleteTargetImageIfPresent(String id) {
        try {
            deleteTargetImage(id);
        } catch (FactoryException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /** Deletes a provider image; one factory no longer holds is fine. */
    public void deleteProviderImageIfPresent(String id, String target, String provider, String credentials) {
        try {
            deleteProviderImage(id, target, provider, credentials);
        } catch (FactoryException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /** Deletes a pushed image from its provider; factory needs the provider, credentials and target again. */
    public void deleteProviderImage(String id, String target, String provider, String credentials) {
        ObjectNode body = json.createObjectNode();
        ObjectNode image = body.putObject("provider_image");
        image.put("target", target);
        image.put("provider", provider);
        image.put("credentials", credentials);
        call(new Request.Builder().url(url("provider_images", id)).header("Accept", "application/json")
                .delete(RequestBody.create(body.toString(), JSON)).build(), 204);
    }

    private FactoryImage get(String collection, String id) {
        return parseImage(call(new Request.Builder()
                .url(url(collection, id))
                .header("Accept", "application/json")
                .get()
                .build(), 200));
    }

    private List<String> list(String collection, String singular) {
        JsonNode answer = call(new Request.Builder().url(url(collection)).header("Accept", "application/json").get().build(), 200);
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : answer.path(collection)) {
            ids.add(entry.path(singular).path("id").asText());
        }
        return ids;
    }

    /**
     * Reads an image from a response or callback body: {@code {"target_image": {...}}} or any other
     * singular root key.
     */
    public FactoryImage parseImage(JsonNode wrapped) {
        Iterator<Map.Entry<String, JsonNode>> roots = wrapped.fields();
        if (!roots.hasNext()) {
            throw new FactoryException("factory sent an empty object", 0);
        }
        JsonNode image = roots.next().getValue();
        JsonNode detail = image.path("status_detail");
        return new FactoryImage(
                text(image, "id"),
                text(image, "_type"),
                FactoryStatus.parse(text(image, "status")),
                Math.max(0, Math.min(100, image.path("percent_complete").asInt(0))),
                text(detail, "activity"),
                text(detail, "error"),
                text(image, "icicle"),
                text(image, "target"),
                text(image, "provider"),
                text(image, "identifier_on_provider"),
                text(image, "provider_account_identifier"));
    }

    public JsonNode readTree(byte[] body) throws IOException {
        return json.readTree(body);
    }

    private JsonNode call(Request request, int expected) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (response.code() != expected) {
                // Factory's errors are plain text, kept whole (abbreviated) as the message.
                throw new FactoryException("Image Factory answered " + response.code() + " to " + request.method() + " "
                        + request.url().encodedPath() + ": " + abbreviate(body), response.code());
            }
            return body.isEmpty() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new FactoryException("Image Factory could not be reached for " + request.method() + " "
                    + request.url() + ": " + e.getMessage(), e);
        }
    }

    private HttpUrl url(String... segments) {
        HttpUrl.Builder builder = baseUrl.newBuilder();
        for (String segment : segments) {
            builder.addPathSegment(segment);
        }
        return builder.build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String abbreviate(String body) {
        String trimmed = body.strip();
        return trimmed.length() <= 500 ? trimmed : trimmed.substring(0, 500) + "…";
    }
}
