package io.buildq.httpapi;

import io.buildq.api.BuildQueue;
import io.buildq.status.JobChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the change feed for one client without missing a change. Ids are given when a change is
 * written but become visible when its transaction commits, so a change with a lower id can appear
 * after one with a higher id was read. The follower therefore delivers the gapless run after its
 * cursor only, and holds back past a gap until it fills, or until {@code gapWait} has passed (a
 * rolled-back transaction leaves a gap forever).
 */
final class ChangeFollower {

    private static final int BATCH = 500;

    private final BuildQueue queue;
    private final Clock clock;
    private final Duration gapWait;
    /** Every change up to this id has been delivered, or given up as never coming. */
    private long cursor;
    private long gapAt = -1;
    private Instant gapSince;

    ChangeFollower(BuildQueue queue, long cursor, Duration gapWait, Clock clock) {
        this.queue = queue;
        this.cursor = cursor;
        this.gapWait = gapWait;
        this.clock = clock;
    }

    long cursor() {
        return cursor;
    }

    /** The changes that can be delivered now, in order; empty when there are none yet. */
    List<JobChange> next() {
        List<JobChange> ready = new ArrayList<>();
        for (JobChange change : queue.changes(cursor, BATCH)) {
            if (change.id() != cursor + 1 && !gapGivenUp(cursor + 1)) {
                break;
            }
            ready.add(change);
            cursor = change.id();
        }
        return ready;
    }

    private boolean gapGivenUp(long missing) {
        Instant now = clock.instant();
        if (gapAt != missing) {
            gapAt = missing;
            gapSince = now;
            return false;
        }
        return !now.isBefore(gapSince.plus(gapWait));
    }
}
