package io.buildq.bench;

import java.util.concurrent.TimeUnit;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** A baseline job that holds its worker thread for a while, as a followed build does. */
public record ParkedJob(long millis) implements JobRequest {

    @Override
    public Class<Handler> getJobRequestHandler() {
        return Handler.class;
    }

    /** Waits out its {@link ParkedJob}'s time, interruptibly. */
    public static class Handler implements JobRequestHandler<ParkedJob> {
        @Override
        public void run(ParkedJob job) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(job.millis());
        }
    }
}
