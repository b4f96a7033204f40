package io.buildq.internal.job;

import java.util.Locale;

/**
 * Image Factory's image statuses, ranked by how far along they are, so that an older report (a
 * GET showing NEW after a callback said BUILDING) never overwrites a newer one.
 */
public enum FactoryStatus {
    NEW(0), PENDING(1), BUILDING(2), COMPLETE(3), FAILED(3), DELETING(4), DELETED(5), DELETEFAILED(5);

    private final int rank;

    FactoryStatus(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** A build's outcome (or a deletion's): factory will report nothing more about the build. */
    public boolean isTerminal() {
        return rank >= COMPLETE.rank;
    }

    /** Parses factory's string; {@code COMPLETED}, which some versions sent, means COMPLETE (Tim did the same). */
    public static FactoryStatus parse(String status) {
        if (status == null) {
            throw new IllegalArgumentException("factory sent no status");
        }
        String upper = status.trim().toUpperCase(Locale.ROOT);
        return upper.equals("COMPLETED") ? COMPLETE : valueOf(upper);
    }
}
