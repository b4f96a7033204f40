/**
 * How rows become JobRunr jobs: the enqueuer, JobRunr's storage on buildq's database, and the
 * connection a row and its job share. Machinery: see {@code io.buildq.internal}.
 */
package io.buildq.internal.queue;
