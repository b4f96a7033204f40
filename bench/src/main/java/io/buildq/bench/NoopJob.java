package io.buildq.bench;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/** The baseline's job: plain JobRunr with nothing to do, so that only the queue's own cost counts. */
public record NoopJob(long enqueuedAtMicros) implements JobRequest {

    @Override
    public Class<Handler> getJobRequestHandler() {
        return Handler.class;
    }

    /** Runs a {@link NoopJob}: tells the benchmark when it started, then returns. */
    public static class Handler implements JobRequestHandler<NoopJob> {

        private final StartListener listener;

        public Handler() {
            this(job -> { });
        }

        Handler(StartListener listener) {
            this.listener = listener;
        }

        @Override
        public void run(NoopJob job) {
            listener.started(job);
        }
    }

    @FunctionalInterface
    interface StartListener {
        void started(NoopJob job);
    }
}
