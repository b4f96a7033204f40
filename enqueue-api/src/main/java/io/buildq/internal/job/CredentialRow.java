package io.buildq.internal.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code buildq_credentials}: one push's credentials, sealed; deleted when the push ends. */
@Entity
@Table(name = "buildq_credentials")
public class CredentialRow {

    @Id
    @Column(name = "job_id")
    private UUID jobId;

    @Column(name = "sealed", nullable = false, length = 131072)
    private String sealed;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CredentialRow() {
        // for Hibernate
    }

    public CredentialRow(UUID jobId, String sealed, Instant createdAt) {
        this.jobId = jobId;
        this.sealed = sealed;
        this.createdAt = createdAt;
    }

    public UUID jobId() {
        return jobId;
    }

    public String sealed() {
        return sealed;
    }

    @Override
    public String toString() {
        return "CredentialRow[jobId=" + jobId + ", sealed]";
    }
}
