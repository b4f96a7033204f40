/**
 * The worker's own meters ({@link io.buildq.telemetry.WorkerMeters}), recorded by the parts that
 * see each event, and the JobRunr filter that times pickups ({@link io.buildq.telemetry.PickupLatency}).
 */
package io.buildq.telemetry;
