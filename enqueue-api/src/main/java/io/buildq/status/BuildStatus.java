package io.buildq.status;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A build as its caller sees it: the request and one entry per target.
 *
 * @param buildId   the id {@code BuildQueue.build} returned; also the build's key in iwhd
 * @param imageId   the image's uuid in iwhd
 */
public record BuildStatus(UUID buildId, UUID imageId, String image, Instant createdAt, List<TargetStatus> targets) {

    public BuildStatus {
        targets = List.copyOf(targets);
    }

    /** True when every target has ended, whether complete, failed or cancelled. */
    public boolean isFinished() {
        return targets.stream().allMatch(target -> target.status().isTerminal());
    }

    /** The entry for one target, e.g. {@code "ec2"}. */
    public TargetStatus target(String target) {
        return targets.stream()
                .filter(entry -> entry.target().equals(target))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("build " + buildId + " has no target " + target));
    }
}
