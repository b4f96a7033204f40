package io.buildq.status;

import java.util.EnumSet;
import java.util.Set;

/**
 * The status of a job row, and the one place that says which changes are allowed:
 * {@code QUEUED → RUNNING → COMPLETE | FAILED | CANCELLED}, and {@code FAILED → QUEUED} on retry.
 */
public enum JobStatus {
    QUEUED, RUNNING, COMPLETE, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }

    /** Whether a job in this status can be cancelled: it has not ended. */
    public boolean isCancellable() {
        return this == QUEUED || this == RUNNING;
    }

    public boolean canMoveTo(JobStatus next) {
        return allowedNext().contains(next);
    }

    private Set<JobStatus> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(COMPLETE, FAILED, CANCELLED);
            case FAILED -> EnumSet.of(QUEUED);
            case COMPLETE, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }
}
