package io.buildq.sim.factory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** What tests read about the builds: how many images were created, and how many target builds ran at once. */
final class FactoryCounters {

    private final AtomicInteger createdTargetImages = new AtomicInteger();
    private final AtomicInteger createdBaseImages = new AtomicInteger();
    private final Set<String> targetBuildsInFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger peakTargetBuildsInFlight = new AtomicInteger();

    void targetImageCreated() {
        createdTargetImages.incrementAndGet();
    }

    void baseImageCreated() {
        createdBaseImages.incrementAndGet();
    }

    void targetBuildStarted(SimImage image) {
        targetBuildsInFlight.add(image.id);
        peakTargetBuildsInFlight.accumulateAndGet(targetBuildsInFlight.size(), Math::max);
    }

    /** The build has an outcome, or its record was deleted; a no-op for other images. */
    void buildEnded(String imageId) {
        targetBuildsInFlight.remove(imageId);
    }

    /** A restart dropped every build under way. */
    void restarted() {
        targetBuildsInFlight.clear();
    }

    int createdTargetImages() {
        return createdTargetImages.get();
    }

    int createdBaseImages() {
        return createdBaseImages.get();
    }

    int peakTargetBuildsInFlight() {
        return peakTargetBuildsInFlight.get();
    }
}
