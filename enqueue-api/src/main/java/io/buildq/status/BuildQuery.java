package io.buildq.status;

/**
 * Which builds to list, a page at a time, newest first; a null filter does not filter.
 *
 * @param status   builds with at least one target or push in this state
 * @param image    builds of the image of this name
 * @param target   builds with this target
 * @param page     1 for the newest
 * @param pageSize 1 to 200 builds a page
 */
public record BuildQuery(JobStatus status, String image, String target, int page, int pageSize) {

    public static final int DEFAULT_PAGE_SIZE = 25;

    public BuildQuery {
        if (page < 1) {
            throw new IllegalArgumentException("page must be 1 or more, was " + page);
        }
        if (pageSize < 1 || pageSize > 200) {
            throw new IllegalArgumentException("pageSize must be within 1..200, was " + pageSize);
        }
    }

    /** The newest page of every build. */
    public static BuildQuery firstPage() {
        return new BuildQuery(null, null, null, 1, DEFAULT_PAGE_SIZE);
    }
}
