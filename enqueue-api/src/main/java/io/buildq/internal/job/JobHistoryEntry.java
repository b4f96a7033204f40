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
import java.time.Instant;
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
