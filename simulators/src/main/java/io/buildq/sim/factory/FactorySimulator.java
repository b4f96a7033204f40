package io.buildq.sim.factory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.http.Faults;
import io.buildq.sim.http.FormFields;
import io.buildq.sim.http.OAuthVerifier;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Image Factory (REST v2, 2012 to 2016) over real HTTP, for tests and the demo. It follows
 * {@code shared/reference/imagefactory-api.md} section 10: 202 with the full object at NEW, an
 * implicit base image for template requests, NEW, PENDING, BUILDING, then COMPLETE or FAILED on a
 * configurable clock, status callbacks sent once, plain-text errors, and GET showing only what
 * factory persisted (NEW until the end, percent 0) unless {@link Builder#verbose(boolean)} is set.
 *
 * <pre>{@code
 * try (FactorySimulator factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(50)).start()) {
 *     String baseUrl = factory.baseUrl(); // http://127.0.0.1:PORT/imagefactory
 * }
 * }</pre>
 */
public final class FactorySimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FactorySimulator.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final List<String> BASE_STEPS =
            List.of("Generating JEOS install media", "Execute JEOS install", "Cleaning up install artifacts");
    private static final int[] VERBOSE_LADDER = {10, 30, 50};

    private final ObjectMapper json = new ObjectMapper();
    private final Faults faults = new Faults();
    private final OAuthVerifier oauth;
    private final Map<String, SimImage> images = new ConcurrentHashMap<>();
    /** Every image ever created, deleted ones too, for {@link #reportedStatuses}. */
    private final Map<String, SimImage> created = new ConcurrentHashMap<>();
    private final AtomicInteger createdTargetImages = new AtomicInteger();
    private final Set<String> targetBuildsInFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger peakTargetBuildsInFlight = new AtomicInteger();
    private final Duration stepDuration;
    private final Duration progressEvery;
    private final boolean verbose;
    private final BuildSlots slots;
    private final ScheduledExecutorService clock;
    private final ExecutorService callbackSender;
    private final OkHttpClient callbackClient;
    private final SimulatorServer server;

    private FactorySimulator(Builder builder) {
        this.stepDuration = builder.stepDuration;
        this.progressEvery = builder.progressEvery;
        this.verbose = builder.verbose;
        this.slots = new BuildSlots(builder.maxConcurrentBuilds);
        this.clock = Executors.newSingleThreadScheduledExecutor(daemon("factory-sim-clock"));
        // One sender thread: callbacks leave in the order the statuses changed, as factory's did.
        this.callbackSender = Executors.newSingleThreadExecutor(daemon("factory-sim-callbacks"));
        this.callbackClient = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(10))
                .build();
        this.faults.set(builder.faults);
        this.oauth = builder.oauthClients.isEmpty() ? null : new OAuthVerifier(builder.oauthClients);
        this.server = SimulatorServer.start("factory-sim", builder.address, builder.port, faults,
                "Internal Server Error", this::handle);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The REST root, e.g. {@code http://127.0.0.1:8075/imagefactory}. */
    public String baseUrl() {
        return "http://" + server.host() + ":" + server.port() + "/imagefactory";
    }

    public int port() {
        return server.port();
    }

    /** Every status the image has had, in order, starting with NEW: what factory reported. */
    public List<String> reportedStatuses(String imageId) {
        SimImage image = created.get(imageId);
        if (image == null) {
            throw new IllegalArgumentException("no image " + imageId);
        }
        return image.reportedStatuses();
    }

    /** The faults injected now; change them at run time with {@link Faults#set}. */
    public Faults faults() {
        return faults;
    }

    /** How many target images were created by POST (a duplicate build shows up here). */
    public int createdTargetImages() {
        return createdTargetImages.get();
    }

    /**
     * When the request that created an image arrived, by the wall clock (so that another process can
     * measure from the moment it enqueued the build); empty for an id it never created.
     */
    public Optional<Instant> receivedAt(String imageId) {
        return Optional.ofNullable(created.get(imageId)).map(image -> image.receivedAt);
    }

    /** The most target image builds that were under way at once (created, without an outcome yet). */
    public int peakTargetBuildsInFlight() {
        return peakTargetBuildsInFlight.get();
    }

    private void targetBuildStarted(SimImage image) {
        createdTargetImages.incrementAndGet();
        targetBuildsInFlight.add(image.id);
        peakTargetBuildsInFlight.accumulateAndGet(targetBuildsInFlight.size(), Math::max);
    }

    @Override
    public void close() {
        server.close();
        clock.shutdownNow();
        callbackSender.shutdownNow();
        callbackClient.dispatcher().executorService().shutdown();
        callbackClient.connectionPool().evictAll();
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty() || !segments.get(0).equals("imagefactory")) {
            SimulatorServer.sendText(exchange, 404, "Not found: '" + path + "'");
            return;
        }
        boolean open = segments.size() == 1 || segments.get(1).equals("jeos") || segments.get(1).equals("targets");
        if (!open && oauth != null) {
            String refusal = oauth.refusal(exchange);
            if (refusal != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "OAuth");
                SimulatorServer.sendText(exchange, refusal.startsWith("OAuth validation failed") ? 500 : 401, refusal);
                return;
            }
        }
        // OAuth is checked before Accept, as in factory's RESTtools.
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && !accept.contains("*/*") && !accept.contains("application/json") && !accept.contains("xml")) {
            SimulatorServer.sendText(exchange, 406, "Responses in " + accept + " are currently unsupported.");
            return;
        }
        String method = exchange.getRequestMethod();
        if (segments.size() == 1 && method.equals("GET")) {
            ObjectNode root = json.createObjectNode();
            root.put("name", "imagefactory");
            root.put("version", "1.1.16");
            root.put("api_version", "2.0");
            sendJson(exchange, 200, root);
            return;
        }
        if (segments.get(1).equals("targets")) {
            SimulatorServer.sendText(exchange, 501, "Not Implemented");
            return;
        }
        List<String> rest = segments.subList(1, segments.size());
        boolean single = rest.size() % 2 == 0;
        ImageType type = ImageType.fromCollection(rest.get(single ? rest.size() - 2 : rest.size() - 1));
        if (type == null) {
            // An unknown collection is a 500 in factory's list route, a 404 elsewhere.
            SimulatorServer.sendText(exchange, method.equals("GET") && !single ? 500 : 404, "Not found: '" + path + "'");
            return;
        }
        if (single && method.equals("GET")) {
            getOne(exchange, type, rest.get(rest.size() - 1));
        } else if (single && method.equals("DELETE")) {
            delete(exchange, type, rest.get(rest.size() - 1));
        } else if (!single && method.equals("GET")) {
            list(exchange, type, rest);
        } else if (!single && method.equals("POST")) {
            Map<String, JsonNode> fields = readFields(exchange, type);
            if (fields == null) {
                SimulatorServer.sendText(exchange, 400, type.singular + " not found in request.");
                return;
            }
            String parentFromPath = rest.size() >= 3 ? rest.get(rest.size() - 2) : null;
            switch (type) {
                case BASE -> createBase(exchange, fields);
                case TARGET -> createTarget(exchange, fields, parentFromPath);
                case PROVIDER -> createProvider(exchange, fields, parentFromPath);
            }
        } else {
            SimulatorServer.sendText(exchange, 405, "Method not allowed.");
        }
    }

    private void getOne(HttpExchange exchange, ImageType type, String id) throws IOException {
        SimImage image = images.get(id);
        if (image == null || image.type != type) {
            SimulatorServer.sendText(exchange, 404, "No " + type.typeName + " found with id: " + id);
            return;
        }
        ObjectNode fields = verbose ? image.fields(json) : image.persistedFields(json);
        fields.put("href", requestUrl(exchange));
        switch (type) {
            case BASE -> {
                ArrayNode refs = fields.putObject("target_images").putArray("target_images");
                childrenOf(id, ImageType.TARGET).forEach(child ->
                        refs.addObject().set("target_image", reference(exchange, ImageType.TARGET, child.id)));
            }
            case TARGET -> {
                putReference(exchange, fields, "base_image", ImageType.BASE, image.parentId);
                ArrayNode refs = fields.putObject("provider_images").putArray("provider_images");
                childrenOf(id, ImageType.PROVIDER).forEach(child ->
                        refs.addObject().set("provider_image", reference(exchange, ImageType.PROVIDER, child.id)));
            }
            case PROVIDER -> putReference(exchange, fields, "target_image", ImageType.TARGET, image.parentId);
        }
        ObjectNode body = json.createObjectNode();
        body.set(type.singular, fields);
        sendJson(exchange, 200, body);
    }

    private void list(HttpExchange exchange, ImageType type, List<String> rest) throws IOException {
        String parentId = rest.size() >= 3 ? rest.get(rest.size() - 2) : null;
        ArrayNode refs = json.createArrayNode();
        images.values().stream()
                .filter(image -> image.type == type)
                .filter(image -> parentId == null || parentId.equals(image.parentId))
                .forEach(image -> refs.addObject().set(type.singular, reference(exchange, type, image.id)));
        ObjectNode body = json.createObjectNode();
        body.set(type.collection, refs);
        sendJson(exchange, 200, body);
    }

    private void createBase(HttpExchange exchange, Map<String, JsonNode> fields) throws IOException {
        String template = text(fields.get("template"));
        if (template == null) {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: a base image needs a template");
            return;
        }
        SimImage base = register(new SimImage(uuid(), ImageType.BASE, template, null, null, parameters(fields)));
        respondCreated(exchange, base);
        clock.execute(() -> startBuild(base));
    }

    private void createTarget(HttpExchange exchange, Map<String, JsonNode> fields, String parentFromPath)
            throws IOException {
        String target = text(fields.get("target"));
        String template = text(fields.get("template"));
        String baseImageId = Optional.ofNullable(text(fields.get("base_image_id"))).orElse(parentFromPath);
        if (target == null) {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: KeyError: 'target'");
            return;
        }
        SimImage base;
        if (baseImageId != null) {
            base = images.get(baseImageId);
            if (base == null || base.type != ImageType.BASE) {
                SimulatorServer.sendText(exchange, 500, "Internal Server Error: No BaseImage found with id: " + baseImageId);
                return;
            }
        } else if (template != null) {
            // Factory builds the base image first; the request's parameters (and callbacks) go to both.
            base = register(new SimImage(uuid(), ImageType.BASE, template, null, null, parameters(fields)));
            clock.execute(() -> startBuild(base));
        } else {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: a target image needs a base_image_id or a template");
            return;
        }
        SimImage image = register(new SimImage(uuid(), ImageType.TARGET, base.template, target, base.id, parameters(fields)));
        targetBuildStarted(image);
        respondCreated(exchange, image);
        clock.execute(() -> followParent(image, base));
    }

    private void createProvider(HttpExchange exchange, Map<String, JsonNode> fields, String parentFromPath)
            throws IOException {
        String provider = text(fields.get("provider"));
        String credentials = text(fields.get("credentials"));
        String target = text(fields.get("target"));
        if (provider == null || credentials == null || target == null) {
            SimulatorServer.sendText(exchange, 400, "Missing key/value pair: provider(" + provider + "), credentials("
                    + (credentials == null ? "None" : "REDACTED") + "), target(" + target + ")");
            return;
        }
        JsonNode parameters = fields.get("parameters");
        boolean snapshot = parameters != null && parameters.path("snapshot").asBoolean(false);
        String template = text(fields.get("template"));
        boolean credentialsFail = credentials.contains(FailurePlan.MARKER);
        String account = accountIdentifier(credentials);
        if (snapshot) {
            if (template == null) {
                SimulatorServer.sendText(exchange, 500, "Internal Server Error: a snapshot build needs a template");
                return;
            }
            SimImage image = register(new SimImage(uuid(), ImageType.PROVIDER, template, target, null, parameters,
                    provider, credentialsFail, account));
            respondCreated(exchange, image);
            clock.execute(() -> startBuild(image));
            return;
        }
        String targetImageId = Optional.ofNullable(text(fields.get("target_image_id"))).orElse(parentFromPath);
        SimImage parent;
        if (targetImageId != null) {
            parent = images.get(targetImageId);
            if (parent == null || parent.type != ImageType.TARGET) {
                SimulatorServer.sendText(exchange, 500, "Internal Server Error: No TargetImage found with id: " + targetImageId);
                return;
            }
        } else if (template != null) {
            SimImage base = register(new SimImage(uuid(), ImageType.BASE, template, null, null, parameters));
            parent = register(new SimImage(uuid(), ImageType.TARGET, template, target, base.id, parameters));
            targetBuildStarted(parent);
            clock.execute(() -> {
                startBuild(base);
                followParent(parent, base);
            });
        } else {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: a provider image needs a target_image_id or a template");
            return;
        }
        SimImage image = register(new SimImage(uuid(), ImageType.PROVIDER, parent.template, target, parent.id, parameters,
                provider, credentialsFail, account));
        respondCreated(exchange, image);
        clock.execute(() -> followParent(image, parent));
    }

    /** 204 at once; then DELETING, then the record is gone (or DELETEFAILED, which is kept). */
    private void delete(HttpExchange exchange, ImageType type, String id) throws IOException {
        SimImage image = images.get(id);
        if (image == null || image.type != type) {
            SimulatorServer.readBody(exchange);
            SimulatorServer.sendText(exchange, 404, "No image found with id: " + id);
            return;
        }
        Map<String, JsonNode> fields = readFields(exchange, type);
        if (fields == null) {
            fields = Map.of();
        }
        boolean failed = false;
        if (type == ImageType.PROVIDER) {
            List<String> missing = new ArrayList<>();
            for (String required : List.of("provider", "credentials", "target")) {
                if (text(fields.get(required)) == null) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                SimulatorServer.sendText(exchange, 400, "Missing required values: " + String.join(", ", missing));
                return;
            }
            failed = text(fields.get("credentials")).contains(FailurePlan.MARKER);
        }
        JsonNode parameters = fields.get("parameters");
        SimulatorServer.send(exchange, 204, null, new byte[0]);
        boolean deleteFails = failed;
        clock.execute(() -> {
            image.moveTo(FactoryStatus.DELETING);
            sendCallbacks(image, parameters);
            clock.schedule(() -> {
                if (deleteFails) {
                    image.deleteFailed("Provider refused to delete the image (simulated: the credentials carry the marker '"
                            + FailurePlan.MARKER + "')");
                    image.persist(json);
                } else {
                    images.remove(image.id);
                    targetBuildsInFlight.remove(image.id);
                    image.moveTo(FactoryStatus.DELETED);
                }
                sendCallbacks(image, parameters);
            }, stepDuration.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void respondCreated(HttpExchange exchange, SimImage image) throws IOException {
        ObjectNode fields = image.fields(json);
        fields.put("href", collectionUrl(exchange, image.type) + "/" + image.id);
        if (image.type == ImageType.TARGET) {
            fields.put("base_image_id", image.parentId);
        } else if (image.type == ImageType.PROVIDER) {
            if (image.parentId == null) {
                fields.putNull("target_image_id");
            } else {
                fields.put("target_image_id", image.parentId);
            }
        }
        ObjectNode body = json.createObjectNode();
        body.set(image.type.singular, fields);
        sendJson(exchange, 202, body);
    }

    /** The EC2 access key or the user name the credentials carry; the Mock plugin's "mock_user" otherwise. */
    private static String accountIdentifier(String credentials) {
        for (String element : List.of("access_key", "username")) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern
                    .compile("<" + element + ">\\s*([^<]*?)\\s*</" + element + ">").matcher(credentials);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return "mock_user";
    }

    private List<SimImage> childrenOf(String parentId, ImageType type) {
        return images.values().stream().filter(image -> image.type == type && parentId.equals(image.parentId)).toList();
    }

    private void putReference(HttpExchange exchange, ObjectNode fields, String name, ImageType type, String id) {
        if (id == null) {
            fields.putNull(name);
        } else {
            fields.set(name, reference(exchange, type, id));
        }
    }

    private JsonNode parameters(Map<String, JsonNode> fields) {
        return fields.getOrDefault("parameters", json.createObjectNode());
    }

    /** JSON bodies must be wrapped in the singular root key; form bodies are flat. */
    private Map<String, JsonNode> readFields(HttpExchange exchange, ImageType type) throws IOException {
        String contentType = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
        byte[] body = SimulatorServer.readBody(exchange);
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        if (contentType.startsWith("application/x-www-form-urlencoded")) {
            for (Map.Entry<String, String> field : FormFields.parse(new String(body, StandardCharsets.UTF_8)).entrySet()) {
                fields.put(field.getKey(), json.getNodeFactory().textNode(field.getValue()));
            }
            return fields.isEmpty() ? null : fields;
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode wrapped = root == null ? null : root.get(type.singular);
        if (wrapped == null || !wrapped.isObject()) {
            return null;
        }
        wrapped.fields().forEachRemaining(entry -> fields.put(entry.getKey(), entry.getValue()));
        return fields;
    }

    // ---------------------------------------------------------------- builds

    private SimImage register(SimImage image) {
        image.persist(json);
        images.put(image.id, image);
        created.put(image.id, image);
        return image;
    }

    /** Starts the build when a slot is free; until then the image waits in PENDING. */
    private void startBuild(SimImage image) {
        boolean startedNow = slots.acquire(() -> clock.execute(() -> runStep(image, 0)));
        if (!startedNow && image.status() == FactoryStatus.NEW) {
            changeStatus(image, FactoryStatus.PENDING);
        }
    }

    /** A child waits (PENDING) while its parent builds, and fails at once if the parent fails. */
    private void followParent(SimImage child, SimImage parent) {
        FactoryStatus parentStatus = parent.status();
        if (parentStatus == FactoryStatus.COMPLETE) {
            startBuild(child);
        } else if (parentStatus == FactoryStatus.FAILED || !images.containsKey(parent.id)) {
            child.fail(child.type.shortName + " Image build failed with exception", "ImageFactoryException: Parent "
                    + parent.type.typeName + " " + parent.id + " has failed its build, cannot continue");
            reachedOutcome(child);
        } else {
            if (child.status() == FactoryStatus.NEW) {
                changeStatus(child, FactoryStatus.PENDING);
            }
            clock.schedule(() -> followParent(child, parent), stepDuration.toMillis() / 2 + 1, TimeUnit.MILLISECONDS);
        }
    }

    private static List<String> steps(SimImage image) {
        return switch (image.type) {
            case BASE -> BASE_STEPS;
            case TARGET -> List.of("Customizing image for " + image.target, "Converting image format",
                    "Finishing target image");
            case PROVIDER -> List.of("Uploading image to " + image.provider, "Registering image with the provider",
                    "Waiting for the image to become available");
        };
    }

    private static Optional<String> plannedError(SimImage image) {
        return switch (image.type) {
            case BASE -> FailurePlan.baseImageError(image.template);
            case TARGET -> FailurePlan.targetImageError(image.template, image.target);
            case PROVIDER -> image.credentialsFail
                    ? Optional.of("ImageFactoryException: The provider rejected the credentials (simulated: the "
                            + "credentials carry the marker '" + FailurePlan.MARKER + "')")
                    : Optional.empty();
        };
    }

    private void runStep(SimImage image, int step) {
        List<String> steps = steps(image);
        if (step == 0) {
            changeStatus(image, FactoryStatus.BUILDING);
            if (progressEvery != null) {
                long total = steps.size() * stepDuration.toMillis();
                clock.schedule(() -> reportProgress(image, System.nanoTime(), total), progressEvery.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        if (step < steps.size()) {
            int percent = progressEvery != null ? image.percent() : verbose ? VERBOSE_LADDER[step] : 0;
            image.progress(percent, steps.get(step));
            clock.schedule(() -> runStep(image, step + 1), stepDuration.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Optional<String> error = plannedError(image);
        if (error.isEmpty() && faults.nextBuildFails()) {
            error = Optional.of("ImageFactoryException: Simulated build failure (fault injection: buildFailureRate "
                    + faults.settings().buildFailureRate() + ")");
        }
        if (error.isPresent()) {
            image.fail(image.type.shortName + " Image build failed with exception", error.get());
        } else {
            if (image.type == ImageType.PROVIDER) {
                // What the Mock cloud plugin answered; EC2 gave AMI ids.
                String identifier = image.target.equals("ec2")
                        ? "ami-" + UUID.randomUUID().toString().substring(0, 8) : UUID.randomUUID().toString();
                image.pushed(identifier, image.accountIdentifier);
            }
            image.complete(image.type.shortName + " Image build complete", icicle(image));
        }
        slots.release();
        reachedOutcome(image);
    }

    /** Not faithful (see {@link Builder#progressReports}): a callback per percentage step while building. */
    private void reportProgress(SimImage image, long startedAt, long totalMillis) {
        if (image.status() != FactoryStatus.BUILDING) {
            return;
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        image.progress((int) Math.min(99, elapsed * 100 / Math.max(1, totalMillis)), image.activity());
        sendCallbacks(image);
        clock.schedule(() -> reportProgress(image, startedAt, totalMillis), progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void reachedOutcome(SimImage image) {
        targetBuildsInFlight.remove(image.id);
        image.persist(json);
        sendCallbacks(image);
    }

    private void changeStatus(SimImage image, FactoryStatus next) {
        if (image.moveTo(next)) {
            sendCallbacks(image);
        }
    }

    private static String icicle(SimImage image) {
        return "<icicle><description>Packages of image " + image.id + "</description><packages>"
                + "<package name=\"bash\"/><package name=\"kernel\"/><package name=\"openssh-server\"/>"
                + "</packages></icicle>";
    }

    private void sendCallbacks(SimImage image) {
        sendCallbacks(image, image.parameters);
    }

    /** PUT to every callback URL once; failures are logged and forgotten, as factory did. */
    private void sendCallbacks(SimImage image, JsonNode parameters) {
        JsonNode callbacks = parameters == null ? null : parameters.get("callbacks");
        if (callbacks == null || !callbacks.isArray() || callbacks.isEmpty()) {
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.set(image.type.singular, image.fields(json));
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        for (JsonNode callback : callbacks) {
            String url = callback.asText();
            if (faults.loseNextCallback()) {
                log.debug("callback {} lost on purpose", url);
                continue;
            }
            callbackSender.execute(() -> deliver(url, payload));
        }
    }

    private void deliver(String url, byte[] payload) {
        try {
            URI uri = URI.create(url);
            Request.Builder request = new Request.Builder().put(RequestBody.create(payload, JSON));
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                String credentials = URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
                request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
                uri = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
            }
            try (Response response = callbackClient.newCall(request.url(uri.toString()).build()).execute()) {
                log.debug("callback {} answered {}", url, response.code());
            }
        } catch (Exception e) {
            log.debug("callback {} failed: {}", url, e.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    private ObjectNode reference(HttpExchange exchange, ImageType type, String id) {
        ObjectNode ref = json.createObjectNode();
        ref.put("_type", type.typeName);
        ref.put("id", id);
        ref.put("href", collectionUrl(exchange, type) + "/" + id);
        return ref;
    }

    private static String collectionUrl(HttpExchange exchange, ImageType type) {
        return hostUrl(exchange) + "/imagefactory/" + type.collection;
    }

    private static String requestUrl(HttpExchange exchange) {
        return hostUrl(exchange) + exchange.getRequestURI().getPath();
    }

    private static String hostUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return "http://" + (host != null ? host : exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort());
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        SimulatorServer.send(exchange, status, "application/json", json.writeValueAsBytes(body));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures a simulator; every setting has a default fit for tests. */
    public static final class Builder {
        private InetAddress address = InetAddress.getLoopbackAddress();
        private int port;
        private Duration stepDuration = Duration.ofMillis(100);
        private boolean verbose;
        private Duration progressEvery;
        private int maxConcurrentBuilds = 2;
        private FaultSettings faults = FaultSettings.none();
        private final Map<String, String> oauthClients = new HashMap<>();

        private Builder() {
        }

        /**
         * Requires two-legged OAuth 1.0 (HMAC-SHA1) on every image route, as factory did by default;
         * call once per consumer key. Off unless called, as in most deployments ({@code --no_oauth}).
         */
        public Builder oauthClient(String consumerKey, String consumerSecret) {
            this.oauthClients.put(consumerKey, consumerSecret);
            return this;
        }

        /** Faults from the start; {@code POST /_sim/faults} changes them later. */
        public Builder faults(FaultSettings faults) {
            this.faults = faults;
            return this;
        }

        /** The address to listen on; loopback by default. */
        public Builder address(String host) {
            try {
                this.address = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host " + host, e);
            }
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long each build step takes; a build has three steps per image. */
        public Builder stepDuration(Duration stepDuration) {
            this.stepDuration = stepDuration;
            return this;
        }

        /**
         * Not faithful: GET shows live status, activity and a 10/30/50/100 percent ladder. Real
         * factory persisted only NEW and the outcome, and its percent stayed 0.
         */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /**
         * Not faithful: while an image builds, its percentage grows with the time elapsed and a
         * callback reports it every {@code every} (real factory called back on status changes only).
         * For measuring what a chatty progress feed costs a client; off by default.
         */
        public Builder progressReports(Duration every) {
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("progress reports need a positive interval, was " + every);
            }
            this.progressEvery = every;
            return this;
        }

        /** Factory's {@code max_concurrent_local_sessions}; 2 by default, as factory's own. */
        public Builder maxConcurrentBuilds(int maxConcurrentBuilds) {
            this.maxConcurrentBuilds = maxConcurrentBuilds;
            return this;
        }

        public FactorySimulator start() {
            return new FactorySimulator(this);
        }
    }
}
