/** Progress estimates for builds factory reports no percentage for; see {@link io.buildq.status.ProgressEstimate}. */
package io.buildq.internal.estimate;
