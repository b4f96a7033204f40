package io.buildq.pickup;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobrunr.server.threadpool.JobRunrExecutor;

/**
 * The threads a worker runs its jobs on: one per job running now, made when a job arrives and no
 * thread is idle, kept a minute after its last job, never more than {@code maxThreads}.
 *
 * <p>JobRunr's own {@code PlatformThreadPoolJobRunrExecutor} is a fixed pool that starts all its
 * threads at once, and the worker asks for twice as many threads as workers (a job claimed early
 * must find a thread, see {@link ClaimGuard}). A worker following 1,000 builds thus held 2,000
 * threads, half of them never used. A plain {@link ThreadPoolExecutor} will not do either: below its
 * core size it makes a new thread for every task even when others are idle, and above it queues
 * tasks instead of making threads. So, as Tomcat's executor does, the queue refuses a task while
 * no thread is idle and the pool may still grow, which makes the pool add a thread; once it may
 * not, the task waits in the queue for the next free thread rather than being refused.
 *
 * <p>Stopping is JobRunr's: no new jobs, wait up to the grace for the running ones, then
 * interrupt them; and then up to 5 s more for them to return.
 */
public final class OnDemandJobThreads implements JobRunrExecutor {

    private static final Duration IDLE_THREAD_KEPT = Duration.ofMinutes(1);
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

    private final int workerCount;
    private final AtomicInteger unfinished = new AtomicInteger();
    private final ThreadPoolExecutor pool;

    /**
     * @param workerCount the worker count JobRunr is told of (its dashboard shows it)
     * @param maxThreads  the most jobs run at once
     * @param namePrefix  thread names are this, a dash and a number
     */
    public OnDemandJobThreads(int workerCount, int maxThreads, String namePrefix) {
        if (workerCount < 1 || maxThreads < workerCount) {
            throw new IllegalArgumentException("need 1 <= workerCount <= maxThreads, got " + workerCount + " and " + maxThreads);
        }
        this.workerCount = workerCount;
        GrowFirstQueue queue = new GrowFirstQueue();
        // Refused by the queue, then by a pool that reached its size meanwhile: the task waits.
        RejectedExecutionHandler waitForThread = (task, executor) -> {
            if (executor.isShutdown()) {
                throw new RejectedExecutionException("the worker is stopping");
            }
            queue.add(task);
        };
        this.pool = new ThreadPoolExecutor(0, maxThreads, IDLE_THREAD_KEPT.toMillis(), TimeUnit.MILLISECONDS, queue,
                named(namePrefix), waitForThread) {
            @Override
            protected void afterExecute(Runnable task, Throwable thrown) {
                unfinished.decrementAndGet();
            }
        };
        queue.pool = pool;
    }

    @Override
    public void execute(Runnable job) {
        unfinished.incrementAndGet();
        try {
            pool.execute(job);
        } catch (RuntimeException refused) { // only once stopping
            unfinished.decrementAndGet();
            throw refused;
        }
    }

    @Override
    public int getWorkerCount() {
        return workerCount;
    }

    /** Threads alive now, idle ones included. */
    public int threads() {
        return pool.getPoolSize();
    }

    /** Jobs handed over and not yet finished, waiting ones included. */
    public int unfinishedJobs() {
        return unfinished.get();
    }

    @Override
    public void start() {
        // Threads are made as jobs arrive.
    }

    @Override
    public void stop(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                // Unlike JobRunr's pool, wait (bounded) for the interrupted jobs to save how they
                // ended: returning at once let the caller close the database under them, and each
                // logged a stack trace of its failed save.
                pool.awaitTermination(AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isStopping() {
        return pool.isShutdown();
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return job -> new Thread(job, prefix + "-" + next.incrementAndGet());
    }

    /**
     * Takes a task only when a thread is idle to run it or the pool is as large as it may be;
     * refusing makes the pool add a thread.
     */
    private final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {

        private ThreadPoolExecutor pool;

        @Override
        public boolean add(Runnable task) {
            return super.offer(task);
        }

        @Override
        public boolean offer(Runnable task) {
            // unfinished counts this task too: an idle thread exists when fewer tasks are unfinished
            // than threads are alive.
            if (pool.getPoolSize() >= pool.getMaximumPoolSize() || unfinished.get() <= pool.getPoolSize()) {
                return super.offer(task);
            }
            return false;
        }
    }
}
