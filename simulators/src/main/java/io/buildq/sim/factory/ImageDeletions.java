package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.UUID;

/**
 * Builder.delete_image once the DELETE is accepted: the image leaves storage (a provider image only
 * once the cloud deleted it) and the DELETE's own callback URLs hear DELETING, then DELETED or
 * DELETEFAILED. A build still in flight goes on; its save then fails ({@link ImageBuilds}).
 */
final class ImageDeletions {

    private final ObjectMapper json;
    private final ImageRegistry registry;
    private final FactoryCounters counters;
    private final BuildClock clock;
    private final CallbackDelivery callbacks;
    private final Duration stepDuration;

    ImageDeletions(ObjectMapper json, ImageRegistry registry, FactoryCounters counters, BuildClock clock,
                   CallbackDelivery callbacks, Duration stepDuration) {
        this.json = json;
        this.registry = registry;
        this.counters = counters;
        this.clock = clock;
        this.callbacks = callbacks;
        this.stepDuration = stepDuration;
    }

    /** Starts deleting {@code image}; {@code parameters} are the DELETE's own (its callback URLs). */
    Deletion begin(SimImage image, JsonNode parameters) {
        return new Deletion(image, parameters);
    }

    /** One deletion: a new Builder's deletion workers, with a callback lane of their own. */
    final class Deletion {

        private final SimImage image;
        private final JsonNode parameters;
        private final String lane = "delete " + UUID.randomUUID();
        // _delete_image works on a copy read from storage, not on the builder's own object.
        private final boolean buildEnded;
        private final ObjectNode stored;

        private Deletion(SimImage image, JsonNode parameters) {
            this.image = image;
            this.parameters = parameters;
            this.buildEnded = image.buildEnded();
            this.stored = image.persistedFields(json);
        }

        /** Base and target images are only removed from storage. */
        void removeRecord() {
            registry.remove(image.id);
            counters.buildEnded(image.id);
        }

        /** After {@link #removeRecord()}: DELETING and DELETED to the DELETE's callback URLs. */
        void reportRemoved() {
            if (buildEnded) {
                image.moveTo(FactoryStatus.DELETING);
                image.moveTo(FactoryStatus.DELETED);
            }
            send(withStatus(stored, FactoryStatus.DELETING, null, null));
            send(withStatus(stored, FactoryStatus.DELETED, "Image deleted.", null));
        }

        /**
         * A provider image is deleted on the cloud first, on the clock: DELETING, then a step later
         * DELETED and out of storage, or DELETEFAILED when the provider refuses (credentials with the
         * failure marker).
         */
        void deleteOnProviderLater(boolean refusedByProvider) {
            clock.later(() -> {
                image.moveTo(FactoryStatus.DELETING);
                send(withStatus(stored, FactoryStatus.DELETING, null, null));
                clock.later(() -> {
                    if (refusedByProvider) {
                        image.deleteFailed("Provider refused to delete the image (simulated: the credentials carry"
                                + " the marker '" + FailurePlan.MARKER + "')");
                        image.persist(json);
                        send(image.fields(json));
                    } else {
                        registry.remove(image.id);
                        image.moveTo(FactoryStatus.DELETED);
                        send(withStatus(stored, FactoryStatus.DELETED, "Image deleted.", null));
                    }
                }, stepDuration.toMillis());
            });
        }

        private void send(ObjectNode fields) {
            callbacks.send(lane, image.type, fields, parameters);
        }
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
}
