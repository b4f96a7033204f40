package io.buildq.sim.factory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the simulated build of an image consists of: its steps, the failure its template or
 * credentials plan ({@link FailurePlan}) and the texts of its outcome.
 */
final class BuildPlan {

    private static final List<String> BASE_STEPS =
            List.of("Generating JEOS install media", "Execute JEOS install", "Cleaning up install artifacts");

    private BuildPlan() {
    }

    static List<String> steps(SimImage image) {
        return switch (image.type) {
            case BASE -> BASE_STEPS;
            case TARGET -> List.of("Customizing image for " + image.target, "Converting image format",
                    "Finishing target image");
            case PROVIDER -> List.of("Uploading image to " + image.provider, "Registering image with the provider",
                    "Waiting for the image to become available");
        };
    }

    static Optional<String> plannedError(SimImage image) {
        return switch (image.type) {
            case BASE -> FailurePlan.baseImageError(image.template());
            case TARGET -> FailurePlan.targetImageError(image.template(), image.target);
            case PROVIDER -> image.credentialsFail
                    ? Optional.of("ImageFactoryException: The provider rejected the credentials (simulated: the "
                            + "credentials carry the marker '" + FailurePlan.MARKER + "')")
                    : Optional.empty();
        };
    }

    /** The activity each Builder thread's {@code except} sets (the base image's ends with a period). */
    static String failedActivity(ImageType type) {
        return type.shortName + " Image build failed with exception" + (type == ImageType.BASE ? "." : "");
    }

    /** The cloud's id for a pushed image: what the Mock cloud plugin answered; EC2 gave AMI ids. */
    static String identifierOnProvider(SimImage image) {
        return image.target.equals("ec2")
                ? "ami-" + UUID.randomUUID().toString().substring(0, 8) : UUID.randomUUID().toString();
    }

    static String icicle(SimImage image) {
        return "<icicle><description>Packages of image " + image.id + "</description><packages>"
                + "<package name=\"bash\"/><package name=\"kernel\"/><package name=\"openssh-server\"/>"
                + "</packages></icicle>";
    }
}
