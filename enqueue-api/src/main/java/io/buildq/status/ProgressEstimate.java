package io.buildq.status;

/**
 * A running build's progress as buildq estimates it, when factory reports none. Real Image Factory
 * says 0 % until a build ends (its TinMan plugin never sets a percentage, real-install-notes.md), so
 * without this every bar against a real install sits at 0 % for an hour. The estimate is the time
 * since factory started the build over the median duration of recent completed builds of the same
 * target, of the same template when enough of those exist; it stops at 99 % until factory says the
 * build ended. Factory's own percentage, once it sends one, replaces it.
 *
 * @param percent        0 to 99
 * @param basedOn        how many completed builds the median is taken over
 * @param typicalSeconds their median duration, from factory's start to its end
 * @param sameTemplate   whether they were builds of this build's template (else of any template)
 * @param overdue        whether this build has already run longer than that median
 */
public record ProgressEstimate(int percent, int basedOn, long typicalSeconds, boolean sameTemplate, boolean overdue) {

    /** How it was made, in a phrase a status line can carry: "estimate: 12 recent ec2 builds of this template take 41 min". */
    public String basis(String target) {
        String typical = typicalSeconds >= 90 * 60 ? String.format("%.1f h", typicalSeconds / 3600.0)
                : typicalSeconds >= 90 ? (typicalSeconds + 30) / 60 + " min" : typicalSeconds + " s";
        return "estimate: " + basedOn + " recent " + target + " build" + (basedOn == 1 ? "" : "s")
                + (sameTemplate ? " of this template" : "") + " took " + typical + " (median)"
                + (overdue ? "; this one is taking longer" : "");
    }
}
