package io.buildq.worker;

import org.jobrunr.JobRunrException;

/**
 * Factory reported the build FAILED. Thrown to end the JobRunr job as FAILED without automatic
 * retries: a bad template does not get better by itself, so retrying is the operator's call.
 */
public class FactoryBuildFailedException extends JobRunrException {

    /** JobRunr rebuilds exceptions from their message when it shows a failed job. */
    public FactoryBuildFailedException(String message) {
        super(message, true);
    }
}
