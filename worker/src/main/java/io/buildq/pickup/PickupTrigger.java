package io.buildq.pickup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.EnqueuedState;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobSteward;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes JobRunr's server fetch enqueued jobs now rather than at its next poll. Signals (a NOTIFY, an
 * enqueue in this process, a retry) are merged; one daemon thread turns them into fetches through
 * JobRunr's public steward API, the same task and lock its own poll uses, so a fetch never takes
 * more jobs than the server has free workers for. Polling stays the fallback: nothing depends on a
 * signal arriving.
 *
 * <p>As a JobRunr filter of the server it also hears of jobs that become ENQUEUED in this process
 * by JobRunr's own hand (a retry whose backoff ended).
 */
public final class PickupTrigger implements ApplyStateFilter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PickupTrigger.class);

    /** Fetches at most this often: a burst of enqueues becomes a few fetches, not one per job. */
    static final Duration MIN_GAP = Duration.ofMillis(20);
    /**
     * A fetch that finds JobRunr's own fetch holding the lock is skipped silently, and that fetch may
     * have read the queue before our job was there; one more try after this delay covers it.
     */
    static final Duration SECOND_TRY = Duration.ofMillis(75);
    /** How often a signal that came while the server was starting is tried again. */
    static final Duration READY_CHECK = Duration.ofMillis(50);
    /** How long a fetch waits for claimed jobs to start before it goes ahead anyway. */
    static final Duration MAX_WAIT_FOR_STARTS = Duration.ofSeconds(2);

    private volatile ClaimGuard guard;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private boolean pending;
    /** When a second try is due (System.nanoTime), or 0 for none; guarded by {@code lock}. */
    private long secondTryAt;
    private volatile boolean running = true;
    private volatile BackgroundJobServer server;
    private Thread thread;

    /**
     * Starts fetching for {@code server}, holding fetches back while {@code guard} knows of claimed
     * jobs not yet started; signals that came before are served then.
     */
    public synchronized void start(BackgroundJobServer server, ClaimGuard guard) {
        this.server = server;
        this.guard = guard;
        thread = new Thread(this::run, "buildq-pickup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks for a fetch soon. Never blocks: it is called from JobRunr's filters and the LISTEN loop. */
    public void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
        if (newState instanceof EnqueuedState) {
            signal();
        }
    }

    private void run() {
        long lastFetch = 0;
        while (running) {
            try {
                boolean secondTry = !awaitSignal();
                long wait = lastFetch + MIN_GAP.toNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait); // rate limit: signals meanwhile merge into this fetch
                }
                guard.awaitClaimedStarted(MAX_WAIT_FOR_STARTS);
                long claimsBefore = guard.counts().claims();
                fetch();
                lastFetch = System.nanoTime();
                if (!secondTry && guard.counts().claims() == claimsBefore) {
                    scheduleSecondTry();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The poll still runs; a database error here must not end fast pickup for good.
                log.warn("fast pickup could not fetch jobs (JobRunr's poll still will): {}", e.toString());
            }
        }
    }

    /** Waits for a signal; returns false when it woke up for a second try instead. */
    private boolean awaitSignal() throws InterruptedException {
        lock.lock();
        try {
            while (!pending && running) {
                if (secondTryAt != 0) {
                    long left = secondTryAt - System.nanoTime();
                    if (left <= 0) {
                        secondTryAt = 0;
                        return false;
                    }
                    signalled.awaitNanos(left);
                } else {
                    signalled.await();
                }
            }
            pending = false;
            secondTryAt = 0;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void scheduleSecondTry() {
        lock.lock();
        try {
            secondTryAt = System.nanoTime() + SECOND_TRY.toNanos();
        } finally {
            lock.unlock();
        }
    }

    private void fetch() throws InterruptedException {
        BackgroundJobServer current = server;
        if (current == null || !current.isRunning()) {
            return;
        }
        if (current.isNotReadyToProcessJobs()) {
            // Starting: the server announces itself first. Keep the signal for when it can fetch.
            TimeUnit.MILLISECONDS.sleep(READY_CHECK.toMillis());
            signal();
            return;
        }
        if (!current.getWorkDistributionStrategy().canOnboardNewWork()) {
            return; // every worker busy: the next one to finish fetches by itself
        }
        // The steward's public idle notification runs its own onboarding task under its own lock;
        // the occupied/idle pair leaves its worker count where it was.
        JobSteward steward = current.getJobSteward();
        steward.notifyThreadOccupied();
        steward.notifyThreadIdle();
    }

    /** Stops the thread; call it before stopping the server. */
    @Override
    public void close() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
