package io.buildq.worker;

import io.buildq.internal.job.BuildRequestRow;
import io.buildq.internal.job.JobRow;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.JobServerFilter;
import org.slf4j.MDC;

/**
 * The fields every log line of a job's run carries in SLF4J's MDC: {@code job_id}, {@code build_id},
 * {@code image}, {@code target} and {@code attempt}. JSON logs ({@code BUILDQ_LOG_FORMAT=json}) show
 * them as fields, so that a log shipper finds a build's lines without parsing messages.
 *
 * <p>They stay set after the run returns: JobRunr logs a job's failure on the same thread after its
 * filters ran, and that line should carry them too. JobRunr's worker threads are pooled, so the
 * {@link #RESET} filter clears them as the thread's next job starts, before its own are put.
 */
final class JobLogFields {

    /** Clears the fields a previous job left on this worker thread. */
    static final JobServerFilter RESET = new JobServerFilter() {
        @Override
        public void onProcessing(Job job) {
            clear();
        }
    };

    private static final String[] KEYS = {"job_id", "build_id", "image", "target", "attempt"};

    private JobLogFields() {
    }

    static void put(JobRow row, BuildRequestRow request) {
        MDC.put("job_id", row.id().toString());
        MDC.put("build_id", request.id().toString());
        MDC.put("image", request.imageName());
        MDC.put("target", row.target());
        MDC.put("attempt", Integer.toString(row.attempt()));
    }

    static void clear() {
        for (String key : KEYS) {
            MDC.remove(key);
        }
    }
}
