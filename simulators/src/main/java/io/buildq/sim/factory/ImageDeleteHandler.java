package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.buildq.sim.http.SimulatorServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The image DELETE route: reads and checks the request, answers, and leaves the rest to {@link ImageDeletions}. */
final class ImageDeleteHandler {

    private final ObjectMapper json;
    private final ImageRegistry registry;
    private final ImageDeletions deletions;

    ImageDeleteHandler(ObjectMapper json, ImageRegistry registry, ImageDeletions deletions) {
        this.json = json;
        this.registry = registry;
        this.deletions = deletions;
    }

    /**
     * RESTv2 {@code delete_image_with_id}, then Builder.delete_image. The image is looked up by id
     * whatever the collection in the path. Callbacks go only to the URLs in the DELETE's own
     * {@code parameters} (a new Builder's deletion workers): the build's own workers never hear of
     * it. Deleting an image still building removes only the record; the build goes on and, when it
     * ends, save_image fails (see {@link ImageBuilds}) (observed; Q8).
     */
    void delete(HttpExchange exchange, String id) throws IOException {
        SimImage image = registry.find(id);
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
                deleteFails = String.valueOf(FormData.text(request.get("credentials"))).contains(FailurePlan.MARKER);
            }
            parameters = request.get("parameters");
        } else if (image.type == ImageType.PROVIDER) {
            SimulatorServer.sendText(exchange, 400, "Missing required values:"
                    + FormData.pythonSet(List.of("provider", "credentials", "target")));
            return;
        }
        String flaw = CallbacksLookup.error(parameters);
        if (flaw != null) {
            SimulatorServer.sendText(exchange, 500, flaw);
            return;
        }
        ImageDeletions.Deletion deletion = deletions.begin(image, parameters);
        if (image.type != ImageType.PROVIDER) {
            // Base and target images are only removed from storage: done before the 204 leaves.
            deletion.removeRecord();
            SimulatorServer.send(exchange, 204, null, new byte[0]);
            deletion.reportRemoved();
            return;
        }
        SimulatorServer.send(exchange, 204, null, new byte[0]);
        deletion.deleteOnProviderLater(deleteFails);
    }
}
