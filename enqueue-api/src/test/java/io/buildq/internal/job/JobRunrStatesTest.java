package io.buildq.internal.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.testing.TestDatabase;
import io.buildq.testing.Templates;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reconciler's one-query look at JobRunr's jobs: their states by id, and nothing for a job JobRunr lacks. */
class JobRunrStatesTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void readsTheStateOfEveryJobJobRunrHoldsAndLeavesOutTheOnesItDoesNot(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            new BuildqMigrations(db.dataSource()).migrate();
            try (BuildQueue queue = BuildQueue.create(db.dataSource());
                 JobStore store = JobStore.open(db.dataSource(), Clock.systemUTC())) {
                UUID buildId = queue.build(BuildRequest.of("states", Templates.fedora16("states"), List.of("ec2", "rhevm")));
                List<UUID> ids = new ArrayList<>(store.jobsOfRequest(buildId).stream().map(JobRow::jobRunrJobId).toList());
                UUID unknown = UUID.randomUUID();
                ids.add(unknown);

                assertThat(store.jobRunrStates(ids))
                        .hasSize(2)
                        .containsOnlyKeys(ids.subList(0, 2))
                        .allSatisfy((id, state) -> assertThat(state).isEqualTo("ENQUEUED"));
                assertThat(store.jobRunrStates(List.of())).isEmpty();
            }
        }
    }
}
