/**
 * Keeping the tables bounded: {@link io.buildq.retention.RowRetention} deletes finished builds past
 * their age, and {@link io.buildq.retention.RetentionRunner} runs it as JobRunr's recurring job.
 */
package io.buildq.retention;
