package io.buildq.sim.factory;

import io.buildq.sim.http.Faults;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The life of an image from its record to its outcome, on the {@link BuildClock}: the threads
 * Builder.py starts (a child waiting for its parent, then the build's steps), the status changes and
 * their callbacks, and the save of the outcome.
 */
final class ImageBuilds {

    private static final int[] VERBOSE_LADDER = {10, 30, 50};

    private final BuildSettings settings;
    private final ImageRegistry registry;
    private final FactoryCounters counters;
    private final BuildClock clock;
    private final CallbackDelivery callbacks;
    private final Faults faults;
    private volatile BuildSlots slots;

    ImageBuilds(BuildSettings settings, ImageRegistry registry, FactoryCounters counters, BuildClock clock,
                CallbackDelivery callbacks, Faults faults) {
        this.settings = settings;
        this.registry = registry;
        this.counters = counters;
        this.clock = clock;
        this.callbacks = callbacks;
        this.faults = faults;
        this.slots = new BuildSlots(settings.maxConcurrentBuilds());
    }

    /** A restart: the builds that held or awaited a slot were dropped, so every slot is free again. */
    void restart() {
        slots = new BuildSlots(settings.maxConcurrentBuilds());
    }

    /**
     * Starts the build at once; only with the {@link FactorySimulator.Builder#maxConcurrentBuilds}
     * deviation may it wait in PENDING.
     */
    void startBuild(SimImage image) {
        boolean startedNow = slots.acquire(() -> clock.later(() -> runStep(image, 0)));
        if (!startedNow && image.status() == FactoryStatus.NEW) {
            changeStatus(image, FactoryStatus.PENDING);
        }
    }

    /** PluginManager.plugin_for_target raises before the image reaches BUILDING (observed: 202, then FAILED). */
    void startIfTargetKnown(SimImage image) {
        if (!settings.knownTargets().contains(image.target)) {
            failBeforeBuilding(image, "No plugin .info file loaded for target: " + image.target);
        } else {
            startBuild(image);
        }
    }

    /**
     * Builder._customize_image_for_target and _push_image_to_provider: a child waits (PENDING) for its
     * parent, then builds, or fails with factory's text. A parent started by the same request is
     * waited for with {@code Thread.join()} (until its save); one named by id is re-read from storage
     * every 5 s ({@code _wait_for_final_status}) while stored NEW or PENDING, so a parent interrupted
     * by a restart keeps the child PENDING in memory forever (Q4).
     */
    void followParent(SimImage child, SimImage parent, boolean startedParent) {
        FactoryStatus parentStatus;
        if (startedParent) {
            if (!parent.buildEnded()) {
                clock.later(() -> followParent(child, parent, true), pollMillis());
                return;
            }
            parentStatus = parent.status();
        } else {
            SimImage stored = registry.find(parent.id);
            if (stored == null) {
                failBeforeBuilding(child, "'NoneType' object has no attribute 'status'");
                return;
            }
            parentStatus = stored.persistedStatus();
            if (parentStatus.isWaiting()) {
                changeStatus(child, FactoryStatus.PENDING);
                clock.later(() -> followParent(child, parent, false), pollMillis());
                return;
            }
        }
        String parentType = parent.type.typeName;
        String childType = child.type.typeName;
        if (parentStatus == FactoryStatus.FAILED) {
            failBeforeBuilding(child, "The " + parentType + " (" + parent.id + ") for our " + childType
                    + " has failed its build.  Cannot continue.");
        } else if (parentStatus != FactoryStatus.COMPLETE) {
            failBeforeBuilding(child, "Got to " + childType + " build step with a " + parentType + " status of ("
                    + parentStatus + ").  This should never happen.  Aborting.");
        } else {
            startIfTargetKnown(child);
        }
    }

    /** Moves the image to {@code next} and calls back, unless it had that status already. */
    void changeStatus(SimImage image, FactoryStatus next) {
        if (image.moveTo(next)) {
            callbacks.send(image);
        }
    }

    private long pollMillis() {
        return settings.stepDuration().toMillis() / 2 + 1;
    }

    private void failBeforeBuilding(SimImage image, String error) {
        image.fail(BuildPlan.failedActivity(image.type), error);
        reachedOutcome(image);
    }

    private void runStep(SimImage image, int step) {
        List<String> steps = BuildPlan.steps(image);
        if (step == 0) {
            changeStatus(image, FactoryStatus.BUILDING);
            if (settings.progressEvery() != null) {
                long total = steps.size() * settings.stepDuration().toMillis();
                clock.later(() -> reportProgress(image, System.nanoTime(), total),
                        settings.progressEvery().toMillis());
            }
        }
        if (step < steps.size()) {
            int percent = settings.progressEvery() != null ? image.percent()
                    : settings.verbose() ? VERBOSE_LADDER[step] : 0;
            image.progress(percent, steps.get(step));
            clock.later(() -> runStep(image, step + 1), settings.stepDuration().toMillis());
            return;
        }
        Optional<String> error = BuildPlan.plannedError(image);
        if (error.isEmpty() && faults.nextBuildFails()) {
            error = Optional.of("ImageFactoryException: Simulated build failure (fault injection: buildFailureRate "
                    + faults.settings().buildFailureRate() + ")");
        }
        if (error.isPresent()) {
            image.fail(BuildPlan.failedActivity(image.type), error.get());
        } else {
            if (image.type == ImageType.PROVIDER) {
                image.pushed(BuildPlan.identifierOnProvider(image), image.accountIdentifier);
            }
            image.complete(image.type.shortName + " Image build complete", BuildPlan.icicle(image));
        }
        slots.release();
        reachedOutcome(image);
    }

    /**
     * Not faithful (see {@link FactorySimulator.Builder#progressReports}): a callback per percentage
     * step while building.
     */
    private void reportProgress(SimImage image, long startedAt, long totalMillis) {
        if (image.status() != FactoryStatus.BUILDING) {
            return;
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        image.progress((int) Math.min(99, elapsed * 100 / Math.max(1, totalMillis)), image.activity());
        callbacks.send(image);
        clock.later(() -> reportProgress(image, startedAt, totalMillis), settings.progressEvery().toMillis());
    }

    /**
     * The status is set first, which posts the callback (NotificationCenter, synchronous), and only
     * then does save_image store it (Q5). With {@link FactorySimulator.Builder#callbackBeforeSave} the
     * save waits.
     */
    private void reachedOutcome(SimImage image) {
        counters.buildEnded(image.id);
        callbacks.send(image);
        if (settings.callbackBeforeSave().isZero()) {
            save(image);
        } else {
            clock.later(() -> save(image), settings.callbackBeforeSave().toMillis());
        }
    }

    /**
     * FilePersistentImageManager.save_image. An image deleted while it built is no longer managed:
     * after a COMPLETE the error turns it FAILED (one more callback); after a FAILED the thread dies.
     */
    private void save(SimImage image) {
        if (!registry.save(image) && image.status() == FactoryStatus.COMPLETE) {
            image.fail(BuildPlan.failedActivity(image.type),
                    "Image " + image.id + " not managed, use \"add_image()\" first.");
            callbacks.send(image);
        }
        image.endBuild();
    }
}
