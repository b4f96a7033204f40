package io.buildq.sim.factory;

/** Image Factory's status strings (imgfac/PersistentImage.py), in the order a build moves through them. */
enum FactoryStatus {
    NEW, PENDING, BUILDING, COMPLETE, FAILED, DELETING, DELETED, DELETEFAILED;

    boolean isTerminalBuildOutcome() {
        return this == COMPLETE || this == FAILED;
    }

    /** Stored NEW or PENDING: a parent not built yet, for which a child waits (PENDING). */
    boolean isWaiting() {
        return this == NEW || this == PENDING;
    }
}
