package io.buildq.bench;

/**
 * One line of the report: a figure for buildq beside the same figure for its baseline, measured in
 * the same run on the same database.
 *
 * @param database "H2" or "PostgreSQL"
 * @param measure  what was measured, with its unit
 * @param buildq   buildq's figure
 * @param baseline the baseline's figure (plain JobRunr, or another buildq setting), or "-" for none
 * @param ratio    buildq ÷ baseline, or "-"
 * @param target   the target for this figure, or "-"
 * @param verdict  whether the target was met: "met", "missed" or "-"
 */
record Figure(String database, String measure, String buildq, String baseline, String ratio, String target,
              String verdict) {

    static Figure compared(String database, String measure, double buildq, double baseline, String unit,
                           String target, Boolean met) {
        return new Figure(database, measure, format(buildq) + unit, format(baseline) + unit,
                baseline == 0 ? "-" : String.format("%.2f", buildq / baseline), target,
                met == null ? "-" : met ? "met" : "missed");
    }

    static String format(double value) {
        if (value >= 100 || value == Math.rint(value)) {
            return String.format("%.0f", value);
        }
        return value >= 10 ? String.format("%.1f", value) : String.format("%.2f", value);
    }
}
