package io.buildq.pickup;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.ProcessingState;

/**
 * Knows which jobs this worker has claimed but not yet started. JobRunr counts a worker as busy only
 * once its thread starts the job, so a fetch that lands between claim and start takes jobs for
 * workers that are not free; a build claimed like that would wait, PROCESSING with no heartbeat,
 * until JobRunr declares it orphaned and runs it again elsewhere. {@link PickupTrigger} therefore
 * fetches only when nothing claimed is still waiting to start.
 *
 * <p>Also counts, for operators and the benchmark, claims that found no free worker ("early
 * claims").
 */
public final class ClaimGuard implements ApplyStateFilter, JobServerFilter {

    private final int workerCount;
    private final IntSupplier occupiedWorkers;
    private final Set<UUID> claimedNotStarted = ConcurrentHashMap.newKeySet();
    private final Object started = new Object();
    private final AtomicLong claims = new AtomicLong();
    private final AtomicLong earlyClaims = new AtomicLong();

    /**
     * @param workerCount     the server's worker count
     * @param occupiedWorkers the steward's count of workers running a job
     */
    public ClaimGuard(int workerCount, IntSupplier occupiedWorkers) {
        this.workerCount = workerCount;
        this.occupiedWorkers = occupiedWorkers;
    }

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (newState instanceof ProcessingState) {
            // Claims run their apply filters on the fetching thread, in this process only.
            if (occupiedWorkers.getAsInt() + claimedNotStarted.size() >= workerCount) {
                earlyClaims.incrementAndGet();
            }
            claimedNotStarted.add(job.getId());
            claims.incrementAndGet();
        }
    }

    @Override
    public void onProcessing(Job job) {
        claimedNotStarted.remove(job.getId());
        synchronized (started) {
            started.notifyAll();
        }
    }

    /**
     * Waits until every job this worker claimed has started, for at most {@code max} (a job whose
     * thread never comes must not stop fast pickup for good).
     *
     * @return true if nothing claimed is waiting
     */
    boolean awaitClaimedStarted(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (started) {
            while (!claimedNotStarted.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                started.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** What this worker's claims looked like since it started. */
    public ClaimCounts counts() {
        return new ClaimCounts(claims.get(), earlyClaims.get());
    }

    /**
     * @param claims      jobs this worker claimed
     * @param earlyClaims jobs claimed while every worker was busy or already promised to a claimed job
     */
    public record ClaimCounts(long claims, long earlyClaims) {
    }
}
