package io.buildq.sim.factory;

import java.time.Duration;
import java.util.Set;

/**
 * How the simulated builds run, as {@link FactorySimulator.Builder} set it.
 *
 * @param stepDuration        how long each build step takes
 * @param progressEvery       the interval of progress callbacks, or null when off
 *                            ({@link FactorySimulator.Builder#progressReports})
 * @param verbose             whether GET shows the live status ({@link FactorySimulator.Builder#verbose})
 * @param maxConcurrentBuilds the build limit, 0 for none ({@link FactorySimulator.Builder#maxConcurrentBuilds})
 * @param callbackBeforeSave  how long an outcome's save waits after its callback
 * @param knownTargets        the targets with a cloud plugin
 */
record BuildSettings(Duration stepDuration, Duration progressEvery, boolean verbose, int maxConcurrentBuilds,
                     Duration callbackBeforeSave, Set<String> knownTargets) {

    BuildSettings {
        knownTargets = Set.copyOf(knownTargets);
    }
}
