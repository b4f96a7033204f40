/**
 * The rows buildq writes (a request, its jobs, their history, sealed credentials) and {@code JobStore},
 * which writes them. Machinery: see {@code io.buildq.internal}.
 */
package io.buildq.internal.job;
