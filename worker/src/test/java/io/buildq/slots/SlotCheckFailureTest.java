package io.buildq.slots;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.queue.BuildJobHandler;
import io.buildq.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.JobDetails;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.ProcessingState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.junit.jupiter.api.Test;

/** A build whose slot cannot be counted does not run uncounted: it waits, as when the factory is full. */
class SlotCheckFailureTest {

    @Test
    void whenTheSlotCountFailsTheClaimedBuildIsScheduledAgainInsteadOfRunning() {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.H2)) {
            new BuildqMigrations(db.dataSource()).migrate();
            StorageProvider storage = JobRunrStorage.open(db.dataSource(), JobRunrStorage.jsonMapper());
            JobStore store = JobStore.open(db.dataSource(), Clock.systemUTC());
            FactorySlots slots = new FactorySlots(store, new JobEnqueuer(storage), "http://factory:8075/imagefactory", 2,
                    Duration.ofSeconds(30));
            Job build = new Job(UUID.randomUUID(), new JobDetails(BuildJobHandler.class.getName(), null, "run", List.of()),
                    new EnqueuedState());
            store.close(); // every query now throws, as with the database gone

            slots.onStateElection(build, new ProcessingState(UUID.randomUUID(), "worker-under-test"));

            assertThat(build.getState()).isEqualTo(StateName.SCHEDULED);
            assertThat(build.getJobStates()).extracting(state -> state.getName())
                    .containsSubsequence(StateName.DELETED, StateName.SCHEDULED);
            storage.close();
        }
    }
}
