/**
 * Machinery, not API: the rows and their store ({@code job}), the JobRunr side of enqueueing
 * ({@code queue}), the iwhd client ({@code iwhd}), OAuth signing ({@code oauth}) and the catalog's
 * reading of both ({@code catalog}). The worker, the dashboards and the CLI share it; Conductor does
 * not need it, and it changes without notice. The API is {@code io.buildq.api} and the packages of the
 * types it takes and returns ({@code build}, {@code push}, {@code status}, {@code catalog},
 * {@code error}, {@code secret}, and {@code queue.EnqueueListener}); {@code EnqueueApiArchitectureTest}
 * fails if one of them takes or returns a type from here.
 */
package io.buildq.internal;
