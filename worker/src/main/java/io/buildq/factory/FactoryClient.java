package io.buildq.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.internal.job.FactoryStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A client of Image Factory's REST API v2 for target images: JSON bodies wrapped in the singular
 * root key, answers parsed from JSON, errors (plain text) raised as {@link FactoryException}.
 */
public final class FactoryClient {

    private static final String OAUTH_FAILED = "OAuth validation failed:";

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
     * answers 202 at once; the build runs on.
     *
     * @param callbacks URLs factory PUTs the image to on each status change
     */
    public FactoryImage createTargetImage(String target, String template, List<String> callbacks) {
        return createTargetImage(target, template, null, callbacks);
    }

    /**
     * Starts a target image build, from a template or from a base image factory already built
     * (exactly one of them, as Tim sent: real factory builds a new base image whenever a template
     * is sent, even with an id, real-install-notes.md Q7).
     *
     * @param template    the template XML, or null to build from {@code baseImageId}
     * @param baseImageId a base image of factory's, or null to build one from {@code template}
     * @param callbacks   URLs factory PUTs the image to on each status change (see {@link FactoryRequestBody}:
     *                    a request too large or not ASCII for factory's JSON parser goes as a form, without them)
     */
    public FactoryImage createTargetImage(String target, String template, String baseImageId, List<String> callbacks) {
        return createTargetImage(target, template, baseImageId, callbacks, null);
    }

    /**
     * As {@link #createTargetImage(String, String, String, List)}, with a start marker in the image's
     * parameters (see {@link FactoryRequestBody#of(ObjectMapper, String, Map, List, String)}).
     */
    public FactoryImage createTargetImage(String target, String template, String baseImageId, List<String> callbacks,
                                          String marker) {
        if ((template == null) == (baseImageId == null)) {
            throw new IllegalArgumentException("give a template or a base image id, not both or neither");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target", target);
        if (template != null) {
            fields.put("template", template);
        } else {
            fields.put("base_image_id", baseImageId);
        }
        JsonNode answer = call(new Request.Builder()
                .url(url("target_images"))
                .header("Accept", "application/json")
                .post(FactoryRequestBody.of(json, "target_image", fields, callbacks, marker))
                .build(), 202);
        return parseImage(answer);
    }

    /** A base image: whether the OS install that target images share is still good to build on. */
    public FactoryImage getBaseImage(String id) {
        return get("base_images", id);
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
        return createProviderImage(targetImageId, target, provider, credentials, callbacks, null);
    }

    /** As {@link #createProviderImage(String, String, String, String, List)}, with a start marker. */
    public FactoryImage createProviderImage(String targetImageId, String target, String provider, String credentials,
                                            List<String> callbacks, String marker) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target_image_id", targetImageId);
        fields.put("target", target);
        fields.put("provider", provider);
        fields.put("credentials", credentials);
        return parseImage(call(new Request.Builder()
                .url(url("provider_images"))
                .header("Accept", "application/json")
                .post(FactoryRequestBody.of(json, "provider_image", fields, callbacks, marker))
                .build(), 202));
    }

    public FactoryImage getProviderImage(String id) {
        return get("provider_images", id);
    }

    /** Ids of every target image factory holds (its list holds references only). */
    public List<String> listTargetImages() {
        return list("target_images", "target_image");
    }

    /** Ids of every base image factory holds. */
    public List<String> listBaseImages() {
        return list("base_images", "base_image");
    }

    public List<String> listProviderImages() {
        return list("provider_images", "provider_image");
    }

    /**
     * Asks factory to delete a target image; factory answers 204 and removes the record. A build
     * still running goes on inside factory (real-install-notes.md, "Observed by running the real
     * daemon"): callbacks may still come, and are ignored by the row's attempt and image id.
     */
    public void deleteTargetImage(String id) {
        // An empty body with a form type: with application/json and no body real factory answers
        // 500, and without a Content-Type only Paste's empty-string default saves it (Q9).
        call(new Request.Builder().url(url("target_images", id)).header("Accept", "application/json")
                .delete(FactoryRequestBody.emptyForm()).build(), 204);
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
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("target", target);
        fields.put("provider", provider);
        fields.put("credentials", credentials);
        call(new Request.Builder().url(url("provider_images", id)).header("Accept", "application/json")
                .delete(FactoryRequestBody.of(json, "provider_image", fields, List.of())).build(), 204);
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
                text(image, "provider_account_identifier"),
                text(image, "base_image_id"),
                FactoryRequestBody.markerOf(text(image.path("parameters"), FactoryRequestBody.MARKER_PARAMETER),
                        text(image, "template")));
    }

    public JsonNode readTree(byte[] body) throws IOException {
        return json.readTree(body);
    }

    private JsonNode call(Request request, int expected) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (response.code() != expected) {
                throw refusal(request, response, body);
            }
            return body.isEmpty() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new FactoryException("Image Factory could not be reached for " + request.method() + " "
                    + request.url() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Factory's errors are plain text, kept whole (abbreviated) as the message. OAuth refusals are
     * told apart by their text, not their status (real-install-notes.md Q1, OAuthTools.py
     * {@code validate_two_leg_oauth}): a 401 is an unknown consumer key; a 500 whose body starts
     * {@code OAuth validation failed:} is a missing header, a wrong secret, URL or clock.
     */
    private static FactoryException refusal(Request request, Response response, String body) {
        String said = "Image Factory answered " + response.code() + " to " + request.method() + " "
                + request.url().encodedPath() + ": " + abbreviate(body);
        boolean oauthFailed = body.startsWith(OAUTH_FAILED);
        if (response.code() == 401 || (response.code() == 500 && oauthFailed)) {
            String hint;
            if (response.request().header("Authorization") == null) {
                hint = "factory requires OAuth: set --factory-oauth-key and BUILDQ_FACTORY_OAUTH_SECRET to a consumer "
                        + "in factory's imagefactory.conf 'clients'";
            } else if (response.code() == 401) {
                hint = "factory does not know the OAuth consumer key: check --factory-oauth-key against the 'clients' "
                        + "of factory's imagefactory.conf";
            } else if (body.contains("Expired timestamp")) {
                hint = "this machine's clock and factory's differ by more than 300 s: synchronise them (NTP)";
            } else {
                hint = "factory refused the OAuth signature: check BUILDQ_FACTORY_OAUTH_SECRET, and that --factory-url "
                        + "has the scheme, host and port factory is reached at";
            }
            return FactoryException.authentication(hint + " (" + said + ")", response.code());
        }
        return new FactoryException(said, response.code());
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
