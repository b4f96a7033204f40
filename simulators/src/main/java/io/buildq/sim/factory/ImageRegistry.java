package io.buildq.sim.factory;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Factory's image storage (PersistentImageManager): the records it manages, which GET and the list
 * routes read, and besides them every image ever created, deleted ones too, for the facade's read-outs.
 */
final class ImageRegistry {

    private final ObjectMapper json;
    private final Map<String, SimImage> images = new ConcurrentHashMap<>();
    /** Every image ever created, deleted ones too, for {@link FactorySimulator#reportedStatuses}. */
    private final Map<String, SimImage> created = new ConcurrentHashMap<>();

    ImageRegistry(ObjectMapper json) {
        this.json = json;
    }

    /** PersistentImageManager.add_image: the record is stored (at NEW) before anything else happens. */
    SimImage register(SimImage image) {
        image.persist(json);
        images.put(image.id, image);
        created.put(image.id, image);
        return image;
    }

    /** The stored image with this id (pim.image_with_id), or null: unknown or deleted. */
    SimImage find(String id) {
        return images.get(id);
    }

    /** Any image ever created with this id, deleted or not, or null. */
    SimImage everCreated(String id) {
        return created.get(id);
    }

    /** The stored images of a type whose stored record names {@code parentId}; all of them when it is null. */
    List<SimImage> stored(ImageType type, String parentId) {
        return images.values().stream()
                .filter(image -> image.type == type)
                .filter(image -> parentId == null || parentId.equals(image.persistedParentId()))
                .toList();
    }

    /**
     * FilePersistentImageManager.save_image: stores the image's state as it is now; false, storing
     * nothing, when the image is no longer managed (deleted while it built).
     */
    boolean save(SimImage image) {
        if (images.get(image.id) != image) {
            return false;
        }
        image.persist(json);
        return true;
    }

    void remove(String id) {
        images.remove(id);
    }

    /** A restart: every stored image is what its record says (see {@link SimImage#restartedFromDisk}). */
    void restartedFromDisk() {
        images.values().forEach(SimImage::restartedFromDisk);
    }
}
