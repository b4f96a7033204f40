/**
 * The JobRunr jobs buildq enqueues ({@code BuildJob}, {@code PushJob} and their handlers), whose class
 * names JobRunr stores with every job, so they stay here; and {@code EnqueueListener}, which a caller
 * of the API gives to {@code BuildQueue.Builder.onEnqueued} to hear of each job as it is enqueued.
 */
package io.buildq.queue;
