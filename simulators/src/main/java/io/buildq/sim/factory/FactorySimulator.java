package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.http.Faults;
import io.buildq.sim.http.OAuthVerifier;
import io.buildq.sim.http.SelfSignedCertificate;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
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
 * An Image Factory (REST v2, 2012 to 2016) over real HTTP, for tests and the demo. By default it
 * behaves like a stock factory as {@code shared/reference/real-install-notes.md} describes it, flaws
 * included; where the notes and factory's source (imgfac/Builder.py, imgfac/rest/*.py) disagree, it
 * follows the source. Defaults:
 * <ul>
 *   <li>OAuth off unless {@link Builder#oauthClient} is called; then factory's two-legged check with
 *       python-oauth2 1.5.211's answers (Q1): no header is a 500 "HTTP Response 401", an unknown key
 *       the only 401, query parameters count twice in the base string, the nonce and body hash are
 *       never checked. Order: route, OAuth, Accept (406), handler.</li>
 *   <li>Request bodies as bottle 0.10.9 under Paste read them (Q9, {@link FormData}).</li>
 *   <li>No concurrency limit (Q6). GET shows the stored record only: NEW, percent 0, until the
 *       outcome is saved; PENDING appears in a target's 202 and in callbacks, never on GET.</li>
 *   <li>A template builds a new base image even with a {@code base_image_id}; an id alone reuses
 *       that base image (waiting while it is stored NEW); failures after the record is stored leave an
 *       orphan at NEW (Q7, Q8). Base image callbacks go to the target's URLs from their own worker,
 *       so their order against the target's varies.</li>
 *   <li>{@link #restart()} (or {@code POST /_sim/restart}) drops all in-flight work and leaves those
 *       records at NEW forever (Q4).</li>
 *   <li>DELETE removes the record whatever its status; a build in flight goes on, then calls back
 *       COMPLETE and FAILED ("not managed") and never DELETED (observed). An unknown target fails
 *       after the 202 with "No plugin .info file loaded for target" (observed).</li>
 * </ul>
 * Named deviations: {@link Builder#verbose} (live status on GET), {@link Builder#maxConcurrentBuilds}
 * (a build limit), {@link Builder#progressReports} (progress callbacks), {@link Builder#oauthStrictRfc}
 * (query counted once), {@link Builder#callbackBeforeSave} (widens the callback/save race of Q5),
 * {@link Builder#knownTargets}, and the fault injection of {@link #faults()}.
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
    /** The "targets" of each imagefactory_plugins/NAME/NAME.info at 0e7b1b3, and MockSphere (2012's MockCloud). */
    static final Set<String> DEFAULT_TARGETS = Set.of("atlas", "docker", "ec2", "gce", "hyperv", "indirection",
            "MockCloud", "MockSphere", "OVA", "openstack-kvm", "rackspace", "rhevm", "vsphere");

    private final ObjectMapper json = new ObjectMapper();
    private final Faults faults = new Faults();
    private final OAuthVerifier oauth;
    private final Map<String, SimImage> images = new ConcurrentHashMap<>();
    /** Every image ever created, deleted ones too, for {@link #reportedStatuses}. */
    private final Map<String, SimImage> created = new ConcurrentHashMap<>();
    private final AtomicInteger createdTargetImages = new AtomicInteger();
    private final AtomicInteger createdBaseImages = new AtomicInteger();
    /** Bumped by {@link #restart()}: work scheduled under an older generation is dropped. */
    private final AtomicInteger generation = new AtomicInteger();
    /** One lane per image (or deletion) and callback URL: factory's CallbackWorkers. */
    private final Map<String, CallbackLane> callbackLanes = new ConcurrentHashMap<>();
    private final Duration callbackBeforeSave;
    private final boolean oauthStrictRfc;
    private final Set<String> knownTargets;
    private final int maxConcurrentBuilds;
    private final Set<String> targetBuildsInFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger peakTargetBuildsInFlight = new AtomicInteger();
    private final Duration stepDuration;
    private final Duration progressEvery;
    private final boolean verbose;
    private volatile BuildSlots slots;
    private final ScheduledExecutorService clock;
    private final ExecutorService callbackPool;
    private final OkHttpClient callbackClient;
    private final SimulatorServer server;
    /** The certificate of this start when serving HTTPS, else null. */
    private final SelfSignedCertificate certificate;

    private FactorySimulator(Builder builder) {
        this.stepDuration = builder.stepDuration;
        this.progressEvery = builder.progressEvery;
        this.verbose = builder.verbose;
        this.maxConcurrentBuilds = builder.maxConcurrentBuilds;
        this.slots = new BuildSlots(builder.maxConcurrentBuilds);
        this.callbackBeforeSave = builder.callbackBeforeSave;
        this.oauthStrictRfc = builder.oauthStrictRfc;
        this.knownTargets = Set.copyOf(builder.knownTargets);
        this.clock = Executors.newSingleThreadScheduledExecutor(daemon("factory-sim-clock"));
        // Many lanes share this pool; each lane sends its own callbacks in order (CallbackLane).
        this.callbackPool = Executors.newCachedThreadPool(daemon("factory-sim-callbacks"));
        this.callbackClient = new OkHttpClient.Builder()
                .callTimeout(Duration.ofSeconds(10))
                .build();
        this.faults.set(builder.faults);
        this.oauth = builder.oauthClients.isEmpty() ? null : new OAuthVerifier(builder.oauthClients);
        // Like paste with --ssl_pem '*': a new certificate at every start, never stored.
        this.certificate = builder.https == null ? null : SelfSignedCertificate.generate(builder.https);
        this.server = SimulatorServer.start("factory-sim", builder.address, builder.port,
                certificate == null ? null : certificate.serverContext(), faults,
                "Internal Server Error", this::handle);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The REST root, e.g. {@code http://127.0.0.1:8075/imagefactory} ({@code https://} when serving HTTPS). */
    public String baseUrl() {
        return scheme() + "://" + server.host() + ":" + server.port() + "/imagefactory";
    }

    /** The certificate this start serves (see {@link Builder#https}), or null over plain HTTP. */
    public X509Certificate certificate() {
        return certificate == null ? null : certificate.certificate();
    }

    /** {@code http} or {@code https}, as paste's {@code wsgi.url_scheme}: it starts every href. */
    private String scheme() {
        return server.scheme();
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

    /** How many base images were created, by base image POSTs and by target or provider POSTs with a template. */
    public int createdBaseImages() {
        return createdBaseImages.get();
    }

    /** The base image a target image was built on, as factory knows it now; empty for other ids. */
    public Optional<String> baseImageOf(String targetImageId) {
        SimImage image = created.get(targetImageId);
        return image == null || image.type != ImageType.TARGET ? Optional.empty() : Optional.ofNullable(image.parentId());
    }

    /**
     * A factory restart (real-install-notes Q4): every thread, pending step and callback worker is
     * dropped. Images stored at NEW then answer GET 200 with NEW, percent 0, "Initializing image
     * prior to Cloud/OS customization" and no error, forever, with no callback; completed and failed
     * records stay. Also reachable as {@code POST /_sim/restart}.
     */
    public void restart() {
        generation.incrementAndGet();
        callbackLanes.values().forEach(CallbackLane::drop);
        callbackLanes.clear();
        slots = new BuildSlots(maxConcurrentBuilds);
        targetBuildsInFlight.clear();
        images.values().forEach(SimImage::restartedFromDisk);
        log.debug("factory simulator restarted: in-flight work dropped");
    }

    private void targetBuildStarted(SimImage image) {
        targetBuildsInFlight.add(image.id);
        peakTargetBuildsInFlight.accumulateAndGet(targetBuildsInFlight.size(), Math::max);
    }

    @Override
    public void close() {
        server.close();
        clock.shutdownNow();
        callbackPool.shutdownNow();
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
        if (path.equals("/_sim/restart") && exchange.getRequestMethod().equals("POST")) {
            SimulatorServer.readBody(exchange);
            restart();
            SimulatorServer.send(exchange, 204, null, new byte[0]);
            return;
        }
        if (segments.isEmpty() || !segments.get(0).equals("imagefactory")) {
            SimulatorServer.sendText(exchange, 404, "Not found: '" + path + "'");
            return;
        }
        boolean open = segments.size() == 1 || segments.get(1).equals("jeos") || segments.get(1).equals("targets");
        if (!open && oauth != null) {
            // Route, then @oauth_protect, then @check_accept_header, then the handler (RESTv2.py).
            OAuthVerifier.FactoryRefusal refusal = oauth.factoryRefusal(exchange, scheme(), oauthStrictRfc,
                    Instant.now().getEpochSecond());
            if (refusal != null) {
                if (refusal.wwwAuthenticate()) {
                    exchange.getResponseHeaders().set("WWW-Authenticate", "OAuth");
                }
                SimulatorServer.sendText(exchange, refusal.status(), refusal.body());
                return;
            }
        }
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
            delete(exchange, rest.get(rest.size() - 1));
        } else if (!single && method.equals("GET")) {
            list(exchange, type, rest);
        } else if (!single && method.equals("POST")) {
            Map<String, JsonNode> fields = readFields(exchange, type);
            if (fields == null) {
                return; // readFields answered
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
                putReference(exchange, fields, "base_image", ImageType.BASE, parentShown(image));
                ArrayNode refs = fields.putObject("provider_images").putArray("provider_images");
                childrenOf(id, ImageType.PROVIDER).forEach(child ->
                        refs.addObject().set("provider_image", reference(exchange, ImageType.PROVIDER, child.id)));
            }
            case PROVIDER -> putReference(exchange, fields, "target_image", ImageType.TARGET, parentShown(image));
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
                .filter(image -> parentId == null || parentId.equals(image.persistedParentId()))
                .forEach(image -> refs.addObject().set(type.singular, reference(exchange, type, image.id)));
        ObjectNode body = json.createObjectNode();
        body.set(type.collection, refs);
        sendJson(exchange, 200, body);
    }

    /** Builder.build_image_from_template: add_image, then the callback workers, then the thread. */
    private void createBase(HttpExchange exchange, Map<String, JsonNode> fields) throws IOException {
        String template = text(fields.get("template"));
        if (template == null) {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: a base image needs a template");
            return;
        }
        JsonNode parameters = parameters(fields);
        SimImage base = registerBase(template, parameters);
        String flaw = callbacksLookupError(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        respondCreated(exchange, base);
        later(() -> startBuild(base));
    }

    /**
     * Builder.customize_image_for_target (imgfac/Builder.py), flaws included (real-install-notes Q7,
     * Q8): the record is stored first, so every failure below leaves an orphan target image at NEW;
     * a template always builds a new base image, even when {@code base_image_id} is sent too (the
     * "not both" branch comes after the template branch and is unreachable).
     */
    private void createTarget(HttpExchange exchange, Map<String, JsonNode> fields, String parentFromPath)
            throws IOException {
        String target = text(fields.get("target"));
        String template = text(fields.get("template"));
        String baseImageId = Optional.ofNullable(text(fields.get("base_image_id"))).orElse(parentFromPath);
        if (target == null) {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: KeyError: 'target'");
            return;
        }
        JsonNode parameters = parameters(fields);
        SimImage image = register(new SimImage(uuid(), ImageType.TARGET, template, target, baseImageId, parameters));
        createdTargetImages.incrementAndGet();
        String flaw = callbacksLookupError(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        SimImage base;
        boolean startedBase;
        if (template != null) {
            // build_image_from_template gets the target's parameters: base callbacks go to the same URLs.
            base = registerBase(template, parameters);
            image.parentId(base.id);
            startedBase = true;
            later(() -> startBuild(base));
        } else if (baseImageId != null) {
            base = images.get(baseImageId); // pim.image_with_id: None for an unknown id
            if (base == null) {
                SimulatorServer.sendText(exchange, 500, "'NoneType' object has no attribute 'template'");
                return;
            }
            image.template(base.template());
            startedBase = false;
        } else {
            SimulatorServer.sendText(exchange, 500, "Asked to create a TargetImage without a BaseImage or a template");
            return;
        }
        targetBuildStarted(image);
        // The target thread starts before the 202 is built and sets PENDING while it waits (Q6, observed).
        if (startedBase || waiting(base.persistedStatus())) {
            changeStatus(image, FactoryStatus.PENDING);
        }
        respondCreated(exchange, image);
        later(() -> followParent(image, base, startedBase));
    }

    /** Builder.create_image_on_provider: push_image_to_provider or snapshot_image, record stored first. */
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
        boolean snapshot = parameters != null && parameters.isObject() && parameters.path("snapshot").asBoolean(false);
        String template = text(fields.get("template"));
        boolean credentialsFail = credentials.contains(FailurePlan.MARKER);
        String account = accountIdentifier(credentials);
        String targetImageId = Optional.ofNullable(text(fields.get("target_image_id"))).orElse(parentFromPath);
        SimImage image = register(new SimImage(uuid(), ImageType.PROVIDER, template, target, snapshot ? null : targetImageId,
                parameters, provider, credentialsFail, account));
        String flaw = callbacksLookupError(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        if (snapshot) {
            if (template == null) {
                SimulatorServer.sendText(exchange, 500, "Must specify a template when requesting a snapshot-style build");
                return;
            }
            respondCreated(exchange, image);
            later(() -> startIfTargetKnown(image));
            return;
        }
        SimImage parent;
        boolean startedParent;
        if (targetImageId != null && template == null) {
            parent = images.get(targetImageId);
            if (parent == null) {
                SimulatorServer.sendText(exchange, 500, "Unable to retrieve target image with id (" + targetImageId
                        + ") from storage");
                return;
            }
            image.template(parent.template());
            startedParent = false;
        } else if (template != null && targetImageId != null) {
            SimulatorServer.sendText(exchange, 500, "Must specify either a template or a TargetImage ID, not both");
            return;
        } else if (template != null) {
            SimImage base = registerBase(template, parameters);
            SimImage targetImage = register(new SimImage(uuid(), ImageType.TARGET, template, target, null, parameters));
            createdTargetImages.incrementAndGet();
            targetImage.parentId(base.id);
            targetBuildStarted(targetImage);
            changeStatus(targetImage, FactoryStatus.PENDING);
            later(() -> startBuild(base));
            later(() -> followParent(targetImage, base, true));
            image.parentId(targetImage.id);
            parent = targetImage;
            startedParent = true;
        } else {
            SimulatorServer.sendText(exchange, 500, "Asked to create a ProviderImage without a TargetImage or a template");
            return;
        }
        if (startedParent || waiting(parent.persistedStatus())) {
            changeStatus(image, FactoryStatus.PENDING);
        }
        respondCreated(exchange, image);
        later(() -> followParent(image, parent, startedParent));
    }

    private SimImage registerBase(String template, JsonNode parameters) {
        SimImage base = register(new SimImage(uuid(), ImageType.BASE, template, null, null, parameters));
        createdBaseImages.incrementAndGet();
        return base;
    }

    /**
     * {@code if parameters and ('callbacks' in parameters): parameters['callbacks']} in Builder.py: a
     * form-encoded {@code parameters} arrives as a string, so this is a substring test and the lookup
     * then raises TypeError, after add_image (a 500 and an orphan record). Null when nothing is raised.
     */
    private static String callbacksLookupError(JsonNode parameters) {
        if (parameters == null) {
            return null;
        }
        if (parameters.isTextual() && parameters.asText().contains("callbacks")) {
            return "string indices must be integers, not str";
        }
        if (parameters.isArray()) {
            for (JsonNode item : parameters) {
                if (item.isTextual() && item.asText().equals("callbacks")) {
                    return "list indices must be integers, not str";
                }
            }
        }
        return null;
    }

    private static boolean waiting(FactoryStatus stored) {
        return stored == FactoryStatus.NEW || stored == FactoryStatus.PENDING;
    }

    /**
     * RESTv2 {@code delete_image_with_id}, then Builder.delete_image. The image is looked up by id
     * whatever the collection in the path. Callbacks go only to the URLs in the DELETE's own
     * {@code parameters} (a new Builder's deletion workers): the build's own workers never hear of
     * it. Deleting an image still building removes only the record; the build goes on and, when it
     * ends, save_image fails (see {@link #save}) (observed; Q8).
     */
    private void delete(HttpExchange exchange, String id) throws IOException {
        SimImage image = images.get(id);
        if (image == null) {
            SimulatorServer.readBody(exchange);
            SimulatorServer.sendText(exchange, 404, "No image found with id: " + id);
            return;
        }
        FormData.Result read = FormData.read(exchange, json);
        if (read instanceof FormData.Refused refused) {
            SimulatorServer.sendText(exchange, refused.status(), refused.body());
            return;
        }
        ObjectNode form = ((FormData.Fields) read).data();
        JsonNode parameters = null;
        boolean deleteFails = false;
        if (!form.isEmpty()) {
            JsonNode root = form.get(image.type.singular);
            JsonNode request = root != null && root.isObject() ? root : form;
            if (image.type == ImageType.PROVIDER) {
                List<String> missing = new ArrayList<>();
                for (String required : List.of("provider", "credentials", "target")) {
                    if (!request.has(required)) {
                        missing.add(required);
                    }
                }
                if (!missing.isEmpty()) {
                    SimulatorServer.sendText(exchange, 400, "Missing required values: " + FormData.pythonSet(missing));
                    return;
                }
                deleteFails = String.valueOf(text(request.get("credentials"))).contains(FailurePlan.MARKER);
            }
            parameters = request.get("parameters");
        } else if (image.type == ImageType.PROVIDER) {
            SimulatorServer.sendText(exchange, 400, "Missing required values:"
                    + FormData.pythonSet(List.of("provider", "credentials", "target")));
            return;
        }
        String flaw = callbacksLookupError(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        JsonNode deletionParameters = parameters;
        String lane = "delete " + uuid();
        // _delete_image works on a copy read from storage, not on the builder's own object.
        boolean buildEnded = image.buildEnded();
        ObjectNode stored = image.persistedFields(json);
        if (image.type != ImageType.PROVIDER) {
            // Base and target images are only removed from storage: done before the 204 leaves.
            images.remove(image.id);
            targetBuildsInFlight.remove(image.id);
            SimulatorServer.send(exchange, 204, null, new byte[0]);
            if (buildEnded) {
                image.moveTo(FactoryStatus.DELETING);
                image.moveTo(FactoryStatus.DELETED);
            }
            sendCallbacks(lane, image.type, withStatus(stored, FactoryStatus.DELETING, null, null), deletionParameters);
            sendCallbacks(lane, image.type, withStatus(stored, FactoryStatus.DELETED, "Image deleted.", null),
                    deletionParameters);
            return;
        }
        SimulatorServer.send(exchange, 204, null, new byte[0]);
        boolean refusedByProvider = deleteFails;
        later(() -> {
            image.moveTo(FactoryStatus.DELETING);
            sendCallbacks(lane, image.type, withStatus(stored, FactoryStatus.DELETING, null, null), deletionParameters);
            later(() -> {
                if (refusedByProvider) {
                    image.deleteFailed("Provider refused to delete the image (simulated: the credentials carry the marker '"
                            + FailurePlan.MARKER + "')");
                    image.persist(json);
                    sendCallbacks(lane, image.type, image.fields(json), deletionParameters);
                } else {
                    images.remove(image.id);
                    image.moveTo(FactoryStatus.DELETED);
                    sendCallbacks(lane, image.type, withStatus(stored, FactoryStatus.DELETED, "Image deleted.", null),
                            deletionParameters);
                }
            }, stepDuration.toMillis());
        });
    }

    private static ObjectNode withStatus(ObjectNode stored, FactoryStatus status, String activity, String error) {
        ObjectNode fields = stored.deepCopy();
        fields.put("status", status.name());
        if (activity != null) {
            ObjectNode detail = fields.putObject("status_detail");
            detail.put("activity", activity);
            if (error == null) {
                detail.putNull("error");
            } else {
                detail.put("error", error);
            }
        }
        return fields;
    }

    private void respondCreated(HttpExchange exchange, SimImage image) throws IOException {
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
        return images.values().stream().filter(image -> image.type == type && parentId.equals(image.persistedParentId()))
                .toList();
    }

    /**
     * GET reads the stored record, written at add_image time: a target image built from a template
     * is stored before its base image exists, so it names none until its outcome is saved.
     */
    private String parentShown(SimImage image) {
        return verbose ? image.parentId() : image.persistedParentId();
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

    /**
     * RESTv2 {@code create_image}'s reading of the body (Q9, see {@link FormData}): form bodies are
     * flat, JSON ones wrapped in the singular root key. Null when it has answered already.
     */
    private Map<String, JsonNode> readFields(HttpExchange exchange, ImageType type) throws IOException {
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
            SimulatorServer.sendText(exchange, 500, "'" + FormData.pythonType(request) + "' object has no attribute 'get'");
            return null;
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        request.fields().forEachRemaining(entry -> fields.put(entry.getKey(), entry.getValue()));
        return fields;
    }

    // ---------------------------------------------------------------- builds

    /** PersistentImageManager.add_image: the record is stored (at NEW) before anything else happens. */
    private SimImage register(SimImage image) {
        image.persist(json);
        images.put(image.id, image);
        created.put(image.id, image);
        return image;
    }

    /** Runs {@code task} on the clock unless {@link #restart()} came first. */
    private void later(Runnable task) {
        int scheduledIn = generation.get();
        clock.execute(() -> {
            if (scheduledIn == generation.get()) {
                task.run();
            }
        });
    }

    private void later(Runnable task, long delayMillis) {
        int scheduledIn = generation.get();
        clock.schedule(() -> {
            if (scheduledIn == generation.get()) {
                task.run();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts the build at once; only with the {@link Builder#maxConcurrentBuilds} deviation may it wait in PENDING. */
    private void startBuild(SimImage image) {
        boolean startedNow = slots.acquire(() -> later(() -> runStep(image, 0)));
        if (!startedNow && image.status() == FactoryStatus.NEW) {
            changeStatus(image, FactoryStatus.PENDING);
        }
    }

    /** PluginManager.plugin_for_target raises before the image reaches BUILDING (observed: 202, then FAILED). */
    private void startIfTargetKnown(SimImage image) {
        if (!knownTargets.contains(image.target)) {
            failBeforeBuilding(image, "No plugin .info file loaded for target: " + image.target);
        } else {
            startBuild(image);
        }
    }

    /**
     * Builder._customize_image_for_target and _push_image_to_provider: a child waits (PENDING) for its
     * parent, then builds, or fails with factory's text. A parent started by the same request is
     * waited for with {@code Thread.join()} (until its save); one named by id is re-read from storage
     * every 5 s ({@code _wait_for_final_status}) while stored NEW or PENDING, so a parent interrupted
     * by a restart keeps the child PENDING in memory forever (Q4).
     */
    private void followParent(SimImage child, SimImage parent, boolean startedParent) {
        FactoryStatus parentStatus;
        if (startedParent) {
            if (!parent.buildEnded()) {
                later(() -> followParent(child, parent, true), pollMillis());
                return;
            }
            parentStatus = parent.status();
        } else {
            SimImage stored = images.get(parent.id);
            if (stored == null) {
                failBeforeBuilding(child, "'NoneType' object has no attribute 'status'");
                return;
            }
            parentStatus = stored.persistedStatus();
            if (waiting(parentStatus)) {
                changeStatus(child, FactoryStatus.PENDING);
                later(() -> followParent(child, parent, false), pollMillis());
                return;
            }
        }
        String parentType = parent.type.typeName;
        String childType = child.type.typeName;
        if (parentStatus == FactoryStatus.FAILED) {
            failBeforeBuilding(child, "The " + parentType + " (" + parent.id + ") for our " + childType
                    + " has failed its build.  Cannot continue.");
        } else if (parentStatus != FactoryStatus.COMPLETE) {
            failBeforeBuilding(child, "Got to " + childType + " build step with a " + parentType + " status of ("
                    + parentStatus + ").  This should never happen.  Aborting.");
        } else {
            startIfTargetKnown(child);
        }
    }

    private long pollMillis() {
        return stepDuration.toMillis() / 2 + 1;
    }

    private void failBeforeBuilding(SimImage image, String error) {
        image.fail(failedActivity(image.type), error);
        reachedOutcome(image);
    }

    /** The activity each Builder thread's {@code except} sets (the base image's ends with a period). */
    private static String failedActivity(ImageType type) {
        return type.shortName + " Image build failed with exception" + (type == ImageType.BASE ? "." : "");
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
            case BASE -> FailurePlan.baseImageError(image.template());
            case TARGET -> FailurePlan.targetImageError(image.template(), image.target);
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
                later(() -> reportProgress(image, System.nanoTime(), total), progressEvery.toMillis());
            }
        }
        if (step < steps.size()) {
            int percent = progressEvery != null ? image.percent() : verbose ? VERBOSE_LADDER[step] : 0;
            image.progress(percent, steps.get(step));
            later(() -> runStep(image, step + 1), stepDuration.toMillis());
            return;
        }
        Optional<String> error = plannedError(image);
        if (error.isEmpty() && faults.nextBuildFails()) {
            error = Optional.of("ImageFactoryException: Simulated build failure (fault injection: buildFailureRate "
                    + faults.settings().buildFailureRate() + ")");
        }
        if (error.isPresent()) {
            image.fail(failedActivity(image.type), error.get());
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
        later(() -> reportProgress(image, startedAt, totalMillis), progressEvery.toMillis());
    }

    /**
     * The status is set first, which posts the callback (NotificationCenter, synchronous), and only
     * then does save_image store it (Q5). With {@link Builder#callbackBeforeSave} the save waits.
     */
    private void reachedOutcome(SimImage image) {
        targetBuildsInFlight.remove(image.id);
        sendCallbacks(image);
        if (callbackBeforeSave.isZero()) {
            save(image);
        } else {
            later(() -> save(image), callbackBeforeSave.toMillis());
        }
    }

    /**
     * FilePersistentImageManager.save_image. An image deleted while it built is no longer managed:
     * after a COMPLETE the error turns it FAILED (one more callback); after a FAILED the thread dies.
     */
    private void save(SimImage image) {
        if (images.get(image.id) == image) {
            image.persist(json);
        } else if (image.status() == FactoryStatus.COMPLETE) {
            image.fail(failedActivity(image.type), "Image " + image.id + " not managed, use \"add_image()\" first.");
            sendCallbacks(image);
        }
        image.endBuild();
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
        sendCallbacks("build " + image.id, image.type, image.fields(json), image.parameters);
    }

    /**
     * PUT to every callback URL once, through that URL's lane; failures are logged and forgotten, as
     * factory's CallbackWorker did. A {@code parameters} that is not a dict (a form's string) has none.
     */
    private void sendCallbacks(String lane, ImageType type, ObjectNode fields, JsonNode parameters) {
        JsonNode callbacks = parameters == null || !parameters.isObject() ? null : parameters.get("callbacks");
        if (callbacks == null || !callbacks.isArray() || callbacks.isEmpty()) {
            return;
        }
        ObjectNode body = json.createObjectNode();
        body.set(type.singular, fields);
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        int sentIn = generation.get();
        for (JsonNode callback : callbacks) {
            String url = callback.asText();
            if (faults.loseNextCallback()) {
                log.debug("callback {} lost on purpose", url);
                continue;
            }
            callbackLanes.computeIfAbsent(lane + " " + url, key -> new CallbackLane(callbackPool)).submit(() -> {
                if (sentIn == generation.get()) {
                    deliver(url, payload);
                }
            });
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

    private String collectionUrl(HttpExchange exchange, ImageType type) {
        return hostUrl(exchange) + "/imagefactory/" + type.collection;
    }

    private String requestUrl(HttpExchange exchange) {
        return hostUrl(exchange) + exchange.getRequestURI().getPath();
    }

    private String hostUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return scheme() + "://" + (host != null ? host : exchange.getLocalAddress().getHostString() + ":" + exchange.getLocalAddress().getPort());
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
        private int maxConcurrentBuilds;
        private Duration callbackBeforeSave = Duration.ZERO;
        private boolean oauthStrictRfc;
        private Set<String> knownTargets = DEFAULT_TARGETS;
        private FaultSettings faults = FaultSettings.none();
        private final Map<String, String> oauthClients = new HashMap<>();
        private SelfSignedCertificate.Profile https;

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

        /**
         * Not faithful: at most this many builds run at once, the rest wait in PENDING (which GET then
         * shows only with {@link #verbose}). 0, the default, is factory v2's: no limit at all
         * (real-install-notes Q6; {@code max_concurrent_local_sessions} served only v1's BuildJob).
         */
        public Builder maxConcurrentBuilds(int maxConcurrentBuilds) {
            if (maxConcurrentBuilds < 0) {
                throw new IllegalArgumentException("maxConcurrentBuilds must be 0 (no limit) or more, was " + maxConcurrentBuilds);
            }
            this.maxConcurrentBuilds = maxConcurrentBuilds;
            return this;
        }

        /**
         * When a build ends, sends its COMPLETE or FAILED callback and stores the outcome (so that GET
         * shows it) only {@code delay} later. Real factory posts the callback and then saves, on another
         * thread than the one that sends it, so the two race (Q5); the default, zero, saves right after
         * queueing the callback, which almost always wins that race.
         */
        public Builder callbackBeforeSave(Duration delay) {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("callbackBeforeSave must not be negative, was " + delay);
            }
            this.callbackBeforeSave = delay;
            return this;
        }

        /**
         * Not faithful: counts query parameters once in the OAuth base string, as RFC 5849 says. By
         * default they count twice, as python-oauth2 1.5.211 did, so any query string breaks a
         * signature that a correct client computed (Q1).
         */
        public Builder oauthStrictRfc(boolean strict) {
            this.oauthStrictRfc = strict;
            return this;
        }

        /**
         * The targets with a cloud plugin; any other gets 202 and then FAILED "No plugin .info file
         * loaded for target: X" (observed). By default the .info targets of factory's plugins
         * (imagefactory_plugins at 0e7b1b3) plus 2012's MockSphere; condorcloud (a v1 builder) is not.
         */
        public Builder knownTargets(Set<String> targets) {
            this.knownTargets = Set.copyOf(targets);
            return this;
        }

        /**
         * Serves HTTPS instead of HTTP, as factory did by default ({@code --ssl_pem '*'}): each
         * {@link #start()} generates a new self-signed certificate of this profile, so a client that
         * pinned the previous one is refused after a restart. {@link FactorySimulator#certificate()}
         * gives it; {@link SelfSignedCertificate.Profile#PASTE} is paste's own (MD5, RSA 768).
         */
        public Builder https(SelfSignedCertificate.Profile profile) {
            this.https = profile;
            return this;
        }

        public FactorySimulator start() {
            return new FactorySimulator(this);
        }
    }
}
