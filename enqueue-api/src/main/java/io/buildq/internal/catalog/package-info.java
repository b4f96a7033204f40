/**
 * How {@code BuildQueue.catalog} answers: buildq's rows and iwhd's objects, read the way Conductor's
 * {@code image_status} read them. Machinery, not API (see {@code io.buildq.internal}): callers use
 * {@code BuildQueue.catalog} and the views of {@code io.buildq.catalog}.
 */
package io.buildq.internal.catalog;
