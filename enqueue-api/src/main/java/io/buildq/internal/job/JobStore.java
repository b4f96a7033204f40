package io.buildq.internal.job;

import io.buildq.error.BuildNotFoundException;
import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.StaleStateException;
import org.hibernate.cfg.AvailableSettings;
import org.hibernate.cfg.Configuration;

/**
 * buildq's tables through Hibernate: the only class that writes job rows, so that every change of
 * a row is paired with its history entry in the same transaction.
 */
public final class JobStore implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JobStore.class);

    /** Concurrent writers (a callback and the job's own thread) retry on the row's version this often. */
    private static final int MAX_OPTIMISTIC_ATTEMPTS = 20;

    private final SessionFactory sessionFactory;
    private final Clock clock;

    private JobStore(SessionFactory sessionFactory, Clock clock) {
        this.sessionFactory = sessionFactory;
        this.clock = clock;
    }

    /** Opens the store on an already migrated database; the DataSource stays the caller's to close. */
    public static JobStore open(DataSource dataSource, Clock clock) {
        Configuration configuration = new Configuration()
                .addAnnotatedClass(BuildRequestRow.class)
                .addAnnotatedClass(JobRow.class)
                .addAnnotatedClass(JobHistoryEntry.class)
                .addAnnotatedClass(CredentialRow.class);
        configuration.getProperties().put(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource);
        // Flyway owns the schema; Hibernate only checks that the mapping agrees with it.
        configuration.setProperty(AvailableSettings.JAKARTA_HBM2DDL_DATABASE_ACTION, "none");
        configuration.setProperty(AvailableSettings.HBM2DDL_AUTO, "validate");
        configuration.setProperty(AvailableSettings.JDBC_TIME_ZONE, "UTC");
        return new JobStore(configuration.buildSessionFactory(), clock);
    }

    /** The sweep record's marker for a row that started no image by marker (rows older than markers). */
    public static final String NO_MARKER = "";

    public Instant now() {
        return clock.instant();
    }

    /** Writes a request and its job rows in one transaction, each row with its first history entry. */
    public void insert(BuildRequestRow request, List<JobRow> jobs, ChangeSource source) {
        insert(request, jobs, List.of(), source);
    }

    /**
     * Writes job rows (with a new request, or for an existing one when {@code request} is null) and
     * their sealed credentials in one transaction.
     */
    public void insert(BuildRequestRow request, List<JobRow> jobs, List<CredentialRow> credentials, ChangeSource source) {
        insert(request, jobs, credentials, source, connection -> { });
    }

    /**
     * Like {@link #insert(BuildRequestRow, List, List, String)}, and runs {@code alsoInTransaction} on
     * the transaction's connection once the rows are written: what it writes there (JobRunr's jobs)
     * is committed with the rows, or rolled back with them if anything fails.
     */
    public void insert(BuildRequestRow request, List<JobRow> jobs, List<CredentialRow> credentials, ChangeSource source,
                       Consumer<Connection> alsoInTransaction) {
        // A stateless session: these rows are only written, and enqueueing is the API's hot path;
        // the request, jobs and history go in one round trip (NewRows).
        List<JobHistoryEntry> history = jobs.stream().map(job -> JobHistoryEntry.of(job, source, job.createdAt())).toList();
        sessionFactory.inStatelessTransaction(session -> {
            session.doWork(connection -> NewRows.insert(connection, request == null ? List.of() : List.of(request), jobs,
                    history));
            for (CredentialRow credential : credentials) {
                session.insert(credential);
            }
            session.doWork(alsoInTransaction::accept);
        });
    }

    /**
     * Writes several new requests and their jobs in one transaction, in one multi-row INSERT per table
     * ({@link NewRows}), and runs
     * {@code alsoInTransaction} on its connection (JobRunr's jobs), as {@link #insert} does for one.
     */
    public void insertAll(List<BuildRequestRow> requests, List<JobRow> jobs, ChangeSource source,
                          Consumer<Connection> alsoInTransaction) {
        List<JobHistoryEntry> history = jobs.stream().map(job -> JobHistoryEntry.of(job, source, job.createdAt())).toList();
        sessionFactory.inStatelessTransaction(session -> session.doWork(connection -> {
            NewRows.insert(connection, requests, jobs, history);
            alsoInTransaction.accept(connection);
        }));
    }

    public Optional<CredentialRow> findCredentials(UUID jobId) {
        return Optional.ofNullable(sessionFactory.fromSession(session -> session.find(CredentialRow.class, jobId)));
    }

    /** Deletes a push's sealed credentials, once nothing needs them. */
    public void forgetCredentials(UUID jobId) {
        sessionFactory.inTransaction(session -> {
            CredentialRow credentials = session.find(CredentialRow.class, jobId);
            if (credentials != null) {
                session.remove(credentials);
            }
        });
    }

    /**
     * QUEUED and RUNNING rows with an id after {@code afterId} (null for the first page), in id order:
     * the reconciler pages through every one of them, however many finished rows the table holds.
     */
    public List<JobRow> inFlightAfter(UUID afterId, int limit) {
        return sessionFactory.fromSession(session -> {
            var query = session.createSelectionQuery("from JobRow where status in (:statuses)"
                    + (afterId == null ? "" : " and id > :after") + " order by id", JobRow.class)
                    .setParameter("statuses", List.of(JobStatus.QUEUED, JobStatus.RUNNING))
                    .setMaxResults(limit);
            if (afterId != null) {
                query.setParameter("after", afterId);
            }
            return query.getResultList();
        });
    }

    /** The most recently failed rows: those an operator may just have requeued in JobRunr's dashboard. */
    public List<JobRow> recentlyFailed(int limit) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("from JobRow where status = :failed order by updatedAt desc", JobRow.class)
                .setParameter("failed", JobStatus.FAILED)
                .setMaxResults(limit)
                .getResultList());
    }

    /** FAILED rows, newest first, optionally of one image name. */
    public List<JobRow> failed(String imageName, int limit) {
        if (imageName == null) {
            return sessionFactory.fromSession(session -> session
                    .createSelectionQuery("from JobRow where status = :failed order by updatedAt desc", JobRow.class)
                    .setParameter("failed", JobStatus.FAILED)
                    .setMaxResults(limit)
                    .getResultList());
        }
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("select j from JobRow j, BuildRequestRow r where j.requestId = r.id"
                        + " and j.status = :failed and r.imageName = :image order by j.updatedAt desc", JobRow.class)
                .setParameter("failed", JobStatus.FAILED)
                .setParameter("image", imageName)
                .setMaxResults(limit)
                .getResultList());
    }

    /** Rows with their request, newest first; a null filter does not filter. */
    public List<Object[]> search(JobStatus status, String imageName, String target, int limit) {
        StringBuilder hql = new StringBuilder("select j, r from JobRow j, BuildRequestRow r where j.requestId = r.id");
        if (status != null) {
            hql.append(" and j.status = :status");
        }
        if (imageName != null) {
            hql.append(" and r.imageName = :image");
        }
        if (target != null) {
            hql.append(" and j.target = :target");
        }
        hql.append(" order by j.createdAt desc, j.kind, j.target");
        return sessionFactory.fromSession(session -> {
            var query = session.createSelectionQuery(hql.toString(), Object[].class);
            if (status != null) {
                query.setParameter("status", status);
            }
            if (imageName != null) {
                query.setParameter("image", imageName);
            }
            if (target != null) {
                query.setParameter("target", target);
            }
            return query.setMaxResults(limit).getResultList();
        });
    }

    /**
     * The ids of the requests a page of builds shows, newest first: those of the image (by name),
     * with a job of the target and in the state given (null filters nothing).
     */
    public List<UUID> searchRequests(JobStatus status, String imageName, String target, int offset, int limit) {
        StringBuilder sql = new StringBuilder("select r.id from buildq_request r where 1 = 1");
        if (imageName != null) {
            sql.append(" and r.image_name = :image");
        }
        if (status != null || target != null) {
            sql.append(" and exists (select 1 from buildq_job j where j.request_id = r.id");
            if (status != null) {
                sql.append(" and j.status = :status");
            }
            if (target != null) {
                sql.append(" and j.target = :target");
            }
            sql.append(')');
        }
        sql.append(" order by r.created_at desc, r.id desc");
        return sessionFactory.fromSession(session -> {
            var query = session.createNativeQuery(sql.toString(), UUID.class);
            if (imageName != null) {
                query.setParameter("image", imageName);
            }
            if (status != null) {
                query.setParameter("status", status.name());
            }
            if (target != null) {
                query.setParameter("target", target);
            }
            return query.setFirstResult(offset).setMaxResults(limit).getResultList();
        });
    }

    /** The requests of {@code ids} with their jobs, as pairs of (JobRow, BuildRequestRow). */
    public List<Object[]> jobsOfRequests(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("select j, r from JobRow j, BuildRequestRow r where j.requestId = r.id"
                        + " and r.id in :ids", Object[].class)
                .setParameter("ids", ids)
                .getResultList());
    }

    /** Jobs by state, over the requests of the image (by name) and jobs of the target given (null: all). */
    public Map<JobStatus, Long> countByStatus(String imageName, String target) {
        StringBuilder sql = new StringBuilder("select j.status, count(*) from buildq_job j");
        if (imageName != null) {
            sql.append(" join buildq_request r on r.id = j.request_id and r.image_name = :image");
        }
        if (target != null) {
            sql.append(" where j.target = :target");
        }
        sql.append(" group by j.status");
        return sessionFactory.fromSession(session -> {
            var query = session.createNativeQuery(sql.toString(), Object[].class);
            if (imageName != null) {
                query.setParameter("image", imageName);
            }
            if (target != null) {
                query.setParameter("target", target);
            }
            Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
            for (Object[] row : query.getResultList()) {
                counts.put(JobStatus.valueOf((String) row[0]), ((Number) row[1]).longValue());
            }
            return counts;
        });
    }

    /** Pushes waiting on, or made from, one build job. */
    public List<JobRow> pushesOf(UUID buildJobId) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("from JobRow where parentJobId = :id order by providerName, accountIdentifier", JobRow.class)
                .setParameter("id", buildJobId)
                .getResultList());
    }

    /** How long one completed build took on factory, and whether it was of the template asked about. */
    public record BuildDuration(long seconds, boolean sameTemplate) {
    }

    /** The most recent completed builds of {@code target}, newest first, at most {@code limit}. */
    public List<BuildDuration> recentBuildDurations(String target, String template, int limit) {
        return sessionFactory.fromSession(session -> {
            List<Object[]> rows = session.createNativeQuery("select j.factory_started_at, j.finished_at, "
                            + "case when r.template = :template then 1 else 0 end from buildq_job j "
                            + "join buildq_request r on r.id = j.request_id where j.target = :target and j.status = 'COMPLETE'"
                            + " and j.kind = 'BUILD' and j.factory_started_at is not null and j.finished_at is not null"
                            + " order by j.finished_at desc", Object[].class)
                    .setParameter("template", template)
                    .setParameter("target", target)
                    .setMaxResults(limit)
                    .getResultList();
            List<BuildDuration> durations = new ArrayList<>();
            for (Object[] row : rows) {
                Instant started = instant(row[0]);
                Instant finished = instant(row[1]);
                durations.add(new BuildDuration(Math.max(0, Duration.between(started, finished).toSeconds()),
                        ((Number) row[2]).intValue() == 1));
            }
            return durations;
        });
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    /** Rows of every request for one image, newest first: the work in flight the catalog looks at. */
    public List<JobRow> jobsOfImage(UUID imageId) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("select j from JobRow j, BuildRequestRow r where j.requestId = r.id"
                        + " and r.imageId = :image order by j.createdAt desc", JobRow.class)
                .setParameter("image", imageId)
                .getResultList());
    }

    public Optional<BuildRequestRow> findRequest(UUID id) {
        return Optional.ofNullable(sessionFactory.fromSession(session -> session.find(BuildRequestRow.class, id)));
    }

    public Optional<BuildRequestRow> findRequestByIdempotencyKey(String key) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("from BuildRequestRow where idempotencyKey = :key", BuildRequestRow.class)
                .setParameter("key", key)
                .uniqueResultOptional());
    }

    /** Makes sure {@code factoryUrl} has a row to lock (see {@link #startWithinFactoryLimit}). */
    public void registerFactory(String factoryUrl) {
        try {
            sessionFactory.inTransaction(session -> {
                boolean known = !session.createNativeQuery("select url from buildq_factory where url = :url", String.class)
                        .setParameter("url", factoryUrl).getResultList().isEmpty();
                if (!known) {
                    session.createNativeMutationQuery("insert into buildq_factory (url) values (:url)")
                            .setParameter("url", factoryUrl).executeUpdate();
                }
            });
        } catch (org.hibernate.exception.ConstraintViolationException e) {
            // another worker registered it at the same moment
        }
    }

    /**
     * Lets a build start only while fewer than {@code limit} builds run against {@code factoryUrl},
     * counted over every worker: under that factory's row lock the row becomes RUNNING there, or, if
     * the factory is full, stays QUEUED and says so. A row already RUNNING keeps the slot it holds
     * (a worker reattaching after a crash); other kinds of jobs, and rows with nothing left to run,
     * are let through. A FAILED row (a Requeue in JobRunr's dashboard) is queued again first.
     *
     * @return whether the job may run now
     */
    public boolean startWithinFactoryLimit(UUID jobId, String factoryUrl, int limit, ChangeSource source) {
        return retryingVersionConflicts(() -> sessionFactory.fromTransaction(session -> {
            JobRow row = session.find(JobRow.class, jobId);
            if (row == null || row.kind() != JobKind.BUILD || row.status() == JobStatus.RUNNING
                    || row.status() == JobStatus.COMPLETE || row.status() == JobStatus.CANCELLED) {
                return true;
            }
            session.createNativeQuery("select url from buildq_factory where url = :url for update", String.class)
                    .setParameter("url", factoryUrl).getResultList();
            JobRow.JobRowState before = row.state();
            if (row.status() == JobStatus.FAILED) {
                row.requeueForRetry("Requeued in JobRunr's dashboard");
                recordIfChanged(session, row, before, source);
                before = row.state();
            }
            long running = session.createSelectionQuery("select count(*) from JobRow where kind = :kind and status = "
                            + ":status and factoryUrl = :url", Long.class)
                    .setParameter("kind", JobKind.BUILD).setParameter("status", JobStatus.RUNNING)
                    .setParameter("url", factoryUrl).getSingleResult();
            if (running >= limit) {
                row.waitForSlot(factoryUrl, "Waiting for a free Image Factory slot (" + running + " of " + limit + " in use)");
                recordIfChanged(session, row, before, source);
                return false;
            }
            row.startOn(factoryUrl, clock.instant());
            recordIfChanged(session, row, before, source);
            return true;
        }));
    }

    /**
     * The JobRunr state (ENQUEUED, PROCESSING, ...) of each of these JobRunr jobs that exists, by
     * job id: one query for a page of rows where JobRunr's API reads and parses each job whole. It
     * reads JobRunr's table, whose name and columns buildq's enqueue trigger (migration V3) already
     * relies on.
     */
    public Map<UUID, String> jobRunrStates(List<UUID> jobRunrIds) {
        if (jobRunrIds.isEmpty()) {
            return Map.of();
        }
        return sessionFactory.fromSession(session -> {
            Map<UUID, String> states = new HashMap<>();
            for (Object[] row : session.createNativeQuery("select id, state from jobrunr_jobs where id in (:ids)",
                            Object[].class)
                    .setParameter("ids", jobRunrIds.stream().map(UUID::toString).toList())
                    .getResultList()) {
                states.put(UUID.fromString(row[0].toString().trim()), row[1].toString());
            }
            return states;
        });
    }

    /** Builds waiting for a slot on {@code factoryUrl}, oldest first. */
    public List<JobRow> buildsWaitingFor(String factoryUrl, int limit) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("from JobRow where kind = :kind and status = :status and factoryUrl = :url "
                        + "order by createdAt", JobRow.class)
                .setParameter("kind", JobKind.BUILD).setParameter("status", JobStatus.QUEUED)
                .setParameter("url", factoryUrl).setMaxResults(limit).getResultList());
    }

    public Optional<JobRow> findJob(UUID id) {
        return Optional.ofNullable(sessionFactory.fromSession(session -> session.find(JobRow.class, id)));
    }

    public List<JobRow> jobsOfRequest(UUID requestId) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("from JobRow where requestId = :id order by kind, target, providerName, accountIdentifier",
                        JobRow.class)
                .setParameter("id", requestId)
                .getResultList());
    }

    /** Every history entry of every job of one request, oldest first: a build's page in one read. */
    public List<JobHistoryEntry> historyOfRequest(UUID requestId) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("select h from JobHistoryEntry h, JobRow j where h.jobId = j.id"
                        + " and j.requestId = :id order by h.id", JobHistoryEntry.class)
                .setParameter("id", requestId)
                .getResultList());
    }

    public List<JobHistoryEntry> history(UUID jobId) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("from JobHistoryEntry where jobId = :id order by id", JobHistoryEntry.class)
                .setParameter("id", jobId)
                .getResultList());
    }

    /**
     * History entries with an id above {@code afterId}, oldest first, each with its job and request
     * ({@code [JobHistoryEntry, JobRow, BuildRequestRow]}).
     */
    public List<Object[]> changesAfter(long afterId, int limit) {
        return sessionFactory.fromSession(session -> session
                .createSelectionQuery("select h, j, r from JobHistoryEntry h, JobRow j, BuildRequestRow r"
                        + " where h.jobId = j.id and j.requestId = r.id and h.id > :after order by h.id", Object[].class)
                .setParameter("after", afterId)
                .setMaxResults(limit)
                .getResultList());
    }

    /** The highest history id written so far, 0 when there is none. */
    public long lastChangeId() {
        return sessionFactory.fromSession(session -> {
            Long max = session.createSelectionQuery("select max(h.id) from JobHistoryEntry h", Long.class).getSingleResult();
            return max == null ? 0L : max;
        });
    }

    /**
     * Applies {@code mutation} to the row and, if anything a user sees changed, stamps it and appends a
     * history entry, all in one transaction. Lost races on the row's version are retried with a fresh
     * copy, so the mutation must decide from the row it is given.
     *
     * @return the row as committed
     */
    public JobRow change(UUID jobId, ChangeSource source, Consumer<JobRow> mutation) {
        return change(jobId, List.of(new Step(source, mutation)));
    }

    /**
     * Appends {@code note} to the row's history, the row as it is otherwise, without changing the row:
     * for what was done about it after it ended (the sweeper's deletions in factory), which the
     * trail must keep and the row's own activity must not be overwritten with.
     */
    public void note(UUID jobId, ChangeSource source, String note) {
        sessionFactory.inTransaction(session -> {
            JobRow row = session.find(JobRow.class, jobId);
            if (row == null) {
                throw new BuildNotFoundException(jobId);
            }
            session.persist(JobHistoryEntry.of(row, source, clock.instant()).noting(note));
        });
    }

    /** One change of a row, and who made it. */
    public record Step(ChangeSource source, Consumer<JobRow> mutation) {
    }

    /**
     * Applies several changes to one row in one transaction, each with its own history entry when it
     * changed something: what a caller would otherwise do in as many transactions.
     */
    public JobRow change(UUID jobId, List<Step> steps) {
        return retryingVersionConflicts(() -> sessionFactory.fromTransaction(session -> {
            JobRow row = session.find(JobRow.class, jobId);
            if (row == null) {
                throw new BuildNotFoundException(jobId);
            }
            for (Step step : steps) {
                JobRow.JobRowState before = row.state();
                step.mutation().accept(row);
                recordIfChanged(session, row, before, step.source());
                recordSweepIfLeftBehind(session, row, before);
            }
            forgetCredentialsIfEnded(session, row);
            return row;
        }));
    }

    /**
     * Ends a job (COMPLETE or FAILED, by {@code ending}) while holding its request's row lock, so
     * that of several jobs of one kind ending at once exactly one sees itself as the last. When every
     * job of the row's kind in the request has ended and at least one of them is COMPLETE, that
     * transaction records the fact ({@code buildq_iwhd_pending}) and, after the commit, outside any
     * lock, {@code whenKindEnded} runs (it tells iwhd, over HTTP); once it returned the record is
     * deleted. If it throws, or the process dies first, the record stays and the reconciler runs it
     * again ({@link #pendingIwhd}), so nothing is lost and no lock waits on iwhd.
     */
    public JobRow end(UUID jobId, ChangeSource source, Consumer<JobRow> ending, Consumer<BuildRequestRow> whenKindEnded) {
        return end(jobId, source, ending, whenKindEnded, null);
    }

    /**
     * Like {@link #end(UUID, String, Consumer, Consumer)}, and in the same transaction applies
     * {@code toEachPush} to the pushes that wait on this build, so that no reader (and no crash) sees
     * the build ended while its pushes still say otherwise.
     */
    public JobRow end(UUID jobId, ChangeSource source, Consumer<JobRow> ending, Consumer<BuildRequestRow> whenKindEnded,
                      Consumer<JobRow> toEachPush) {
        BuildRequestRow[] kindEnded = new BuildRequestRow[1];
        JobRow ended = retryingVersionConflicts(() -> sessionFactory.fromTransaction(session -> {
            kindEnded[0] = null;
            JobRow row = session.find(JobRow.class, jobId);
            if (row == null) {
                throw new BuildNotFoundException(jobId);
            }
            if (row.status().isTerminal()) {
                return row;
            }
            BuildRequestRow request = session.find(BuildRequestRow.class, row.requestId(), LockModeType.PESSIMISTIC_WRITE);
            JobRow.JobRowState before = row.state();
            ending.accept(row);
            recordIfChanged(session, row, before, source);
            recordSweepIfLeftBehind(session, row, before);
            forgetCredentialsIfEnded(session, row);
            List<JobRow> siblings = session
                    .createSelectionQuery("from JobRow where requestId = :id and kind = :kind and id <> :self", JobRow.class)
                    .setParameter("id", row.requestId())
                    .setParameter("kind", row.kind())
                    .setParameter("self", row.id())
                    .getResultList();
            boolean allEnded = siblings.stream().allMatch(other -> other.status().isTerminal());
            boolean anyComplete = row.status() == JobStatus.COMPLETE
                    || siblings.stream().anyMatch(other -> other.status() == JobStatus.COMPLETE);
            if (allEnded && anyComplete) {
                boolean recorded = !session.createNativeQuery("select kind from buildq_iwhd_pending where request_id = :id "
                        + "and kind = :kind", String.class).setParameter("id", request.id())
                        .setParameter("kind", row.kind().name()).getResultList().isEmpty();
                if (!recorded) {
                    session.createNativeMutationQuery("insert into buildq_iwhd_pending (request_id, kind, created_at) "
                                    + "values (:id, :kind, :at)")
                            .setParameter("id", request.id()).setParameter("kind", row.kind().name())
                            .setParameter("at", clock.instant()).executeUpdate();
                }
                kindEnded[0] = request;
            }
            if (toEachPush != null) {
                for (JobRow push : session.createSelectionQuery("from JobRow where parentJobId = :id", JobRow.class)
                        .setParameter("id", row.id()).getResultList()) {
                    JobRow.JobRowState pushBefore = push.state();
                    toEachPush.accept(push);
                    recordIfChanged(session, push, pushBefore, source);
                    recordSweepIfLeftBehind(session, push, pushBefore);
                    forgetCredentialsIfEnded(session, push);
                }
            }
            return row;
        }));
        if (kindEnded[0] != null) {
            runPending(kindEnded[0], ended.kind(), whenKindEnded);
        }
        return ended;
    }

    /**
     * Runs what iwhd must still be told for a request's kind, then forgets it; if it fails, it is
     * logged and stays recorded for the next try (the reconciler's).
     */
    public boolean runPending(BuildRequestRow request, JobKind kind, Consumer<BuildRequestRow> whenKindEnded) {
        try {
            whenKindEnded.accept(request);
        } catch (RuntimeException e) {
            log.warn("iwhd could not be told that every {} job of request {} ended; the reconciler tries again: {}",
                    kind, request.id(), e.toString());
            return false;
        }
        sessionFactory.inTransaction(session -> session
                .createNativeMutationQuery("delete from buildq_iwhd_pending where request_id = :id and kind = :kind")
                .setParameter("id", request.id()).setParameter("kind", kind.name()).executeUpdate());
        return true;
    }

    /** What iwhd has been waiting to be told for longer than {@code olderThan}: (request id, kind) pairs. */
    public List<Pending> pendingIwhd(Duration olderThan, int limit) {
        return sessionFactory.fromSession(session -> session
                .createNativeQuery("select request_id, kind from buildq_iwhd_pending where created_at < :before "
                        + "order by created_at", Object[].class)
                .setParameter("before", clock.instant().minus(olderThan))
                .setMaxResults(limit)
                .getResultList().stream()
                .map(columns -> new Pending(toUuid(columns[0]), JobKind.valueOf((String) columns[1])))
                .toList());
    }

    /** A request whose iwhd attributes still wait for the end of its jobs of one kind. */
    public record Pending(UUID requestId, JobKind kind) {
    }

    private static UUID toUuid(Object value) {
        return value instanceof UUID uuid ? uuid : UUID.fromString(value.toString());
    }


    /** Runs a transaction again, on fresh rows, when it lost a race on a row's version. */
    private static <T> T retryingVersionConflicts(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (OptimisticLockException | StaleStateException e) {
                if (attempt >= MAX_OPTIMISTIC_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Credentials live as long as their push may still run: they are deleted when it completes or is
     * cancelled, and kept while it is FAILED, since a failed push (for its own reasons, or with its
     * build) is retryable.
     */
    private static void forgetCredentialsIfEnded(org.hibernate.Session session, JobRow row) {
        boolean stillNeeded = row.status() == JobStatus.FAILED
                // factory needs the credentials to delete a cancelled push's provider image; the
                // sweeper forgets them once it has (its record is written in this same transaction)
                || (row.status() == JobStatus.CANCELLED && (row.factoryImageId() != null || row.startMarker() != null));
        if (row.kind() == JobKind.PUSH && row.status().isTerminal() && !stillNeeded) {
            CredentialRow credentials = session.find(CredentialRow.class, row.id());
            if (credentials != null) {
                session.remove(credentials);
            }
        }
    }

    /**
     * A row that became CANCELLED while factory may hold something of it (an image it knows of, or
     * one a start made without the row hearing of it), or FAILED while starting, gets a sweep record
     * ({@code buildq_factory_sweep}) in the same transaction: the worker running it cleans up at once
     * if there is one, and a worker's sweeper makes sure of it later, also when none runs it (a
     * QUEUED retry that kept its image, a dead worker's row).
     */
    private void recordSweepIfLeftBehind(org.hibernate.Session session, JobRow row, JobRow.JobRowState before) {
        if (before.status() == row.status()) {
            return;
        }
        boolean cancelledHoldingSome = row.status() == JobStatus.CANCELLED
                && (row.factoryImageId() != null || row.startMarker() != null);
        // A row that failed before factory's id was stored (the start's answers lost until the
        // budget ran out): its starts may have made images nobody follows. A retry would delete
        // them too; the sweep does not wait for one.
        boolean failedStarting = row.status() == JobStatus.FAILED && row.factoryImageId() == null
                && row.startMarker() != null;
        if (!cancelledHoldingSome && !failedStarting) {
            return;
        }
        // The row's versioned UPDATE goes first: of two transactions cancelling the row at once (the
        // worker interrupted by a Delete, and the reconciler seeing it), the second waits on the
        // row's lock and then loses on its version, and is retried on the row as it is (already
        // CANCELLED: no second record), instead of failing on this table's key.
        session.flush();
        String marker = row.startMarker() == null ? NO_MARKER : row.startMarker();
        Instant now = clock.instant();
        session.createNativeMutationQuery("insert into buildq_factory_sweep (job_id, marker, created_at, due_at, tries) "
                        + "select :job, :marker, :at, :at, 0 where not exists "
                        + "(select 1 from buildq_factory_sweep where job_id = :job and marker = :marker)")
                .setParameter("job", row.id()).setParameter("marker", marker).setParameter("at", now)
                .executeUpdate();
    }

    private void recordIfChanged(org.hibernate.Session session, JobRow row, JobRow.JobRowState before, ChangeSource source) {
        if (!row.state().equals(before)) {
            Instant now = clock.instant();
            row.touch(now);
            session.persist(JobHistoryEntry.of(row, source, now));
        }
    }

    @Override
    public void close() {
        sessionFactory.close();
    }
}
