package io.buildq.bench;

import java.util.List;

/** p50, p95 and max of a list of samples (nearest rank). */
record Percentiles(double p50, double p95, double max) {

    static Percentiles of(List<Double> samples) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Percentiles(rank(sorted, 0.50), rank(sorted, 0.95), sorted[sorted.length - 1]);
    }

    private static double rank(double[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
