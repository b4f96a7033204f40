package io.buildq.queue;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** The thin handler JobRunr names in a {@link PushJob}; a worker runs its subclass (see {@link BuildJobHandler}). */
public class PushJobHandler implements JobRequestHandler<PushJob> {

    @Override
    public void run(PushJob job) throws Exception {
        throw new IllegalStateException("PushJob " + job.jobId()
                + " reached a JobRunr server that is not a buildq worker; start workers with `buildq worker`");
    }
}
