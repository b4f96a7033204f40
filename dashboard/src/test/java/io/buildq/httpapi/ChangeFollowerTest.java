package io.buildq.httpapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.status.JobChange;
import io.buildq.testing.TestDatabase;
import io.buildq.testing.Templates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The event stream's follower: a gap in the ids (a transaction not yet committed) holds it back, for a while. */
class ChangeFollowerTest {

    @Test
    void aGapHoldsDeliveryBackUntilItFillsOrItsWaitIsOver() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            new BuildqMigrations(db.dataSource()).migrate();
            try (BuildQueue queue = BuildQueue.create(db.dataSource())) {
                UUID buildId = queue.build(BuildRequest.of("web", Templates.fedora16("web"), List.of("ec2")));
                UUID jobId = queue.status(buildId).target("ec2").jobId();
                long first = queue.lastChangeId();
                // What a slow transaction looks like to a reader: id first+3 committed, first+1 and +2 not yet.
                insertHistory(db, first + 3, jobId);
                MutableClock clock = new MutableClock();
                ChangeFollower follower = new ChangeFollower(queue, 0, Duration.ofSeconds(5), clock);

                assertThat(follower.next()).extracting(JobChange::id).containsExactly(first);
                assertThat(follower.next()).as("held back at the gap").isEmpty();
                insertHistory(db, first + 1, jobId); // one of the two commits
                assertThat(follower.next()).extracting(JobChange::id).containsExactly(first + 1);
                clock.advance(Duration.ofSeconds(4));
                assertThat(follower.next()).as("still within the wait for " + (first + 2)).isEmpty();
                clock.advance(Duration.ofSeconds(2));
                assertThat(follower.next()).as("given up on " + (first + 2)).extracting(JobChange::id)
                        .containsExactly(first + 3);
                assertThat(follower.cursor()).isEqualTo(first + 3);
            }
        }
    }

    private static void insertHistory(TestDatabase db, long id, UUID jobId) {
        db.execute("INSERT INTO buildq_job_history (id, job_id, recorded_at, source, status, percent, attempt)"
                + " VALUES (" + id + ", '" + jobId + "', CURRENT_TIMESTAMP, 'test', 'QUEUED', 0, 1)");
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
