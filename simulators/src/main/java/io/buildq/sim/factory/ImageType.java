package io.buildq.sim.factory;

/** The three persistent image types of REST v2, with the names each appears under on the wire. */
enum ImageType {
    BASE("BaseImage", "base_image", "base_images", "Base"),
    TARGET("TargetImage", "target_image", "target_images", "Target"),
    PROVIDER("ProviderImage", "provider_image", "provider_images", "Provider");

    final String typeName;
    final String singular;
    final String collection;
    final String shortName;

    ImageType(String typeName, String singular, String collection, String shortName) {
        this.typeName = typeName;
        this.singular = singular;
        this.collection = collection;
        this.shortName = shortName;
    }

    static ImageType fromCollection(String collection) {
        for (ImageType type : values()) {
            if (type.collection.equals(collection)) {
                return type;
            }
        }
        return null;
    }
}
