package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image POST routes: Builder.py's three ways to create an image, each storing its record before
 * anything can fail, answering 202 and leaving the build to {@link ImageBuilds} on the clock.
 */
final class ImageCreateHandler {

    private final ObjectMapper json;
    private final ImageRegistry registry;
    private final FactoryCounters counters;
    private final ImageBuilds builds;
    private final BuildClock clock;
    private final FactoryResponses responses;

    ImageCreateHandler(ObjectMapper json, ImageRegistry registry, FactoryCounters counters, ImageBuilds builds,
                       BuildClock clock, FactoryResponses responses) {
        this.json = json;
        this.registry = registry;
        this.counters = counters;
        this.builds = builds;
        this.clock = clock;
        this.responses = responses;
    }

    /** @param parentFromPath the parent image named in a nested collection's path, or null */
    void create(HttpExchange exchange, ImageType type, String parentFromPath) throws IOException {
        StartRequest request = StartRequest.read(exchange, type, json);
        if (request == null) {
            return; // read answered
        }
        switch (type) {
            case BASE -> createBase(exchange, request);
            case TARGET -> createTarget(exchange, request, parentFromPath);
            case PROVIDER -> createProvider(exchange, request, parentFromPath);
        }
    }

    /** Builder.build_image_from_template: add_image, then the callback workers, then the thread. */
    private void createBase(HttpExchange exchange, StartRequest request) throws IOException {
        String template = request.text("template");
        if (template == null) {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: a base image needs a template");
            return;
        }
        JsonNode parameters = request.parametersOrEmpty();
        SimImage base = registerBase(template, parameters);
        String flaw = CallbacksLookup.error(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        responses.respondCreated(exchange, base);
        clock.later(() -> builds.startBuild(base));
    }

    /**
     * Builder.customize_image_for_target (imgfac/Builder.py), flaws included (real-install-notes Q7,
     * Q8): the record is stored first, so every failure below leaves an orphan target image at NEW;
     * a template always builds a new base image, even when {@code base_image_id} is sent too (the
     * "not both" branch comes after the template branch and is unreachable).
     */
    private void createTarget(HttpExchange exchange, StartRequest request, String parentFromPath)
            throws IOException {
        String target = request.text("target");
        String template = request.text("template");
        String baseImageId = Optional.ofNullable(request.text("base_image_id")).orElse(parentFromPath);
        if (target == null) {
            SimulatorServer.sendText(exchange, 500, "Internal Server Error: KeyError: 'target'");
            return;
        }
        JsonNode parameters = request.parametersOrEmpty();
        SimImage image = registry.register(
                new SimImage(newId(), ImageType.TARGET, template, target, baseImageId, parameters));
        counters.targetImageCreated();
        String flaw = CallbacksLookup.error(parameters);
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
            clock.later(() -> builds.startBuild(base));
        } else if (baseImageId != null) {
            base = registry.find(baseImageId); // pim.image_with_id: None for an unknown id
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
        counters.targetBuildStarted(image);
        // The target thread starts before the 202 is built and sets PENDING while it waits (Q6, observed).
        if (startedBase || base.persistedStatus().isWaiting()) {
            builds.changeStatus(image, FactoryStatus.PENDING);
        }
        responses.respondCreated(exchange, image);
        clock.later(() -> builds.followParent(image, base, startedBase));
    }

    /** Builder.create_image_on_provider: push_image_to_provider or snapshot_image, record stored first. */
    private void createProvider(HttpExchange exchange, StartRequest request, String parentFromPath)
            throws IOException {
        String provider = request.text("provider");
        String credentials = request.text("credentials");
        String target = request.text("target");
        if (provider == null || credentials == null || target == null) {
            SimulatorServer.sendText(exchange, 400, "Missing key/value pair: provider(" + provider + "), credentials("
                    + (credentials == null ? "None" : "REDACTED") + "), target(" + target + ")");
            return;
        }
        JsonNode parameters = request.parameters();
        boolean snapshot = parameters != null && parameters.isObject() && parameters.path("snapshot").asBoolean(false);
        String template = request.text("template");
        boolean credentialsFail = credentials.contains(FailurePlan.MARKER);
        String account = accountIdentifier(credentials);
        String targetImageId = Optional.ofNullable(request.text("target_image_id")).orElse(parentFromPath);
        SimImage image = registry.register(new SimImage(newId(), ImageType.PROVIDER, template, target,
                snapshot ? null : targetImageId, parameters, provider, credentialsFail, account));
        String flaw = CallbacksLookup.error(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        if (snapshot) {
            if (template == null) {
                SimulatorServer.sendText(exchange, 500,
                        "Must specify a template when requesting a snapshot-style build");
                return;
            }
            responses.respondCreated(exchange, image);
            clock.later(() -> builds.startIfTargetKnown(image));
            return;
        }
        SimImage parent;
        boolean startedParent;
        if (targetImageId != null && template == null) {
            parent = registry.find(targetImageId);
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
            SimImage targetImage = registry.register(
                    new SimImage(newId(), ImageType.TARGET, template, target, null, parameters));
            counters.targetImageCreated();
            targetImage.parentId(base.id);
            counters.targetBuildStarted(targetImage);
            builds.changeStatus(targetImage, FactoryStatus.PENDING);
            clock.later(() -> builds.startBuild(base));
            clock.later(() -> builds.followParent(targetImage, base, true));
            image.parentId(targetImage.id);
            parent = targetImage;
            startedParent = true;
        } else {
            SimulatorServer.sendText(exchange, 500,
                    "Asked to create a ProviderImage without a TargetImage or a template");
            return;
        }
        if (startedParent || parent.persistedStatus().isWaiting()) {
            builds.changeStatus(image, FactoryStatus.PENDING);
        }
        responses.respondCreated(exchange, image);
        clock.later(() -> builds.followParent(image, parent, startedParent));
    }

    private SimImage registerBase(String template, JsonNode parameters) {
        SimImage base = registry.register(new SimImage(newId(), ImageType.BASE, template, null, null, parameters));
        counters.baseImageCreated();
        return base;
    }

    /** The EC2 access key or the user name the credentials carry; the Mock plugin's "mock_user" otherwise. */
    private static String accountIdentifier(String credentials) {
        for (String element : List.of("access_key", "username")) {
            Matcher matcher = Pattern.compile("<" + element + ">\\s*([^<]*?)\\s*</" + element + ">")
                    .matcher(credentials);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        return "mock_user";
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
