package io.buildq.api;

import io.buildq.build.BuildRequest;
import io.buildq.build.IdempotencyKeyConflictException;
import io.buildq.build.InvalidBatchException;
import io.buildq.build.TargetNames;
import io.buildq.catalog.Catalog;
import io.buildq.error.BuildNotFoundException;
import io.buildq.error.BuildQueueException;
import io.buildq.internal.catalog.ImageCatalog;
import io.buildq.internal.estimate.ProgressEstimator;
import io.buildq.internal.iwhd.IwhdClient;
import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.ChangeSource;
import io.buildq.internal.job.CredentialRow;
import io.buildq.internal.job.JobHistoryEntry;
import io.buildq.internal.job.JobRow;
import io.buildq.internal.job.JobStore;
import io.buildq.internal.queue.ConnectionSharingDataSource;
import io.buildq.internal.queue.JobEnqueuer;
import io.buildq.internal.queue.JobRunrStorage;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.push.BuildNotCompleteException;
import io.buildq.push.ProviderAccount;
import io.buildq.push.PushRequest;
import io.buildq.push.TargetNotInBuildException;
import io.buildq.queue.EnqueueListener;
import io.buildq.secret.CredentialCipher;
import io.buildq.secret.NoSecretKeyException;
import io.buildq.status.BuildOverview;
import io.buildq.status.BuildPage;
import io.buildq.status.BuildQuery;
import io.buildq.status.BuildStatus;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobChange;
import io.buildq.status.JobKind;
import io.buildq.status.JobQuery;
import io.buildq.status.JobStatus;
import io.buildq.status.JobSummary;
import io.buildq.status.ProgressEstimate;
import io.buildq.status.PushStatus;
import io.buildq.status.TargetStatus;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import org.flywaydb.core.api.FlywayException;
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

    private static final Logger log = LoggerFactory.getLogger(BuildQueue.class);

    private final JobStore store;
    private final StorageProvider storageProvider;
    private final JobEnqueuer enqueuer;
    private final CredentialCipher cipher;
    private final ImageCatalog catalog;
    private final ProgressEstimator estimator;

    BuildQueue(JobStore store, StorageProvider storageProvider, ConnectionSharingDataSource sharing,
               CredentialCipher cipher, ImageCatalog catalog, EnqueueListener listener) {
        this.store = store;
        this.storageProvider = storageProvider;
        this.enqueuer = new JobEnqueuer(storageProvider, sharing, listener);
        this.cipher = cipher;
        this.catalog = catalog;
        // A minute's cache: the status page and watchers read running builds every few seconds.
        this.estimator = new ProgressEstimator(store, java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1));
    }

    /**
     * Opens a queue on a database that {@code buildq migrate} has prepared; fails with
     * {@link io.buildq.migrations.SchemaNotMigratedException} otherwise. The DataSource stays yours.
     */
    public static BuildQueue create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** A queue with the options pushes and the catalog need. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * The catalog of an image for provider accounts: for each account one of building, not_built,
     * pushing, not_pushed or pushed, as Conductor's {@code image_status} answered it, and what is
     * missing. Needs {@link Builder#iwhd(String)}.
     *
     * @param imageId the image's uuid in iwhd ({@link BuildStatus#imageId()})
     */
    public Catalog catalog(UUID imageId, List<ProviderAccount> accounts) {
        if (catalog == null) {
            throw new BuildQueueException("This BuildQueue has no iwhd to read the catalog from: open it with "
                    + "BuildQueue.builder(dataSource).iwhd(url)");
        }
        return catalog.catalog(imageId, PushRequest.checkAccounts(accounts));
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
        return submit(request, List.of());
    }

    /** The most builds {@link #buildAll} takes at once. */
    public static final int MAX_BATCH = 1000;

    /**
     * Enqueues several builds in one transaction: every request's rows and JobRunr jobs are written
     * together, or none are. Each request was validated when it was made; idempotency keys are checked
     * for all of them before anything is written. A key already used for the same request gives that
     * build's id (as {@link #build} does), and so does a key repeated within the list for the same
     * request.
     *
     * @param requests 1 to {@link #MAX_BATCH} requests
     * @return the builds' ids, in the order of the requests
     * @throws InvalidBatchException           the list is empty, too long, or holds a null
     * @throws IdempotencyKeyConflictException a key was used, in the database or earlier in the list,
     *                                         for a different request; nothing was written
     * @throws QueueUnavailableException       the database failed; nothing was written
     */
    public List<UUID> buildAll(List<BuildRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            throw new InvalidBatchException("give at least one build request");
        }
        if (requests.size() > MAX_BATCH) {
            throw new InvalidBatchException("at most " + MAX_BATCH + " builds at once, not " + requests.size());
        }
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i) == null) {
                throw new InvalidBatchException("request " + i + " is null");
            }
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return submitAll(requests);
            } catch (ConstraintViolationException e) {
                if (attempt == 2) {
                    throw new QueueUnavailableException("The builds could not be enqueued: " + e.getMessage(), e);
                }
                // A key another caller used between our lookups and our insert: the keys are looked up
                // again, and that caller's builds are what those requests return.
            } catch (PersistenceException | StorageException e) {
                throw new QueueUnavailableException("The builds could not be enqueued: " + e.getMessage(), e);
            }
        }
    }

    private List<UUID> submitAll(List<BuildRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        Map<String, BuildRequestRow> byKey = new HashMap<>();
        List<BuildRequestRow> rows = new ArrayList<>();
        List<JobRow> builds = new ArrayList<>();
        Map<UUID, List<JobRow>> buildsOfRequest = new HashMap<>();
        List<BuildRequestRow> existing = new ArrayList<>();
        for (BuildRequest request : requests) {
            String key = request.idempotencyKey();
            if (key != null) {
                BuildRequestRow earlier = byKey.get(key);
                if (earlier == null) {
                    earlier = findByKey(request, List.of()).orElse(null);
                    if (earlier != null) {
                        existing.add(earlier);
                    }
                } else if (!earlier.fingerprint().equals(fingerprint(request, List.of()))) {
                    throw new IdempotencyKeyConflictException(key, earlier.id());
                }
                if (earlier != null) {
                    byKey.put(key, earlier);
                    ids.add(earlier.id());
                    continue;
                }
            }
            BuildRequestRow row = newRequestRow(request, List.of());
            UUID buildId = row.id();
            List<JobRow> jobs = new ArrayList<>();
            for (String target : request.targets()) {
                jobs.add(JobRow.queued(UUID.randomUUID(), buildId, JobKind.BUILD, target, row.createdAt()));
            }
            rows.add(row);
            builds.addAll(jobs);
            buildsOfRequest.put(buildId, jobs);
            if (key != null) {
                byKey.put(key, row);
            }
            ids.add(buildId);
        }
        if (!rows.isEmpty()) {
            // Every row and JobRunr job in one transaction: the list is enqueued whole or not at all.
            store.insertAll(rows, builds, ChangeSource.ENQUEUE,
                    connection -> enqueuer.enqueueIn(connection, rows, buildsOfRequest));
            enqueuer.announce(builds);
        }
        for (BuildRequestRow earlier : existing) {
            enqueueJobs(earlier, store.jobsOfRequest(earlier.id()).stream().filter(job -> job.kind() == JobKind.BUILD)
                    .toList());
        }
        return ids;
    }

    /**
     * Builds for the request's targets and, as each target build completes, pushes it to the accounts
     * of that target. If a build fails, its pushes end FAILED with the error {@code "build failed"};
     * if the build is retried and completes, they run.
     *
     * @return the build's id; {@link #status(UUID)} shows its builds and pushes
     * @throws TargetNotInBuildException an account takes images of a target the request does not build
     */
    public UUID buildAndPush(BuildRequest request, List<ProviderAccount> accounts) {
        List<ProviderAccount> checked = PushRequest.checkAccounts(accounts);
        for (ProviderAccount account : checked) {
            if (!request.targets().contains(account.target())) {
                throw new TargetNotInBuildException(account.providerName(), account.target());
            }
        }
        requireCipher();
        return submit(request, checked);
    }

    /**
     * Pushes a completed build to provider accounts, one push per account (of the build's image for
     * the account's target). Pushing to an account the build was already pushed to returns that push.
     *
     * @return the push jobs' ids, in the order of the accounts
     * @throws BuildNotFoundException     no build has that id
     * @throws BuildNotCompleteException  the target build an account needs is not COMPLETE
     * @throws TargetNotInBuildException  an account takes images of a target the build does not build
     */
    public List<UUID> push(PushRequest request) {
        requireCipher();
        BuildRequestRow build = store.findRequest(request.buildId())
                .orElseThrow(() -> new BuildNotFoundException(request.buildId()));
        List<JobRow> rows = store.jobsOfRequest(build.id());
        List<UUID> ids = new ArrayList<>();
        List<JobRow> newPushes = new ArrayList<>();
        List<CredentialRow> credentials = new ArrayList<>();
        for (ProviderAccount account : request.accounts()) {
            JobRow buildJob = rows.stream()
                    .filter(row -> row.kind() == JobKind.BUILD && row.target().equals(account.target()))
                    .findFirst()
                    .orElseThrow(() -> new TargetNotInBuildException(account.providerName(), account.target()));
            if (buildJob.status() != JobStatus.COMPLETE) {
                throw new BuildNotCompleteException(build.id(), buildJob.target(), buildJob.status());
            }
            Optional<JobRow> existing = rows.stream()
                    .filter(row -> row.kind() == JobKind.PUSH && row.target().equals(account.target())
                            && row.providerName().equals(account.providerName())
                            && row.accountIdentifier().equals(account.accountIdentifier()))
                    .findFirst();
            if (existing.isPresent()) {
                ids.add(existing.get().id());
                continue;
            }
            JobRow push = JobRow.queuedPush(UUID.randomUUID(), buildJob, account.providerName(),
                    account.accountIdentifier(), account.factoryProvider(), store.now());
            newPushes.add(push);
            credentials.add(new CredentialRow(push.id(), cipher.seal(account.credentials(), push.id()), store.now()));
            ids.add(push.id());
        }
        try {
            store.insert(null, newPushes, credentials, ChangeSource.ENQUEUE,
                    connection -> enqueuer.enqueueIn(connection, build, newPushes));
            enqueuer.announce(newPushes);
        } catch (PersistenceException | StorageException e) {
            throw new QueueUnavailableException("The push could not be enqueued: " + e.getMessage(), e);
        }
        return ids;
    }

    private void requireCipher() {
        if (cipher == null) {
            throw new NoSecretKeyException();
        }
    }

    private UUID submit(BuildRequest request, List<ProviderAccount> accounts) {
        try {
            Optional<BuildRequestRow> existing = findByKey(request, accounts);
            if (existing.isPresent()) {
                enqueueJobs(existing.get(), store.jobsOfRequest(existing.get().id()).stream()
                        .filter(job -> job.kind() == JobKind.BUILD).toList());
                return existing.get().id();
            }
            BuildRequestRow row = newRequestRow(request, accounts);
            UUID buildId = row.id();
            List<JobRow> jobs = new ArrayList<>();
            List<JobRow> builds = new ArrayList<>();
            List<CredentialRow> credentials = new ArrayList<>();
            for (String target : request.targets()) {
                JobRow buildJob = JobRow.queued(UUID.randomUUID(), buildId, JobKind.BUILD, target, row.createdAt());
                jobs.add(buildJob);
                builds.add(buildJob);
                for (ProviderAccount account : accounts) {
                    if (account.target().equals(target)) {
                        JobRow push = JobRow.queuedPush(UUID.randomUUID(), buildJob, account.providerName(),
                                account.accountIdentifier(), account.factoryProvider(), row.createdAt());
                        jobs.add(push);
                        credentials.add(new CredentialRow(push.id(), cipher.seal(account.credentials(), push.id()),
                                row.createdAt()));
                    }
                }
            }
            try {
                // Rows and JobRunr jobs in one transaction: a build is enqueued whole or not at all.
                store.insert(row, jobs, credentials, ChangeSource.ENQUEUE,
                        connection -> enqueuer.enqueueIn(connection, row, builds));
            } catch (ConstraintViolationException e) {
                // Another caller inserted the same key between our lookup and our insert.
                Optional<BuildRequestRow> winner = findByKey(request, accounts);
                if (winner.isPresent()) {
                    return winner.get().id();
                }
                throw e;
            }
            enqueuer.announce(builds);
            return buildId;
        } catch (PersistenceException | StorageException e) {
            throw new QueueUnavailableException("The build could not be enqueued: " + e.getMessage(), e);
        }
    }

    /**
     * Retries a FAILED job (a target build or a push) as attempt n+1: the row becomes QUEUED and its
     * JobRunr job runs again, starting a new factory build (the failed image is not reattached). A
     * retried build that completes releases the pushes that failed with it.
     *
     * @throws JobNotRetryableException the job is not FAILED, or is a push whose build is not COMPLETE
     */
    public void retry(UUID jobId) {
        JobRow row = store.findJob(jobId).orElseThrow(() -> new BuildNotFoundException(jobId));
        checkRetryable(row);
        JobRow queued = store.change(jobId, ChangeSource.API, current -> {
            checkRetryable(current);
            current.requeueForRetry("Retried through buildq");
        });
        enqueuer.enqueueAgain(store.findRequest(queued.requestId()).orElseThrow(), queued);
    }

    /**
     * Retries every FAILED job (of one image, when {@code imageName} is not null): builds, and pushes
     * whose build is COMPLETE. Pushes that failed with their build run when it is retried and completes.
     *
     * @return the ids of the jobs retried
     */
    public List<UUID> retryAllFailed(String imageName) {
        List<UUID> retried = new ArrayList<>();
        for (JobRow row : store.failed(imageName, 10_000)) {
            if (row.failedWithItsBuild()) {
                continue;
            }
            try {
                retry(row.id());
                retried.add(row.id());
            } catch (JobNotRetryableException e) {
                // changed meanwhile, or a push whose build failed again: not this round's business
            }
        }
        return retried;
    }

    /**
     * Cancels a QUEUED or RUNNING job: the row becomes CANCELLED, its JobRunr job is deleted (a running
     * one is interrupted by its worker, which asks factory to delete its image), and the pushes waiting
     * on a cancelled build are cancelled too.
     *
     * @throws JobNotCancellableException the job has already ended
     */
    public void cancel(UUID jobId) {
        JobRow row = store.findJob(jobId).orElseThrow(() -> new BuildNotFoundException(jobId));
        JobRow cancelled = store.change(jobId, ChangeSource.API, current -> {
            if (!current.status().isCancellable()) {
                throw new JobNotCancellableException(jobId, current.status());
            }
            current.cancel(store.now(), "Cancelled through buildq");
        });
        enqueuer.delete(cancelled, "Cancelled through buildq");
        if (row.kind() == JobKind.BUILD) {
            for (JobRow push : store.pushesOf(jobId)) {
                if (push.status() == JobStatus.QUEUED) {
                    JobRow cancelledPush = store.change(push.id(), ChangeSource.API, current -> {
                        if (current.status() == JobStatus.QUEUED) {
                            current.cancel(store.now(), "Its build was cancelled");
                        }
                    });
                    enqueuer.delete(cancelledPush, "Its build was cancelled");
                }
            }
        }
    }

    private void checkRetryable(JobRow row) {
        if (row.status() != JobStatus.FAILED) {
            throw new JobNotRetryableException(row.id(), row.status(), "only FAILED jobs can be retried");
        }
        if (row.kind() == JobKind.PUSH) {
            JobStatus build = store.findJob(row.parentJobId()).orElseThrow().status();
            if (build != JobStatus.COMPLETE) {
                throw new JobNotRetryableException(row.id(), row.status(), "its build is " + build
                        + "; retry the build, and the push runs when it completes");
            }
        }
    }

    /** The build's targets with their status, percent, activity, error, attempt and times. */
    public BuildStatus status(UUID buildId) {
        BuildRequestRow request = store.findRequest(buildId).orElseThrow(() -> new BuildNotFoundException(buildId));
        List<JobRow> rows = store.jobsOfRequest(buildId);
        List<TargetStatus> targets = rows.stream().filter(row -> row.kind() == JobKind.BUILD)
                .map(row -> view(row, estimator.estimate(row, request).orElse(null))).toList();
        List<PushStatus> pushes = rows.stream().filter(row -> row.kind() == JobKind.PUSH).map(BuildQueue::pushView).toList();
        return new BuildStatus(request.id(), request.imageId(), request.imageName(), request.createdAt(), targets, pushes);
    }

    /** Builds and pushes across all requests, newest first: what the status page lists. */
    public List<JobSummary> jobs(JobQuery query) {
        return store.search(query.status(), query.image(), query.target(), query.limit()).stream()
                .map(pair -> summary((JobRow) pair[0], (BuildRequestRow) pair[1]))
                .toList();
    }

    /**
     * A page of builds, newest first, each with its targets and pushes, and the count of jobs by
     * state above it: what the status page shows.
     */
    public BuildPage builds(BuildQuery query) {
        List<UUID> ids = store.searchRequests(query.status(), query.image(), query.target(),
                (query.page() - 1) * query.pageSize(), query.pageSize() + 1);
        boolean hasNext = ids.size() > query.pageSize();
        List<UUID> shown = hasNext ? ids.subList(0, query.pageSize()) : ids;
        Map<UUID, List<JobSummary>> jobs = new HashMap<>();
        Map<UUID, BuildRequestRow> requests = new HashMap<>();
        for (Object[] pair : store.jobsOfRequests(shown)) {
            BuildRequestRow request = (BuildRequestRow) pair[1];
            requests.put(request.id(), request);
            jobs.computeIfAbsent(request.id(), id -> new ArrayList<>()).add(summary((JobRow) pair[0], request));
        }
        List<BuildOverview> builds = new ArrayList<>();
        for (UUID id : shown) {
            BuildRequestRow request = requests.get(id);
            if (request == null) {
                continue; // deleted by retention between the two reads
            }
            List<JobSummary> ordered = new ArrayList<>(jobs.get(id));
            // Each target's build, then the pushes made from it.
            ordered.sort(Comparator.comparing(JobSummary::target).thenComparing(JobSummary::kind)
                    .thenComparing(JobSummary::providerName));
            builds.add(new BuildOverview(id, request.imageId(), request.imageName(), request.createdAt(), ordered));
        }
        return new BuildPage(builds, query.page(), query.pageSize(), hasNext,
                store.countByStatus(query.image(), query.target()));
    }

    /** One job, build or push. */
    public JobSummary job(UUID jobId) {
        JobRow row = store.findJob(jobId).orElseThrow(() -> new BuildNotFoundException(jobId));
        return summary(row, store.findRequest(row.requestId()).orElseThrow());
    }

    private JobSummary summary(JobRow row, BuildRequestRow request) {
        return new JobSummary(row.id(), request.id(), request.imageId(), request.imageName(), row.kind(), row.target(),
                row.providerName(), row.status(), row.percent(), row.activity(), row.error(), row.attempt(),
                row.factoryImageId(), row.createdAt(), row.updatedAt(), row.startedAt(), row.finishedAt(),
                estimator.estimate(row, request).orElse(null));
    }

    /**
     * Every change of every job of one build (its targets and pushes), by job id, each oldest
     * first: {@link #history} for all of them in one read.
     */
    public Map<UUID, List<HistoryEntry>> buildHistory(UUID buildId) {
        if (store.findRequest(buildId).isEmpty()) {
            throw new BuildNotFoundException(buildId);
        }
        Map<UUID, List<HistoryEntry>> history = new HashMap<>();
        for (JobHistoryEntry entry : store.historyOfRequest(buildId)) {
            history.computeIfAbsent(entry.jobId(), id -> new ArrayList<>()).add(view(entry));
        }
        return history;
    }

    /** Every change of one target's job row, oldest first. */
    public List<HistoryEntry> history(UUID jobId) {
        if (store.findJob(jobId).isEmpty()) {
            throw new BuildNotFoundException(jobId);
        }
        return store.history(jobId).stream().map(BuildQueue::view).toList();
    }

    /**
     * The change feed: every change of every job with an id above {@code afterId}, oldest first, at
     * most {@code limit}. Ids are given when a change is written, and transactions commit in their own
     * order, so a change can appear after one with a higher id has been read (or, if its transaction
     * rolled back, never): a follower that must miss nothing holds back past a gap for a moment before
     * it moves on, as the HTTP API's event stream does.
     */
    public List<JobChange> changes(long afterId, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be within 1..10000, was " + limit);
        }
        return store.changesAfter(afterId, limit).stream()
                .map(triple -> change((JobHistoryEntry) triple[0], (JobRow) triple[1], (BuildRequestRow) triple[2]))
                .toList();
    }

    /** The id of the latest change written, 0 when there is none: where a follower of new changes starts. */
    public long lastChangeId() {
        return store.lastChangeId();
    }

    private static JobChange change(JobHistoryEntry entry, JobRow row, BuildRequestRow request) {
        return new JobChange(entry.id(), row.id(), request.id(), request.imageId(), request.imageName(), row.kind(),
                row.target(), row.providerName(), entry.recordedAt(), entry.source(), entry.status(), entry.percent(),
                entry.activity(), entry.error(), entry.attempt());
    }

    @Override
    public void close() {
        store.close();
        storageProvider.close();
    }

    /** Opens a {@link BuildQueue}; only the DataSource is required. */
    public static final class Builder {
        private final DataSource dataSource;
        private CredentialCipher cipher;
        private String iwhdUrl;
        private OkHttpClient http;
        private String iwhdConsumerKey;
        private String iwhdConsumerSecret;
        private TargetNames targetNames = TargetNames.literal();
        private EnqueueListener listener = EnqueueListener.NONE;

        private Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** Seals provider credentials before they are written (pushes need it); workers need the same key. */
        public Builder credentialCipher(CredentialCipher cipher) {
            this.cipher = cipher;
            return this;
        }

        /** iwhd's root, for {@link #catalog}. */
        public Builder iwhd(String url) {
            this.iwhdUrl = url;
            return this;
        }

        /** The HTTP client for iwhd (for timeouts); a default one otherwise. */
        public Builder httpClient(OkHttpClient client) {
            this.http = client;
            return this;
        }

        /**
         * Signs every request to iwhd with two-legged OAuth, as Aeolus configured iwhd
         * ({@code /etc/iwhd/users.js}): header-only, HMAC-SHA1, consumer only, body never signed
         * ({@link io.buildq.internal.oauth.OAuth1Signer#forIwhd}). Off unless called.
         */
        public Builder iwhdOAuth(String consumerKey, String consumerSecret) {
            this.iwhdConsumerKey = Objects.requireNonNull(consumerKey, "consumerKey");
            this.iwhdConsumerSecret = Objects.requireNonNull(consumerSecret, "consumerSecret");
            return this;
        }

        /**
         * How the catalog matches an account's target with the target images in iwhd; the same
         * mapping the workers register with ({@link TargetNames#literal()} unless set).
         */
        public Builder targetNames(TargetNames names) {
            this.targetNames = Objects.requireNonNull(names, "names");
            return this;
        }

        /**
         * Told of every job this queue enqueues, after its commit: pass a worker's
         * {@code pickupSignal()} when it runs in this process, so that on H2 it starts jobs at once
         * (on PostgreSQL every worker hears of them through the database anyway).
         */
        public Builder onEnqueued(EnqueueListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Opens the queue on a database {@code buildq migrate} has prepared. */
        public BuildQueue build() {
            try {
                new BuildqMigrations(dataSource).verify();
            } catch (FlywayException e) {
                // Typically the database cannot be reached; either way there is no queue to open.
                throw new QueueUnavailableException("Cannot read the queue's schema: " + e.getMessage(), e);
            }
            JobStore store = JobStore.open(dataSource, Clock.systemUTC());
            OkHttpClient iwhdHttp = http != null ? http : new OkHttpClient();
            if (iwhdConsumerKey != null) {
                iwhdHttp = iwhdHttp.newBuilder().addInterceptor(io.buildq.internal.oauth.OAuth1Signer.forIwhd(iwhdConsumerKey,
                        iwhdConsumerSecret, Clock.systemUTC())).build();
            }
            ImageCatalog catalog = iwhdUrl == null ? null : new ImageCatalog(store, new IwhdClient(iwhdHttp, iwhdUrl),
                    targetNames);
            // JobRunr's storage on a DataSource that can hand it our transaction's connection.
            ConnectionSharingDataSource sharing = new ConnectionSharingDataSource(dataSource);
            return new BuildQueue(store, JobRunrStorage.open(sharing, JobRunrStorage.jsonMapper()), sharing, cipher,
                    catalog, listener);
        }
    }

    private Optional<BuildRequestRow> findByKey(BuildRequest request, List<ProviderAccount> accounts) {
        if (request.idempotencyKey() == null) {
            return Optional.empty();
        }
        Optional<BuildRequestRow> existing = store.findRequestByIdempotencyKey(request.idempotencyKey());
        if (existing.isPresent() && !existing.get().fingerprint().equals(fingerprint(request, accounts))) {
            throw new IdempotencyKeyConflictException(request.idempotencyKey(), existing.get().id());
        }
        return existing;
    }

    /** A new build's request row: a new build id, and a new image id unless the request names its image. */
    private BuildRequestRow newRequestRow(BuildRequest request, List<ProviderAccount> accounts) {
        return new BuildRequestRow(UUID.randomUUID(), request.imageId() != null ? request.imageId() : UUID.randomUUID(),
                request.image(), request.poolFamily(), request.template(), request.idempotencyKey(),
                fingerprint(request, accounts), store.now());
    }

    /** The request's fingerprint, and the accounts it pushes to (never their credentials). */
    private static String fingerprint(BuildRequest request, List<ProviderAccount> accounts) {
        if (accounts.isEmpty()) {
            return request.fingerprint();
        }
        List<String> names = new ArrayList<>();
        for (ProviderAccount account : accounts) {
            names.add(account.providerName() + "\u0000" + account.target() + "\u0000" + account.factoryProvider()
                    + "\u0000" + account.accountIdentifier());
        }
        names.sort(null);
        return request.fingerprint(String.join("\u0001", names));
    }

    /** One job per row, with the row's id: JobRunr skips an id it already has, so this may run twice. */
    private void enqueueJobs(BuildRequestRow request, List<JobRow> jobs) {
        for (JobRow job : jobs) {
            if (!job.status().isTerminal()) {
                enqueuer.enqueue(request, job);
            }
        }
    }

    private static TargetStatus view(JobRow row, ProgressEstimate estimate) {
        return new TargetStatus(row.id(), row.target(), row.status(), row.percent(), row.activity(), row.error(),
                row.attempt(), row.factoryImageId(), row.factoryStatus() == null ? null : row.factoryStatus().name(),
                row.createdAt(), row.updatedAt(), row.startedAt(), row.finishedAt(), estimate);
    }

    private static PushStatus pushView(JobRow row) {
        return new PushStatus(row.id(), row.parentJobId(), row.target(), row.providerName(), row.accountIdentifier(),
                row.status(), row.percent(), row.activity(), row.error(), row.attempt(), row.factoryImageId(),
                row.identifierOnProvider(), row.createdAt(), row.updatedAt(), row.startedAt(), row.finishedAt());
    }

    private static HistoryEntry view(JobHistoryEntry entry) {
        return new HistoryEntry(entry.recordedAt(), entry.source(), entry.status(), entry.factoryStatus(),
                entry.percent(), entry.activity(), entry.error(), entry.attempt(), entry.factoryImageId(),
                entry.identifierOnProvider());
    }
}
