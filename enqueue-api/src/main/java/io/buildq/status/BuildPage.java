package io.buildq.status;

import java.util.List;
import java.util.Map;

/**
 * A page of builds and the figures above it.
 *
 * @param counts  jobs (targets and pushes) by state over every build the image and target filters
 *                match, whatever the state filter and the page: what each state filter would find
 * @param hasNext whether an older page exists
 */
public record BuildPage(List<BuildOverview> builds, int page, int pageSize, boolean hasNext, Map<JobStatus, Long> counts) {

    public BuildPage {
        builds = List.copyOf(builds);
        counts = Map.copyOf(counts);
    }
}
