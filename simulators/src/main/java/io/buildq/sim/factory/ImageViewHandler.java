package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;

/**
 * The image GET routes: one image with references to its parent and children, or a collection. They
 * show the stored records only, unless {@link FactorySimulator.Builder#verbose} shows the live state.
 */
final class ImageViewHandler {

    private final ObjectMapper json;
    private final ImageRegistry registry;
    private final FactoryResponses responses;
    private final boolean verbose;

    ImageViewHandler(ObjectMapper json, ImageRegistry registry, FactoryResponses responses, boolean verbose) {
        this.json = json;
        this.registry = registry;
        this.responses = responses;
        this.verbose = verbose;
    }

    void getOne(HttpExchange exchange, ImageType type, String id) throws IOException {
        SimImage image = registry.find(id);
        if (image == null || image.type != type) {
            SimulatorServer.sendText(exchange, 404, "No " + type.typeName + " found with id: " + id);
            return;
        }
        ObjectNode fields = verbose ? image.fields(json) : image.persistedFields(json);
        fields.put("href", responses.requestUrl(exchange));
        switch (type) {
            case BASE -> {
                ArrayNode refs = fields.putObject("target_images").putArray("target_images");
                registry.stored(ImageType.TARGET, id).forEach(child -> refs.addObject()
                        .set("target_image", responses.reference(exchange, ImageType.TARGET, child.id)));
            }
            case TARGET -> {
                responses.putReference(exchange, fields, "base_image", ImageType.BASE, parentShown(image));
                ArrayNode refs = fields.putObject("provider_images").putArray("provider_images");
                registry.stored(ImageType.PROVIDER, id).forEach(child -> refs.addObject()
                        .set("provider_image", responses.reference(exchange, ImageType.PROVIDER, child.id)));
            }
            case PROVIDER ->
                    responses.putReference(exchange, fields, "target_image", ImageType.TARGET, parentShown(image));
        }
        ObjectNode body = json.createObjectNode();
        body.set(type.singular, fields);
        responses.sendJson(exchange, 200, body);
    }

    /** A collection, or with {@code parentId} the children of that image in it. */
    void list(HttpExchange exchange, ImageType type, String parentId) throws IOException {
        ArrayNode refs = json.createArrayNode();
        registry.stored(type, parentId)
                .forEach(image -> refs.addObject().set(type.singular, responses.reference(exchange, type, image.id)));
        ObjectNode body = json.createObjectNode();
        body.set(type.collection, refs);
        responses.sendJson(exchange, 200, body);
    }

    /**
     * GET reads the stored record, written at add_image time: a target image built from a template
     * is stored before its base image exists, so it names none until its outcome is saved.
     */
    private String parentShown(SimImage image) {
        return verbose ? image.parentId() : image.persistedParentId();
    }
}
