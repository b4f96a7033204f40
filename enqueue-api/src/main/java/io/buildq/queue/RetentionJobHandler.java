package io.buildq.queue;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** The handler JobRunr names in a {@link RetentionJob}; as with {@link BuildJobHandler}, a worker runs its subclass. */
public class RetentionJobHandler implements JobRequestHandler<RetentionJob> {

    @Override
    public void run(RetentionJob job) throws Exception {
        throw new IllegalStateException("RetentionJob reached a JobRunr server that is not a buildq worker; "
                + "start workers with `buildq worker`");
    }
}
