package io.buildq.internal.estimate;

import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import io.buildq.status.ProgressEstimate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates a running build's progress from recent completed builds (see {@link ProgressEstimate}).
 * The durations of a target (and template) are read once per {@code cacheFor}: a status page of
 * running builds, or a worker redrawing JobRunr's bar at every poll, costs one small read per
 * target and template a minute, not one per row.
 */
public final class ProgressEstimator {

    /** Completed builds the median is taken over at most: recent enough to follow a slower mirror. */
    static final int SAMPLE = 20;
    /** Fewer completed builds than this say too little: no estimate. */
    static final int MINIMUM = 3;

    private final JobStore store;
    private final Clock clock;
    private final Duration cacheFor;
    private final Map<String, Durations> cache = new ConcurrentHashMap<>();

    public ProgressEstimator(JobStore store, Clock clock, Duration cacheFor) {
        this.store = store;
        this.clock = clock;
        this.cacheFor = cacheFor;
    }

    /**
     * The estimate for {@code row}, or empty: for a build that is not RUNNING on factory, one factory
     * reports a percentage for, or one whose target has fewer than {@link #MINIMUM} completed builds.
     */
    public Optional<ProgressEstimate> estimate(JobRow row, BuildRequestRow request) {
        if (row.kind() != JobKind.BUILD || row.status() != JobStatus.RUNNING || row.percent() > 0
                || row.factoryStartedAt() == null) {
            return Optional.empty();
        }
        Durations durations = durations(row.target(), request.template());
        boolean sameTemplate = durations.sameTemplate().length >= MINIMUM;
        long[] basis = sameTemplate ? durations.sameTemplate() : durations.all();
        if (basis.length < MINIMUM) {
            return Optional.empty();
        }
        long median = median(basis);
        long elapsed = Math.max(0, Duration.between(row.factoryStartedAt(), clock.instant()).toSeconds());
        int percent = median == 0 ? 99 : (int) Math.min(99, 100 * elapsed / median);
        return Optional.of(new ProgressEstimate(percent, basis.length, median, sameTemplate, elapsed > median));
    }

    private Durations durations(String target, String template) {
        String key = target + '\u0000' + template.hashCode() + '\u0000' + template.length();
        Instant now = clock.instant();
        Durations cached = cache.get(key);
        if (cached != null && cached.readAt().plus(cacheFor).isAfter(now)) {
            return cached;
        }
        List<JobStore.BuildDuration> recent = store.recentBuildDurations(target, template, SAMPLE);
        Durations fresh = new Durations(now,
                recent.stream().mapToLong(JobStore.BuildDuration::seconds).toArray(),
                recent.stream().filter(JobStore.BuildDuration::sameTemplate).mapToLong(JobStore.BuildDuration::seconds)
                        .toArray());
        if (cache.size() > 1000) {
            cache.clear(); // many templates: a bound, not a policy; the next reads refill it
        }
        cache.put(key, fresh);
        return fresh;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private record Durations(Instant readAt, long[] all, long[] sameTemplate) {
    }
}
