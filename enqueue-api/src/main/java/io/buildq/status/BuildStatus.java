package io.buildq.status;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A build as its caller sees it: the request, one entry per target, and one per push.
 *
 * @param buildId   the id {@code BuildQueue.build} returned; also the build's key in iwhd
 * @param imageId   the image's uuid in iwhd
 */
public record BuildStatus(UUID buildId, UUID imageId, String image, Instant createdAt, List<TargetStatus> targets,
                          List<PushStatus> pushes) {

    public BuildStatus {
        targets = List.copyOf(targets);
        pushes = List.copyOf(pushes);
    }

    /** True when every target build and every push has ended, whether complete, failed or cancelled. */
    public boolean isFinished() {
        return targets.stream().allMatch(target -> target.status().isTerminal())
                && pushes.stream().allMatch(push -> push.status().isTerminal());
    }

    /** The push to the account with this provider name (the first, if several accounts share it). */
    public PushStatus push(String providerName) {
        return pushes.stream()
                .filter(push -> push.providerName().equals(providerName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("build " + buildId + " has no push to " + providerName));
    }

    /** The entry for one target, e.g. {@code "ec2"}. */
    public TargetStatus target(String target) {
        return targets.stream()
                .filter(entry -> entry.target().equals(target))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("build " + buildId + " has no target " + target));
    }
}
