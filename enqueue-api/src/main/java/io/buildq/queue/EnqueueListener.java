package io.buildq.queue;

import java.util.UUID;

/**
 * Told of each JobRunr job this process enqueued, after its commit. A worker in the same process
 * uses it to start the job at once; on PostgreSQL a trigger tells workers in every process anyway.
 * Must not block: it runs on the enqueuing thread.
 */
@FunctionalInterface
public interface EnqueueListener {

    EnqueueListener NONE = jobId -> { };

    void enqueued(UUID jobId);
}
