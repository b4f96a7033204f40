package io.buildq.internal.job;

import io.buildq.status.JobKind;
import io.buildq.status.JobStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A row of {@code buildq_job}: one unit of work (building one target) and everything a user sees
 * of it. Status changes go through the methods below, which enforce {@link JobStatus}'s rules;
 * {@link JobStore#change} records every change in the history.
 */
@Entity
@Table(name = "buildq_job")
public class JobRow {

    static final int MAX_ACTIVITY_CHARS = 1024;
    static final int MAX_ERROR_CHARS = 65536;

    @Id
    private UUID id;

    @Column(name = "request_id", nullable = false)
    private UUID requestId;

    @Enumerated(EnumType.STRING)
    @Column(name = "kind", nullable = false, length = 16)
    private JobKind kind;

    @Column(name = "target", nullable = false, length = 64)
    private String target;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private JobStatus status;

    @Column(name = "percent", nullable = false)
    private int percent;

    @Column(name = "activity", length = MAX_ACTIVITY_CHARS)
    private String activity;

    @Column(name = "error", length = MAX_ERROR_CHARS)
    private String error;

    @Column(name = "attempt", nullable = false)
    private int attempt;

    @Column(name = "factory_image_id", length = 64)
    private String factoryImageId;

    @Column(name = "factory_status", length = 16)
    @Enumerated(EnumType.STRING)
    private FactoryStatus factoryStatus;

    @Column(name = "jobrunr_job_id", nullable = false)
    private UUID jobRunrJobId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** The marker of the last start this attempt sent to factory (see {@link #recordStartIntent}). */
    @Column(name = "start_marker", length = 128)
    private String startMarker;

    /** When factory accepted the current attempt's image: its deadline counts from here. */
    @Column(name = "factory_started_at")
    private Instant factoryStartedAt;

    /** Pushes: the account's provider name, e.g. ec2-us-east-1; empty for builds. */
    @Column(name = "provider_name", nullable = false)
    private String providerName = "";

    /** Pushes: the account's login (EC2 access key, user name); empty for builds. */
    @Column(name = "account_identifier", nullable = false)
    private String accountIdentifier = "";

    /** Pushes: the provider string factory expects. */
    @Column(name = "factory_provider", length = 4096)
    private String factoryProvider;

    /** Builds: the Image Factory it runs against, from when it took a slot there. */
    @Column(name = "factory_url", length = 1024)
    private String factoryUrl;

    /** Pushes: the build job whose image this pushes. */
    @Column(name = "parent_job_id")
    private UUID parentJobId;

    /** Pushes: the cloud's id for the pushed image (an AMI id...), once complete. */
    @Column(name = "identifier_on_provider")
    private String identifierOnProvider;

    @Version
    @Column(name = "version", nullable = false)
    private long version;

    protected JobRow() {
        // for Hibernate
    }

    /** A new QUEUED row; its JobRunr job has the row's id, so that enqueueing it twice is harmless. */
    public static JobRow queued(UUID id, UUID requestId, JobKind kind, String target, Instant now) {
        JobRow row = new JobRow();
        row.id = id;
        row.requestId = requestId;
        row.kind = kind;
        row.target = target;
        row.status = JobStatus.QUEUED;
        row.attempt = 1;
        row.activity = "Waiting for a worker";
        row.jobRunrJobId = id;
        row.createdAt = now;
        row.updatedAt = now;
        return row;
    }

    /** A new QUEUED push of the image {@code buildJob} builds; it runs once that build is COMPLETE. */
    public static JobRow queuedPush(UUID id, JobRow buildJob, String providerName, String accountIdentifier,
                                    String factoryProvider, Instant now) {
        JobRow row = queued(id, buildJob.requestId(), JobKind.PUSH, buildJob.target(), now);
        row.providerName = providerName;
        row.accountIdentifier = accountIdentifier;
        row.factoryProvider = factoryProvider;
        row.parentJobId = buildJob.id();
        row.activity = buildJob.status() == JobStatus.COMPLETE ? "Waiting for a worker" : "Waiting for the build";
        return row;
    }

    /** The push is done: the cloud's id for the image. */
    public void recordPushResult(String identifierOnProvider) {
        this.identifierOnProvider = identifierOnProvider;
    }

    /** A worker has taken the job. A row already RUNNING (a worker died mid-build) stays as it is. */
    public void markRunning(Instant now) {
        if (status == JobStatus.RUNNING) {
            return;
        }
        moveTo(JobStatus.RUNNING);
        if (startedAt == null) {
            startedAt = now;
        }
        activity = "Starting";
    }

    /**
     * The worker is about to ask factory for an image carrying {@code marker}: from now until factory's
     * id is stored, the image may exist without the row knowing it, and is looked for by the marker.
     */
    public void recordStartIntent(String marker) {
        this.startMarker = Objects.requireNonNull(marker, "marker");
    }

    public String startMarker() {
        return startMarker;
    }

    /** Factory accepted the build; from now on a worker reattaches to this image instead of building again. */
    public void attachFactoryImage(String imageId, Instant now) {
        this.factoryImageId = Objects.requireNonNull(imageId, "imageId");
        this.factoryStartedAt = now;
    }

    /** What factory last said about the image; the caller decides whether the report is newer. */
    public void recordFactoryProgress(FactoryStatus factoryStatus, int percent, String activity, String error) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be within 0..100, was " + percent);
        }
        this.factoryStatus = factoryStatus;
        this.percent = percent;
        this.activity = clip(activity, MAX_ACTIVITY_CHARS);
        this.error = clip(error, MAX_ERROR_CHARS);
    }

    /** Says what the worker is doing now (for example registering in iwhd). */
    public void describeActivity(String activity) {
        this.activity = clip(activity, MAX_ACTIVITY_CHARS);
    }

    public void markComplete(Instant now, String activity) {
        moveTo(JobStatus.COMPLETE);
        this.percent = 100;
        this.activity = clip(activity, MAX_ACTIVITY_CHARS);
        this.error = null;
        this.finishedAt = now;
    }

    public void markFailed(Instant now, String error) {
        moveTo(JobStatus.FAILED);
        this.error = clip(Objects.requireNonNull(error, "error"), MAX_ERROR_CHARS);
        this.finishedAt = now;
    }

    /** Cancelled by a user (or by JobRunr's dashboard Delete); factory is asked to delete its image. */
    public void cancel(Instant now, String activity) {
        moveTo(JobStatus.CANCELLED);
        this.activity = clip(activity, MAX_ACTIVITY_CHARS);
        this.finishedAt = now;
    }

    /** The push's build failed: so does the push, until the build is retried and completes. */
    public void failWithItsBuild(Instant now) {
        markFailed(now, JobKind.BUILD_FAILED);
        this.activity = "Its build failed; it runs if the build is retried and completes";
    }

    /** Whether this is a push that ended only because its build failed (and may run after a retry). */
    public boolean failedWithItsBuild() {
        return kind.failedWithItsBuild(status, error);
    }

    /**
     * A retry. The next attempt starts a new factory image, so the old one is forgotten here, unless
     * factory completed it and only what came after failed (iwhd down past the retry budget): then
     * the retry registers that image instead of building or pushing it again.
     */
    public void requeueForRetry(String activity) {
        moveTo(JobStatus.QUEUED);
        this.attempt++;
        this.percent = 0;
        this.error = null;
        this.activity = clip(activity, MAX_ACTIVITY_CHARS);
        this.finishedAt = null;
        if (factoryCompleted()) {
            this.activity = clip(activity + "; Image Factory's image " + factoryImageId + " is complete and is kept",
                    MAX_ACTIVITY_CHARS);
            return;
        }
        if (factoryImageId != null) {
            // An image the row knows of: the old attempt's clean-up concerned it; forget the marker.
            this.startMarker = null;
        }
        // Else the marker stays: the new attempt looks for what that start may have made, and deletes it.
        this.factoryImageId = null;
        this.factoryStartedAt = null;
        this.factoryStatus = null;
        this.identifierOnProvider = null;
    }

    /** Whether factory completed the row's current image (whatever happened to the row after that). */
    public boolean factoryCompleted() {
        return factoryImageId != null && factoryStatus == FactoryStatus.COMPLETE;
    }

    /**
     * Factory no longer has the image the row kept (deleted by hand, or a factory with fresh storage):
     * the attempt starts a new one.
     */
    public void forgetFactoryImage() {
        this.factoryImageId = null;
        this.factoryStartedAt = null;
        this.startMarker = null;
        this.factoryStatus = null;
        this.identifierOnProvider = null;
    }

    void touch(Instant now) {
        this.updatedAt = now;
    }

    private void moveTo(JobStatus next) {
        if (!status.canMoveTo(next)) {
            throw new IllegalJobTransitionException(id, status, next);
        }
        status = next;
    }

    static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    /** The fields a user sees; two equal states mean nothing changed worth a history entry. */
    JobRowState state() {
        return new JobRowState(status, factoryStatus, percent, activity, error, attempt, factoryImageId,
                identifierOnProvider);
    }

    record JobRowState(JobStatus status, FactoryStatus factoryStatus, int percent, String activity, String error,
                       int attempt, String factoryImageId, String identifierOnProvider) {
    }

    public UUID id() {
        return id;
    }

    /** The row's optimistic-lock version: of two copies of a row, the higher one was committed later. */
    public long version() {
        return version;
    }

    public UUID requestId() {
        return requestId;
    }

    public JobKind kind() {
        return kind;
    }

    public String target() {
        return target;
    }

    public JobStatus status() {
        return status;
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

    /** What factory last said of the row's image; null before it said anything. */
    public FactoryStatus factoryStatus() {
        return factoryStatus;
    }

    public UUID jobRunrJobId() {
        return jobRunrJobId;
    }

    public String providerName() {
        return providerName;
    }

    public String accountIdentifier() {
        return accountIdentifier;
    }

    public String factoryProvider() {
        return factoryProvider;
    }

    public String factoryUrl() {
        return factoryUrl;
    }

    /** The build waits for a slot on {@code factoryUrl} (it stays QUEUED). */
    public void waitForSlot(String factoryUrl, String activity) {
        this.factoryUrl = factoryUrl;
        describeActivity(activity);
    }

    /** Takes one of a factory's slots: the build runs against it from now on. */
    public void startOn(String factoryUrl, Instant now) {
        markRunning(now);
        this.factoryUrl = factoryUrl;
    }

    public UUID parentJobId() {
        return parentJobId;
    }

    public String identifierOnProvider() {
        return identifierOnProvider;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** When factory accepted the current attempt's image; null before that (and for older rows). */
    public Instant factoryStartedAt() {
        return factoryStartedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }
}
