package io.buildq.registration;

import io.buildq.factory.FactoryImage;
import io.buildq.iwhd.IwhdClient;
import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobRow;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes a finished build into iwhd the way Image Factory did (iwhd-api.md section 4), so that
 * Conductor's catalog reads it as before: the template and image if missing, the build, one
 * target_image per target, and, when every target is done, the image's {@code latest_unpushed}.
 * Every key is derived from ids buildq already holds, so running this twice writes the same objects.
 */
public final class IwhdRegistrar {

    static final String TEMPLATES = "templates";
    static final String IMAGES = "images";
    static final String BUILDS = "builds";
    static final String TARGET_IMAGES = "target_images";
    static final String ICICLES = "icicles";
    static final String PROVIDER_IMAGES = "provider_images";
    private static final String NONE = "None";

    private final IwhdClient iwhd;

    public IwhdRegistrar(IwhdClient iwhd) {
        this.iwhd = iwhd;
    }

    /** Registers one completed target image (and the build, image and template it belongs to). */
    public void registerTargetImage(BuildRequestRow request, JobRow job, FactoryImage image) {
        for (String bucket : new String[] {TEMPLATES, IMAGES, BUILDS, TARGET_IMAGES, ICICLES}) {
            iwhd.ensureBucket(bucket);
        }
        String templateId = templateId(request);
        if (iwhd.getAttribute(TEMPLATES, templateId, "object_type").isEmpty()) {
            iwhd.putObject(TEMPLATES, templateId, request.template().getBytes(StandardCharsets.UTF_8));
            iwhd.setAttributes(TEMPLATES, templateId, attributes("uuid", templateId, "object_type", "template"));
        }
        String imageId = request.imageId().toString();
        if (iwhd.getAttribute(IMAGES, imageId, "object_type").isEmpty()) {
            iwhd.putObject(IMAGES, imageId, ("<image><name>" + xmlText(request.imageName()) + "</name></image>")
                    .getBytes(StandardCharsets.UTF_8));
            iwhd.setAttributes(IMAGES, imageId,
                    attributes("uuid", imageId, "object_type", "image", "template", templateId));
        }
        String buildId = request.id().toString();
        if (iwhd.getAttribute(BUILDS, buildId, "object_type").isEmpty()) {
            iwhd.putObject(BUILDS, buildId, new byte[0]);
            iwhd.setAttributes(BUILDS, buildId, attributes("uuid", buildId, "object_type", "build",
                    "image", imageId, "timestamp", timestamp(request)));
        }
        String icicle = "none";
        if (image.icicle() != null && !image.icicle().isBlank()) {
            icicle = UUID.nameUUIDFromBytes(("buildq-icicle:" + image.id()).getBytes(StandardCharsets.UTF_8)).toString();
            iwhd.putObject(ICICLES, icicle, image.icicle().getBytes(StandardCharsets.UTF_8));
            iwhd.setAttributes(ICICLES, icicle, attributes("uuid", icicle, "object_type", "icicle"));
        }
        // Factory keyed target images by its own image id. The disk image itself stays with factory
        // (GET .../raw_image); the object's body is empty, as for imported images.
        String targetImageId = job.factoryImageId();
        iwhd.putObject(TARGET_IMAGES, targetImageId, new byte[0]);
        iwhd.setAttributes(TARGET_IMAGES, targetImageId, attributes("uuid", targetImageId,
                "object_type", "target_image", "build", buildId, "target", job.target(), "template", templateId,
                "icicle", icicle, "target_parameters", NONE));
    }

    /**
     * Every target build has ended and at least one is registered: link the build to the image's
     * previous build and make it the image's {@code latest_unpushed}, as factory did when all targets
     * finished. A target that failed has no target image, so the catalog reads it as not built.
     */
    public void finishBuild(BuildRequestRow request) {
        String imageId = request.imageId().toString();
        String buildId = request.id().toString();
        Optional<String> unpushed = existingBuild(iwhd.getAttribute(IMAGES, imageId, "latest_unpushed"));
        if (unpushed.isPresent() && unpushed.get().equals(buildId)) {
            return;
        }
        Optional<String> previous = unpushed.or(() -> existingBuild(iwhd.getAttribute(IMAGES, imageId, "latest_build")));
        if (previous.isPresent() && !previous.get().equals(buildId)) {
            iwhd.putAttribute(BUILDS, buildId, "parent", previous.get());
        }
        iwhd.putAttribute(IMAGES, imageId, "latest_unpushed", buildId);
    }

    /**
     * Registers a completed push: the provider_images object, keyed by factory's provider image id,
     * pointing at the target image it pushed.
     */
    public void registerProviderImage(JobRow build, JobRow push, FactoryImage image) {
        iwhd.ensureBucket(PROVIDER_IMAGES);
        String key = push.factoryImageId();
        String icicle = iwhd.getAttribute(TARGET_IMAGES, build.factoryImageId(), "icicle").orElse("none");
        iwhd.putObject(PROVIDER_IMAGES, key, "placeholder".getBytes(StandardCharsets.UTF_8));
        iwhd.setAttributes(PROVIDER_IMAGES, key, attributes("uuid", key, "object_type", "provider_image",
                "target_image", build.factoryImageId(), "provider", push.providerName(),
                "target_identifier", orNone(image.identifierOnProvider()),
                "provider_account_identifier", orNone(image.providerAccountIdentifier()), "icicle", icicle));
    }

    /** Every push of the build has ended, at least one pushed: the build becomes the image's latest, as factory did. */
    public void finishPushes(BuildRequestRow request) {
        String imageId = request.imageId().toString();
        iwhd.putAttribute(IMAGES, imageId, "latest_build", request.id().toString());
        iwhd.putAttribute(IMAGES, imageId, "latest_unpushed", NONE);
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    public static String templateId(BuildRequestRow request) {
        return UUID.nameUUIDFromBytes(("buildq-template:" + request.id()).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private Optional<String> existingBuild(Optional<String> value) {
        return value.filter(id -> !id.equals(NONE) && iwhd.getAttribute(BUILDS, id, "object_type").isPresent());
    }

    /** Unix seconds as a float string, as factory wrote it (e.g. {@code 1320766154.28}). */
    private static String timestamp(BuildRequestRow request) {
        return String.format(Locale.ROOT, "%.2f", request.createdAt().toEpochMilli() / 1000.0);
    }

    private static Map<String, String> attributes(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String xmlText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
