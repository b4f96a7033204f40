package io.buildq.factory;

import io.buildq.internal.job.FactoryStatus;
import io.buildq.status.JobStatus;

/**
 * The one place that maps factory's statuses onto a job row's: every status before an outcome is
 * RUNNING, COMPLETE is COMPLETE, FAILED (and a failed delete) is FAILED, and an image factory is
 * deleting or deleted is CANCELLED.
 */
public final class FactoryOutcome {

    private FactoryOutcome() {
    }

    public static JobStatus jobStatusFor(FactoryStatus status) {
        return switch (status) {
            case NEW, PENDING, BUILDING -> JobStatus.RUNNING;
            case COMPLETE -> JobStatus.COMPLETE;
            case FAILED, DELETEFAILED -> JobStatus.FAILED;
            case DELETING, DELETED -> JobStatus.CANCELLED;
        };
    }
}
