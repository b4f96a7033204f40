package io.buildq.status;


/**
 * Which jobs to list; a null field does not filter.
 *
 * @param limit at most this many, newest first (1 to 1000)
 */
public record JobQuery(JobStatus status, String image, String target, int limit) {

    public JobQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000, was " + limit);
        }
    }

    public static JobQuery all() {
        return new JobQuery(null, null, null, 200);
    }
}
