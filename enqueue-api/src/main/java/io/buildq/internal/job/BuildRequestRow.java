package io.buildq.internal.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code buildq_request}: what one {@code BuildQueue.build} call asked for. Immutable once written. */
@Entity
@Table(name = "buildq_request")
public class BuildRequestRow {

    @Id
    private UUID id;

    @Column(name = "image_id", nullable = false)
    private UUID imageId;

    @Column(name = "image_name", nullable = false)
    private String imageName;

    /** Conductor's pool family, written as the iwhd image's {@code environment}; null if the request named none. */
    @Column(name = "pool_family")
    private String poolFamily;

    @Column(name = "template", nullable = false, length = 262144)
    private String template;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Column(name = "fingerprint", nullable = false, length = 64)
    private String fingerprint;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected BuildRequestRow() {
        // for Hibernate
    }

    public BuildRequestRow(UUID id, UUID imageId, String imageName, String poolFamily, String template,
                           String idempotencyKey, String fingerprint, Instant createdAt) {
        this.id = id;
        this.imageId = imageId;
        this.imageName = imageName;
        this.poolFamily = poolFamily;
        this.template = template;
        this.idempotencyKey = idempotencyKey;
        this.fingerprint = fingerprint;
        this.createdAt = createdAt;
    }

    public UUID id() {
        return id;
    }

    public UUID imageId() {
        return imageId;
    }

    public String imageName() {
        return imageName;
    }

    /** The pool family the request named, or null. */
    public String poolFamily() {
        return poolFamily;
    }

    public String template() {
        return template;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public Instant createdAt() {
        return createdAt;
    }
}
