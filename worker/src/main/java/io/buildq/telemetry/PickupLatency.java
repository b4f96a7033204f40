package io.buildq.telemetry;

import io.buildq.queue.BuildJobHandler;
import io.buildq.queue.PushJobHandler;
import io.buildq.status.JobKind;
import java.time.Duration;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;

/**
 * Times each claim: from the job's ENQUEUED state to the PROCESSING state this worker gave it. A
 * build that then finds its factory full goes back to waiting (see {@code FactorySlots}) and is
 * timed again when it is enqueued and claimed anew, so the figure is the queue's pace, not the
 * factory's.
 */
public final class PickupLatency implements ApplyStateFilter {

    private final WorkerMeters meters;

    public PickupLatency(WorkerMeters meters) {
        this.meters = meters;
    }

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (!(newState instanceof ProcessingState) || !(oldState instanceof EnqueuedState)) {
            return;
        }
        String handler = job.getJobDetails().getClassName();
        JobKind kind = BuildJobHandler.class.getName().equals(handler) ? JobKind.BUILD
                : PushJobHandler.class.getName().equals(handler) ? JobKind.PUSH : null;
        if (kind != null) {
            meters.pickedUp(kind, Duration.between(oldState.getCreatedAt(), newState.getCreatedAt()));
        }
    }
}
