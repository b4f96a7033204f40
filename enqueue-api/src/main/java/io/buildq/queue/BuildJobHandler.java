package io.buildq.queue;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * The handler JobRunr names in a {@link BuildJob}. JobRunr checks at enqueue time that a concrete
 * {@code run(BuildJob)} exists, so this thin class lives beside the request; a worker's
 * {@code JobActivator} returns its subclass, which does the work. Enqueuing therefore needs none of
 * the worker's code.
 */
public class BuildJobHandler implements JobRequestHandler<BuildJob> {

    @Override
    public void run(BuildJob job) throws Exception {
        throw new IllegalStateException("BuildJob " + job.jobId()
                + " reached a JobRunr server that is not a buildq worker; start workers with `buildq worker`");
    }
}
