/**
 * What a buildq process exposes to Prometheus: {@link io.buildq.metrics.MetricsServer} serves a
 * Micrometer registry in Prometheus' text format, {@link io.buildq.metrics.QueueGauges} reads the
 * queue's state from buildq's tables at each scrape, and {@link io.buildq.metrics.HttpCallMeter}
 * times the calls a worker makes to Image Factory and iwhd.
 */
package io.buildq.metrics;
