package io.buildq.worker;

import org.jobrunr.JobRunrException;

/**
 * Factory reported the build FAILED. Thrown to end the JobRunr job as FAILED without automatic
 * retries: a bad template does not get better by itself, so retrying is the operator's call.
 *
 * <p>An outcome, not a fault of buildq: it carries no stack trace, so that JobRunr's log of the failed
 * job is one line (with the job's id and factory's error) and its dashboard shows factory's text
 * rather than twenty frames of the worker.
 */
public class FactoryBuildFailedException extends JobRunrException {

    /** JobRunr rebuilds exceptions from their message when it shows a failed job. */
    public FactoryBuildFailedException(String message) {
        super(message, true);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
