package io.buildq.api;

import io.buildq.build.BuildRequest;
import io.buildq.build.IdempotencyKeyConflictException;
import io.buildq.job.BuildRequestRow;
import io.buildq.job.JobHistoryEntry;
import io.buildq.job.JobKind;
import io.buildq.job.JobRow;
import io.buildq.job.JobStore;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.queue.JobEnqueuer;
import io.buildq.queue.JobRunrStorage;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.TargetStatus;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.hibernate.exception.ConstraintViolationException;
import org.jobrunr.storage.StorageException;
import org.jobrunr.storage.StorageProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point Conductor (and the CLI) use: validate a request, write its rows, enqueue its
 * JobRunr jobs, and read back what the workers reported. Thread-safe; make one per database and
 * share it.
 *
 * <pre>{@code
 * try (BuildQueue queue = BuildQueue.create(dataSource)) {
 *     UUID build = queue.build(BuildRequest.of("web-server", templateXml, List.of("ec2", "rhevm")));
 *     BuildStatus status = queue.status(build);
 * }
 * }</pre>
 */
public final class BuildQueue implements AutoCloseable {

    static final String SOURCE_ENQUEUE = "enqueue";
    private static final Logger log = LoggerFactory.getLogger(BuildQueue.class);

    private final JobStore store;
    private final StorageProvider storageProvider;
    private final JobEnqueuer enqueuer;

    BuildQueue(JobStore store, StorageProvider storageProvider) {
        this.store = store;
        this.storageProvider = storageProvider;
        this.enqueuer = new JobEnqueuer(storageProvider);
    }

    /**
     * Opens a queue on a database that {@code buildq migrate} has prepared; fails with
     * {@link io.buildq.migrations.SchemaNotMigratedException} otherwise. The DataSource stays yours.
     */
    public static BuildQueue create(DataSource dataSource) {
        return create(dataSource, Clock.systemUTC());
    }

    static BuildQueue create(DataSource dataSource, Clock clock) {
        new BuildqMigrations(dataSource).verify();
        return new BuildQueue(JobStore.open(dataSource, clock), JobRunrStorage.open(dataSource, JobRunrStorage.jsonMapper()));
    }

    /**
     * Enqueues a build: one job row and one JobRunr job per target. The request was validated when it
     * was made; here only the idempotency key can still be refused. With a key already used for the
     * same request, returns that build's id (and re-enqueues any of its jobs that are missing).
     *
     * @return the build's id, for {@link #status(UUID)}
     * @throws IdempotencyKeyConflictException the key was used for a different request
     * @throws QueueUnavailableException       the database failed; nothing was written
     */
    public UUID build(BuildRequest request) {
        try {
            Optional<BuildRequestRow> existing = findByKey(request);
            if (existing.isPresent()) {
                enqueueJobs(existing.get(), store.jobsOfRequest(existing.get().id()));
                return existing.get().id();
            }
            UUID buildId = UUID.randomUUID();
            UUID imageId = request.imageId() != null ? request.imageId() : UUID.randomUUID();
            BuildRequestRow row = new BuildRequestRow(buildId, imageId, request.image(), request.template(),
                    request.idempotencyKey(), request.fingerprint(), store.now());
            List<JobRow> jobs = new ArrayList<>();
            for (String target : request.targets()) {
                jobs.add(JobRow.queued(UUID.randomUUID(), buildId, JobKind.BUILD, target, row.createdAt()));
            }
            try {
                store.insert(row, jobs, SOURCE_ENQUEUE);
            } catch (ConstraintViolationException e) {
                // Another caller inserted the same key between our lookup and our insert.
                Optional<BuildRequestRow> winner = findByKey(request);
                if (winner.isPresent()) {
                    return winner.get().id();
                }
                throw e;
            }
            // The rows are committed. If enqueueing fails now, the build is not lost: the workers'
            // reconciler enqueues QUEUED rows that have no job.
            try {
                enqueueJobs(row, jobs);
            } catch (StorageException | PersistenceException e) {
                log.warn("Build {} is written but its jobs are not enqueued yet; a worker's reconciler will: {}",
                        buildId, e.toString());
            }
            return buildId;
        } catch (PersistenceException | StorageException e) {
            throw new QueueUnavailableException("The build could not be enqueued: " + e.getMessage(), e);
        }
    }

    /** The build's targets with their status, percent, activity, error, attempt and times. */
    public BuildStatus status(UUID buildId) {
        BuildRequestRow request = store.findRequest(buildId).orElseThrow(() -> new BuildNotFoundException(buildId));
        List<TargetStatus> targets = store.jobsOfRequest(buildId).stream().map(BuildQueue::view).toList();
        return new BuildStatus(request.id(), request.imageId(), request.imageName(), request.createdAt(), targets);
    }

    /** Every change of one target's job row, oldest first. */
    public List<HistoryEntry> history(UUID jobId) {
        if (store.findJob(jobId).isEmpty()) {
            throw new BuildNotFoundException(jobId);
        }
        return store.history(jobId).stream().map(BuildQueue::view).toList();
    }

    @Override
    public void close() {
        store.close();
        storageProvider.close();
    }

    private Optional<BuildRequestRow> findByKey(BuildRequest request) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        Optional<BuildRequestRow> existing = store.findRequestByIdempotencyKey(request.idempotencyKey());
        if (existing.isPresent() && !existing.get().fingerprint().equals(request.fingerprint())) {
            throw new IdempotencyKeyConflictException(request.idempotencyKey(), existing.get().id());
        }
        return existing;
    }

    /** One job per row, with the row's id: JobRunr skips an id it already has, so this may run twice. */
    private void enqueueJobs(BuildRequestRow request, List<JobRow> jobs) {
        for (JobRow job : jobs) {
            if (!job.status().isTerminal()) {
                enqueuer.enqueue(request, job);
            }
        }
    }

    private static TargetStatus view(JobRow row) {
        return new TargetStatus(row.id(), row.target(), row.status(), row.percent(), row.activity(), row.error(),
                row.attempt(), row.factoryImageId(), row.factoryStatus(), row.createdAt(), row.updatedAt(),
                row.startedAt(), row.finishedAt());
    }

    private static HistoryEntry view(JobHistoryEntry entry) {
        return new HistoryEntry(entry.recordedAt(), entry.source(), entry.status(), entry.factoryStatus(),
                entry.percent(), entry.activity(), entry.error(), entry.attempt());
    }
}
