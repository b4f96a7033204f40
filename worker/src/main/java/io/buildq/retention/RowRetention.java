package io.buildq.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Deletes finished builds older than a cut-off, a small batch per transaction, whole requests at a
 * time: the request, its jobs (builds and pushes), their history, sealed credentials and base-image
 * record. A request is deleted only when all of this holds:
 * <ul>
 *   <li>it was made before the cut-off and every one of its jobs ended before it (a running or
 *       queued job, or one retried since, keeps the whole request);</li>
 *   <li>its image has a newer request, so the latest build of every image stays, whatever its
 *       outcome, and so does the newest one with a COMPLETE target: the catalog reads it when iwhd
 *       names no latest build (see {@code ImageCatalog.latestBuild});</li>
 *   <li>nothing is still owed for it: no iwhd registration pending, no factory image waiting to be
 *       swept, and no push of another request hangs off its builds.</li>
 * </ul>
 * An idempotency key of a deleted request is free again: the same key later makes a new build.
 */
public final class RowRetention {

    /** Requests deleted per transaction: small enough that a batch holds its locks for milliseconds. */
    public static final int BATCH = 200;

    private static final String CANDIDATES = """
            select r.id from buildq_request r
            where r.created_at < ?
              and not exists (select 1 from buildq_job j where j.request_id = r.id
                              and (j.status in ('QUEUED', 'RUNNING') or j.finished_at is null or j.finished_at >= ?))
              and exists (select 1 from buildq_request n where n.image_id = r.image_id and n.created_at > r.created_at)
              and (not exists (select 1 from buildq_job c where c.request_id = r.id
                               and c.kind = 'BUILD' and c.status = 'COMPLETE')
                   or exists (select 1 from buildq_request n join buildq_job c on c.request_id = n.id
                              where n.image_id = r.image_id and n.created_at > r.created_at
                                and c.kind = 'BUILD' and c.status = 'COMPLETE'))
              and not exists (select 1 from buildq_iwhd_pending p where p.request_id = r.id)
              and not exists (select 1 from buildq_factory_sweep s join buildq_job j on j.id = s.job_id
                              where j.request_id = r.id)
              and not exists (select 1 from buildq_job b join buildq_job p on p.parent_job_id = b.id
                              where b.request_id = r.id and p.request_id <> r.id)
            order by r.created_at
            limit ?""";

    private static final Set<String> TERMINAL = Set.of("COMPLETE", "FAILED", "CANCELLED");

    private final DataSource dataSource;

    public RowRetention(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What one batch deleted. */
    public record Deleted(int requests, int jobs, int historyEntries, List<UUID> jobRunrJobIds) {
        static final Deleted NONE = new Deleted(0, 0, 0, List.of());
    }

    /**
     * Deletes at most {@code limit} requests finished before {@code cutoff}, in one transaction;
     * returns what it deleted (nothing once no request qualifies).
     */
    public Deleted deleteBatch(Instant cutoff, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                Deleted deleted = deleteBatch(connection, cutoff, limit);
                connection.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static Deleted deleteBatch(Connection connection, Instant cutoff, int limit) throws SQLException {
        List<UUID> requests = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(CANDIDATES)) {
            OffsetDateTime at = cutoff.atOffset(ZoneOffset.UTC);
            select.setObject(1, at);
            select.setObject(2, at);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    requests.add(rows.getObject(1, UUID.class));
                }
            }
        }
        if (requests.isEmpty()) {
            return Deleted.NONE;
        }
        // The candidates were read without locks: their jobs are locked now and read again, and a
        // request with a job retried (or cancelled) meanwhile is left alone. A retry that comes after
        // this waits for the lock, then finds no row.
        Map<UUID, List<UUID>> jobRunrJobsOf = new LinkedHashMap<>();
        Set<UUID> changedMeanwhile = new HashSet<>();
        int jobs = 0;
        try (PreparedStatement select = connection.prepareStatement("select request_id, jobrunr_job_id, status, "
                + "finished_at from buildq_job where request_id in (" + marks(requests.size()) + ") for update")) {
            bind(select, requests);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID request = rows.getObject(1, UUID.class);
                    OffsetDateTime finished = rows.getObject(4, OffsetDateTime.class);
                    if (!TERMINAL.contains(rows.getString(3)) || finished == null || !finished.toInstant().isBefore(cutoff)) {
                        changedMeanwhile.add(request);
                    }
                    jobRunrJobsOf.computeIfAbsent(request, id -> new ArrayList<>()).add(rows.getObject(2, UUID.class));
                }
            }
        }
        requests = new ArrayList<>(requests);
        requests.removeAll(changedMeanwhile);
        if (requests.isEmpty()) {
            return Deleted.NONE;
        }
        List<UUID> jobRunrJobs = new ArrayList<>();
        for (UUID request : requests) {
            List<UUID> ids = jobRunrJobsOf.getOrDefault(request, List.of());
            jobs += ids.size();
            jobRunrJobs.addAll(ids);
        }
        int history = deleteOfJobs(connection, "buildq_job_history", requests);
        deleteOfJobs(connection, "buildq_credentials", requests);
        deleteOfJobs(connection, "buildq_factory_sweep", requests);
        delete(connection, "buildq_base_image", "request_id", requests);
        delete(connection, "buildq_iwhd_pending", "request_id", requests);
        // Pushes first: they point at their builds (buildq_job_parent_fk).
        try (PreparedStatement pushes = connection.prepareStatement("delete from buildq_job where parent_job_id is not null"
                + " and request_id in (" + marks(requests.size()) + ")")) {
            bind(pushes, requests);
            pushes.executeUpdate();
        }
        delete(connection, "buildq_job", "request_id", requests);
        delete(connection, "buildq_request", "id", requests);
        return new Deleted(requests.size(), jobs, history, Collections.unmodifiableList(jobRunrJobs));
    }

    /** Deletes from {@code table} the rows of the requests' jobs, named by a subquery (no list of job ids to bind). */
    private static int deleteOfJobs(Connection connection, String table, List<UUID> requests) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from " + table + " where job_id in "
                + "(select id from buildq_job where request_id in (" + marks(requests.size()) + "))")) {
            bind(delete, requests);
            return delete.executeUpdate();
        }
    }

    private static int delete(Connection connection, String table, String column, List<UUID> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "delete from " + table + " where " + column + " in (" + marks(ids.size()) + ")")) {
            bind(delete, ids);
            return delete.executeUpdate();
        }
    }

    private static String marks(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static void bind(PreparedStatement statement, List<UUID> ids) throws SQLException {
        for (int i = 0; i < ids.size(); i++) {
            statement.setObject(i + 1, ids.get(i));
        }
    }
}
