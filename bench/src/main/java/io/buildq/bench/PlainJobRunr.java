package io.buildq.bench;

import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.pickup.ClaimGuard;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.utils.mapper.JsonMapper;

/**
 * The baseline: JobRunr as its documentation sets it up, on the same database and with the same
 * worker count and poll interval as the buildq worker it is compared with. Only a {@link ClaimGuard}
 * is added, which counts claims and changes nothing (it only holds back buildq's own fetches).
 */
final class PlainJobRunr implements AutoCloseable {

    static final Duration POLL = Duration.ofSeconds(5);

    private final StorageProvider storage;
    private final JobRequestScheduler scheduler;
    private BackgroundJobServer server;
    private ClaimGuard claims;

    PlainJobRunr(DataSource dataSource) {
        JsonMapper json = JobRunrStorage.jsonMapper();
        this.storage = JobRunrStorage.open(dataSource, json);
        this.scheduler = new JobRequestScheduler(storage);
    }

    /** Starts a server whose jobs run {@code handlers} (one instance per handler class). */
    PlainJobRunr startServer(int workers, Object... handlers) {
        JobActivator activator = new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                for (Object handler : handlers) {
                    if (type.isInstance(handler)) {
                        return type.cast(handler);
                    }
                }
                return null;
            }
        };
        server = new BackgroundJobServer(storage, JobRunrStorage.jsonMapper(), activator,
                BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers)
                        .andPollInterval(POLL));
        claims = new ClaimGuard(workers, () -> server.getJobSteward().getOccupiedWorkerCount());
        server.setJobFilters(List.of(claims));
        server.start();
        return this;
    }

    /** JobRunr's own bulk enqueue: one batched insert of every job. */
    void enqueueAll(java.util.stream.Stream<? extends JobRequest> jobs) {
        scheduler.enqueue(jobs);
    }

    void enqueue(JobRequest job) {
        scheduler.enqueue(job);
    }

    /**
     * Moves every ENQUEUED job to SCHEDULED at {@code until}, as JobRunr does with a job a filter
     * turned away (deleted, then scheduled, with the reason).
     */
    void waitAll(java.time.Instant until, String reason) {
        List<org.jobrunr.jobs.Job> page;
        while (!(page = storage.getJobList(org.jobrunr.jobs.states.StateName.ENQUEUED,
                new org.jobrunr.storage.navigation.AmountRequest("updatedAt:ASC", 1000))).isEmpty()) {
            page.forEach(job -> {
                job.delete(reason);
                job.scheduleAt(until, reason);
            });
            storage.save(page);
        }
    }

    ClaimGuard.ClaimCounts claimCounts() {
        return claims.counts();
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        storage.close();
    }
}
