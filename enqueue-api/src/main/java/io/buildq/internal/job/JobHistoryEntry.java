package io.buildq.internal.job;

import io.buildq.status.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** A row of {@code buildq_job_history}: a job row as it was right after one change. Never updated. */
@Entity
@Table(name = "buildq_job_history")
public class JobHistoryEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "job_id", nullable = false)
    private UUID jobId;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    @Column(name = "source", nullable = false, length = 32)
    private String source;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private JobStatus status;

    @Column(name = "factory_status", length = 16)
    private String factoryStatus;

    @Column(name = "percent", nullable = false)
    private int percent;

    @Column(name = "activity", length = JobRow.MAX_ACTIVITY_CHARS)
    private String activity;

    @Column(name = "error", length = JobRow.MAX_ERROR_CHARS)
    private String error;

    @Column(name = "attempt", nullable = false)
    private int attempt;

    @Column(name = "factory_image_id", length = 64)
    private String factoryImageId;

    @Column(name = "identifier_on_provider")
    private String identifierOnProvider;

    protected JobHistoryEntry() {
        // for Hibernate
    }

    static JobHistoryEntry of(JobRow row, ChangeSource source, Instant now) {
        JobHistoryEntry entry = new JobHistoryEntry();
        entry.jobId = row.id();
        entry.recordedAt = now;
        entry.source = source.label();
        entry.status = row.status();
        entry.factoryStatus = row.factoryStatus() == null ? null : row.factoryStatus().name();
        entry.percent = row.percent();
        entry.activity = row.activity();
        entry.error = row.error();
        entry.attempt = row.attempt();
        entry.factoryImageId = row.factoryImageId();
        entry.identifierOnProvider = row.identifierOnProvider();
        return entry;
    }

    /**
     * Inserts entries in one JDBC batch. Their ids come from the identity column, which keeps
     * Hibernate from batching them itself: one statement for a whole bulk enqueue's history instead
     * of one per job.
     */
    static void insertBatch(Connection connection, List<JobHistoryEntry> entries) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into buildq_job_history (job_id, recorded_at, "
                + "source, status, factory_status, percent, activity, error, attempt, factory_image_id, "
                + "identifier_on_provider) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (JobHistoryEntry entry : entries) {
                insert.setObject(1, entry.jobId);
                insert.setObject(2, entry.recordedAt.atOffset(ZoneOffset.UTC));
                insert.setString(3, entry.source);
                insert.setString(4, entry.status.name());
                insert.setString(5, entry.factoryStatus);
                insert.setInt(6, entry.percent);
                insert.setString(7, entry.activity);
                insert.setString(8, entry.error);
                insert.setInt(9, entry.attempt);
                insert.setString(10, entry.factoryImageId);
                insert.setString(11, entry.identifierOnProvider);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The entry with {@code note} as its activity: a fact about the row that changed nothing on it. */
    JobHistoryEntry noting(String note) {
        this.activity = JobRow.clip(note, JobRow.MAX_ACTIVITY_CHARS);
        return this;
    }

    public Long id() {
        return id;
    }

    public UUID jobId() {
        return jobId;
    }

    public Instant recordedAt() {
        return recordedAt;
    }

    public String source() {
        return source;
    }

    public JobStatus status() {
        return status;
    }

    public String factoryStatus() {
        return factoryStatus;
    }

    public int percent() {
        return percent;
    }

    public String activity() {
        return activity;
    }

    public String error() {
        return error;
    }

    public int attempt() {
        return attempt;
    }

    public String factoryImageId() {
        return factoryImageId;
    }

    public String identifierOnProvider() {
        return identifierOnProvider;
    }
}
