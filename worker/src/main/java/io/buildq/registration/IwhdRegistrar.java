package io.buildq.registration;

import io.buildq.build.TargetNames;
import io.buildq.factory.FactoryImage;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.iwhd.IwhdQuery;
import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.JobRow;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a finished build into iwhd the way Image Factory v1 did (iwhd-api.md section 4, as
 * corrected by real-install-notes Q10), so that Conductor reads it as before: the template and image
 * if missing (the image with Conductor's pool family as {@code environment}), the build, one
 * target_image per target, the image's {@code latest_unpushed} once every target completed, and its
 * {@code latest_build} once every push completed. Every key is derived from ids buildq already
 * holds, so running this twice writes the same objects.
 */
public final class IwhdRegistrar {

    static final String TEMPLATES = "templates";
    static final String IMAGES = "images";
    static final String BUILDS = "builds";
    static final String TARGET_IMAGES = "target_images";
    static final String ICICLES = "icicles";
    static final String PROVIDER_IMAGES = "provider_images";
    private static final String NONE = "None";
    /** On a build: the image's latest_build before this build became it; buildq's own attribute. */
    static final String REPLACED_LATEST_BUILD = "buildq_replaced_latest_build";

    private final IwhdClient iwhd;
    private final TargetNames targetNames;

    /** A registrar that writes each target under its driver name ({@link TargetNames#literal()}). */
    public IwhdRegistrar(IwhdClient iwhd) {
        this(iwhd, TargetNames.literal());
    }

    /** @param targetNames the {@code target} to write on target images; the catalog must use the same (Q11) */
    public IwhdRegistrar(IwhdClient iwhd, TargetNames targetNames) {
        this.iwhd = iwhd;
        this.targetNames = Objects.requireNonNull(targetNames, "targetNames");
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
        String poolFamily = request.poolFamily();
        if (iwhd.getAttribute(IMAGES, imageId, "object_type").isEmpty()) {
            iwhd.putObject(IMAGES, imageId, ("<image><name>" + xmlText(request.imageName()) + "</name></image>")
                    .getBytes(StandardCharsets.UTF_8));
            Map<String, String> imageAttributes = attributes("uuid", imageId, "object_type", "image", "template", templateId);
            if (poolFamily != null) {
                // Conductor lists and authorises images by their environment (its pool family); factory never
                // set it because Conductor created the image first. An image buildq creates needs it to be seen.
                imageAttributes.put("environment", poolFamily);
            }
            iwhd.setAttributes(IMAGES, imageId, imageAttributes);
        } else if (poolFamily != null && iwhd.getAttribute(IMAGES, imageId, "environment").isEmpty()) {
            // An image another writer created without one; one that has an environment keeps it: moving an
            // image to another pool family is Conductor's decision.
            iwhd.putAttribute(IMAGES, imageId, "environment", poolFamily);
        }
        String buildId = request.id().toString();
        if (iwhd.getAttribute(BUILDS, buildId, "object_type").isEmpty()) {
            iwhd.putObject(BUILDS, buildId, new byte[0]);
            iwhd.setAttributes(BUILDS, buildId, attributes("uuid", buildId, "object_type", "build",
                    "image", imageId, "timestamp", timestamp(request)));
        }
        String icicle = "none";
        if (image.icicle() != null && !image.icicle().isBlank()) {
            icicle = icicleKey(image.id());
            iwhd.putObject(ICICLES, icicle, image.icicle().getBytes(StandardCharsets.UTF_8));
            iwhd.setAttributes(ICICLES, icicle, attributes("uuid", icicle, "object_type", "icicle"));
        }
        // Factory keyed target images by its own image id. The disk image itself stays with factory
        // (GET .../raw_image); the object's body is empty, as for imported images.
        String targetImageId = job.factoryImageId();
        iwhd.putObject(TARGET_IMAGES, targetImageId, new byte[0]);
        iwhd.setAttributes(TARGET_IMAGES, targetImageId, attributes("uuid", targetImageId,
                "object_type", "target_image", "build", buildId, "target", targetNames.targetImageTarget(job.target()),
                "template", templateId,
                "icicle", icicle, "target_parameters", NONE));
    }

    /**
     * A target build of the request completed and every target build of it has ended (JobStore's
     * {@code whenKindEnded}, after the ending transaction committed, or the reconciler's retry). If every target completed, link the
     * build to the image's previous build and make it the image's {@code latest_unpushed}, as factory
     * v1's BuildWatcher did; one target that failed or was cancelled means neither is ever written
     * for this build (Q10). If the request's pushes all completed before its last target did, the
     * build also becomes the image's {@code latest_build}, as {@link #finishPushes} would have made it.
     *
     * @param jobsOfRequest the request's rows ({@code JobStore.jobsOfRequest}), read after the ending
     *                      transaction; each job registered in iwhd before it ended
     */
    public void finishBuild(BuildRequestRow request, List<JobRow> jobsOfRequest) {
        if (!everyTargetRegistered(request, jobsOfRequest)) {
            return;
        }
        String imageId = request.imageId().toString();
        String buildId = request.id().toString();
        Optional<String> unpushed = iwhd.getAttribute(IMAGES, imageId, "latest_unpushed");
        Optional<String> latest = iwhd.getAttribute(IMAGES, imageId, "latest_build");
        boolean recorded = unpushed.filter(buildId::equals).isPresent() || latest.filter(buildId::equals).isPresent();
        if (!recorded) {
            // BuildWatcher took latest_unpushed literally when present, the text "None" included (after a
            // push), else latest_build (Q10, correction (h)). A parent set by an earlier run stays.
            Optional<String> parent = unpushed.or(() -> latest);
            if (parent.isPresent() && iwhd.getAttribute(BUILDS, buildId, "parent").isEmpty()) {
                iwhd.putAttribute(BUILDS, buildId, "parent", parent.get());
            }
            iwhd.putAttribute(IMAGES, imageId, "latest_unpushed", buildId);
        }
        if (everyPushRegistered(jobsOfRequest)) {
            markPushed(request);
        }
    }

    /**
     * Takes back what {@link #finishBuild} wrote for a build one of whose targets was then cancelled
     * (a cancel that won the race with the last target's end, after that target told iwhd): if the
     * image's {@code latest_unpushed} names the build, it names again what it named before, the
     * build's {@code parent}, or {@code "None"} when that was the image's {@code latest_build} or
     * there was none. Q10: a build with a target not completed is never {@code latest_unpushed}.
     */
    public void withdrawBuild(BuildRequestRow request) {
        String imageId = request.imageId().toString();
        String buildId = request.id().toString();
        if (iwhd.getAttribute(IMAGES, imageId, "latest_unpushed").filter(buildId::equals).isEmpty()) {
            return;
        }
        String parent = iwhd.getAttribute(BUILDS, buildId, "parent").orElse(NONE);
        boolean parentWasPushed = iwhd.getAttribute(IMAGES, imageId, "latest_build").filter(parent::equals).isPresent();
        iwhd.putAttribute(IMAGES, imageId, "latest_unpushed", parentWasPushed ? NONE : parent);
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

    /**
     * A push of the request completed and every push of it has ended (JobStore's
     * {@code whenKindEnded}). If every push completed, and every target of the build did, the build
     * becomes the image's {@code latest_build} and {@code latest_unpushed} becomes {@code "None"}, as
     * factory v1's PushWatcher did; one push that failed or was cancelled means neither is written
     * (Q10). If a target is still building, {@link #finishBuild} does it when the last one completes.
     *
     * @param jobsOfRequest as for {@link #finishBuild}
     */
    public void finishPushes(BuildRequestRow request, List<JobRow> jobsOfRequest) {
        if (everyPushRegistered(jobsOfRequest) && everyTargetRegistered(request, jobsOfRequest)) {
            markPushed(request);
        }
    }

    private void markPushed(BuildRequestRow request) {
        String imageId = request.imageId().toString();
        String buildId = request.id().toString();
        if (iwhd.getAttribute(BUILDS, buildId, REPLACED_LATEST_BUILD).isEmpty()) {
            // What withdrawPushes puts back if a push of this build is cancelled after this.
            String replaced = iwhd.getAttribute(IMAGES, imageId, "latest_build").filter(id -> !id.equals(buildId)).orElse(NONE);
            iwhd.putAttribute(BUILDS, buildId, REPLACED_LATEST_BUILD, replaced);
        }
        iwhd.putAttribute(IMAGES, imageId, "latest_build", buildId);
        iwhd.putAttribute(IMAGES, imageId, "latest_unpushed", NONE);
    }

    /**
     * Takes back what {@link #finishPushes} wrote for a build one of whose pushes was then cancelled
     * (a cancel that won the race with the last push's end): if the image's {@code latest_build}
     * names the build, it names again the build it replaced ({@code "None"} when there was none: iwhd
     * cannot delete an attribute), and the build, complete but not every push of it, is the image's
     * {@code latest_unpushed} again (Q10).
     */
    public void withdrawPushes(BuildRequestRow request) {
        String imageId = request.imageId().toString();
        String buildId = request.id().toString();
        if (iwhd.getAttribute(IMAGES, imageId, "latest_build").filter(buildId::equals).isEmpty()) {
            return;
        }
        iwhd.putAttribute(IMAGES, imageId, "latest_build",
                iwhd.getAttribute(BUILDS, buildId, REPLACED_LATEST_BUILD).orElse(NONE));
        iwhd.putAttribute(IMAGES, imageId, "latest_unpushed", buildId);
    }

    /**
     * Whether every target build of the request completed: none ended otherwise, and each has its
     * target image in iwhd. Target images are found by the build's id (a uuid, never all digits,
     * so iwhd compares it as text, Q12) and checked again here.
     */
    private boolean everyTargetRegistered(BuildRequestRow request, List<JobRow> jobsOfRequest) {
        List<JobRow> targets = jobsOfRequest.stream().filter(row -> row.kind() == JobKind.BUILD).toList();
        if (targets.isEmpty() || targets.stream().anyMatch(IwhdRegistrar::endedUncompleted)) {
            return false;
        }
        String buildId = request.id().toString();
        Set<String> registered = new HashSet<>();
        for (String key : iwhd.query(TARGET_IMAGES, IwhdQuery.where("build", buildId))) {
            if (iwhd.getAttribute(TARGET_IMAGES, key, "build").filter(buildId::equals).isPresent()) {
                iwhd.getAttribute(TARGET_IMAGES, key, "target").ifPresent(registered::add);
            }
        }
        return targets.stream().allMatch(row -> registered.contains(targetNames.targetImageTarget(row.target())));
    }

    /** Whether the request has pushes and every one completed: none ended otherwise, and each has its provider image. */
    private boolean everyPushRegistered(List<JobRow> jobsOfRequest) {
        List<JobRow> pushes = jobsOfRequest.stream().filter(row -> row.kind() == JobKind.PUSH).toList();
        if (pushes.isEmpty()) {
            return false;
        }
        for (JobRow push : pushes) {
            if (endedUncompleted(push)) {
                return false;
            }
            if (push.status() != JobStatus.COMPLETE && !providerImageRegistered(push, jobsOfRequest)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A push that had not ended when its rows were read: registered if its provider image is in iwhd,
     * under its factory id, or, if it had not started then, as a provider image of its build's target
     * image on its provider and account (exact strings, Q12).
     */
    private boolean providerImageRegistered(JobRow push, List<JobRow> jobsOfRequest) {
        if (push.factoryImageId() != null) {
            return iwhd.getAttribute(PROVIDER_IMAGES, push.factoryImageId(), "object_type").isPresent();
        }
        Optional<String> targetImage = jobsOfRequest.stream().filter(row -> row.id().equals(push.parentJobId()))
                .map(JobRow::factoryImageId).filter(Objects::nonNull).findFirst();
        if (targetImage.isEmpty()) {
            return false;
        }
        for (String key : iwhd.query(PROVIDER_IMAGES,
                IwhdQuery.where("target_image", targetImage.get()).and("provider", push.providerName()))) {
            boolean same = iwhd.getAttribute(PROVIDER_IMAGES, key, "target_image").filter(targetImage.get()::equals).isPresent()
                    && iwhd.getAttribute(PROVIDER_IMAGES, key, "provider").filter(push.providerName()::equals).isPresent()
                    && iwhd.getAttribute(PROVIDER_IMAGES, key, "provider_account_identifier")
                            .filter(push.accountIdentifier()::equals).isPresent();
            if (same) {
                return true;
            }
        }
        return false;
    }

    private static boolean endedUncompleted(JobRow row) {
        return row.status() == JobStatus.FAILED || row.status() == JobStatus.CANCELLED;
    }

    /**
     * Removes what {@link #registerTargetImage} wrote for a row that was cancelled meanwhile (a cancel
     * that raced the completion): the target image and its icicle. Missing objects are fine.
     */
    public void unregisterTargetImage(String factoryImageId) {
        iwhd.deleteObject(TARGET_IMAGES, factoryImageId);
        iwhd.deleteObject(ICICLES, icicleKey(factoryImageId));
    }

    /** Removes what {@link #registerProviderImage} wrote for a push cancelled meanwhile. */
    public void unregisterProviderImage(String factoryImageId) {
        iwhd.deleteObject(PROVIDER_IMAGES, factoryImageId);
    }

    private static String icicleKey(String factoryImageId) {
        return UUID.nameUUIDFromBytes(("buildq-icicle:" + factoryImageId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    public static String templateId(BuildRequestRow request) {
        return UUID.nameUUIDFromBytes(("buildq-template:" + request.id()).getBytes(StandardCharsets.UTF_8)).toString();
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
