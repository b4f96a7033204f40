package io.buildq.status;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One build in a list of builds: what was asked for and its jobs, each target's build followed by
 * the pushes made from it.
 */
public record BuildOverview(UUID buildId, UUID imageId, String image, Instant createdAt, List<JobSummary> jobs) {

    public BuildOverview {
        jobs = List.copyOf(jobs);
    }
}
