/**
 * How {@code BuildQueue.catalog} answers: buildq's rows and iwhd's objects, read the way Conductor's
 * {@code image_status} read them. Not API: callers use {@code BuildQueue.catalog} and the views of
 * {@code io.buildq.catalog}; {@code EnqueueApiArchitectureTest} keeps this machinery out of the API.
 */
package io.buildq.catalog.internal;
