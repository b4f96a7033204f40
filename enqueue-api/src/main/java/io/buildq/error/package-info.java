/**
 * The exceptions every part of buildq shares: {@link io.buildq.error.BuildQueueException}, the root
 * of every exception buildq throws at its callers; {@link io.buildq.error.BuildNotFoundException};
 * and {@link io.buildq.error.RemoteServiceException}, a failed call to Image Factory or iwhd. This
 * package depends on no other of buildq's, so that any package may use it without a cycle; the
 * exceptions of one concept live with it ({@code io.buildq.build}, {@code io.buildq.push}, ...).
 */
package io.buildq.error;
