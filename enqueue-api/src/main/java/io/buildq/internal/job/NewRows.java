package io.buildq.internal.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Writes new requests, their job rows and each job's first history entry with one multi-row INSERT
 * per table, and on PostgreSQL all three in one statement string, which its driver sends in one
 * round trip (one Sync for all). Enqueueing is the API's hot path, and on PostgreSQL its time is
 * round trips: through Hibernate a one-target build took four INSERTs, each waiting for its answer,
 * where a plain JobRunr enqueue takes one (docs/performance.md, issue #18).
 *
 * <p>Every column of the three mappings is written, so a row reads back exactly as Hibernate would
 * have written it; {@code JobStoreTest} reads them back through the entities.
 */
final class NewRows {

    private static final String REQUEST_COLUMNS = "id, image_id, image_name, pool_family, template, idempotency_key, "
            + "fingerprint, created_at";
    private static final String JOB_COLUMNS = "id, request_id, kind, target, status, percent, activity, error, attempt, "
            + "factory_image_id, factory_status, jobrunr_job_id, created_at, updated_at, started_at, finished_at, "
            + "start_marker, factory_started_at, provider_name, account_identifier, factory_provider, factory_url, "
            + "parent_job_id, identifier_on_provider, version";
    private static final String HISTORY_COLUMNS = "job_id, recorded_at, source, status, factory_status, percent, "
            + "activity, error, attempt, factory_image_id, identifier_on_provider";

    private NewRows() {
    }

    static void insert(Connection connection, List<BuildRequestRow> requests, List<JobRow> jobs,
                       List<JobHistoryEntry> history) throws SQLException {
        List<Object> values = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        if (!requests.isEmpty()) {
            statements.add(insertInto("buildq_request", REQUEST_COLUMNS, requests.size()));
            requests.forEach(request -> addRequest(values, request));
        }
        if (!jobs.isEmpty()) {
            statements.add(insertInto("buildq_job", JOB_COLUMNS, jobs.size()));
            jobs.forEach(job -> addJob(values, job));
            statements.add(insertInto("buildq_job_history", HISTORY_COLUMNS, history.size()));
            history.forEach(entry -> addHistory(values, entry));
        }
        if (isPostgres(connection)) {
            run(connection, String.join(";\n", statements), values);
        } else {
            // H2 takes one statement at a time; in process, a statement costs no round trip.
            int from = 0;
            for (String statement : statements) {
                int count = (int) statement.chars().filter(c -> c == '?').count();
                run(connection, statement, values.subList(from, from + count));
                from += count;
            }
        }
    }

    private static void run(Connection connection, String sql, List<Object> values) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.size(); i++) {
                insert.setObject(i + 1, values.get(i));
            }
            insert.execute();
        }
    }

    private static String insertInto(String table, String columns, int rows) {
        int count = columns.split(",").length;
        String row = "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
        return "insert into " + table + " (" + columns + ") values " + String.join(", ", Collections.nCopies(rows, row));
    }

    private static void addRequest(List<Object> values, BuildRequestRow request) {
        values.add(request.id());
        values.add(request.imageId());
        values.add(request.imageName());
        values.add(request.poolFamily());
        values.add(request.template());
        values.add(request.idempotencyKey());
        values.add(request.fingerprint());
        values.add(utc(request.createdAt()));
    }

    private static void addJob(List<Object> values, JobRow job) {
        values.add(job.id());
        values.add(job.requestId());
        values.add(job.kind().name());
        values.add(job.target());
        values.add(job.status().name());
        values.add(job.percent());
        values.add(job.activity());
        values.add(job.error());
        values.add(job.attempt());
        values.add(job.factoryImageId());
        values.add(job.factoryStatus() == null ? null : job.factoryStatus().name());
        values.add(job.jobRunrJobId());
        values.add(utc(job.createdAt()));
        values.add(utc(job.updatedAt()));
        values.add(utc(job.startedAt()));
        values.add(utc(job.finishedAt()));
        values.add(job.startMarker());
        values.add(utc(job.factoryStartedAt()));
        values.add(job.providerName());
        values.add(job.accountIdentifier());
        values.add(job.factoryProvider());
        values.add(job.factoryUrl());
        values.add(job.parentJobId());
        values.add(job.identifierOnProvider());
        values.add(job.version());
    }

    private static void addHistory(List<Object> values, JobHistoryEntry entry) {
        values.add(entry.jobId());
        values.add(utc(entry.recordedAt()));
        values.add(entry.source());
        values.add(entry.status().name());
        values.add(entry.factoryStatus());
        values.add(entry.percent());
        values.add(entry.activity());
        values.add(entry.error());
        values.add(entry.attempt());
        values.add(entry.factoryImageId());
        values.add(entry.identifierOnProvider());
    }

    private static Object utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static boolean isPostgres(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
