package io.buildq.sim.factory;

import java.util.concurrent.ThreadFactory;

/** Threads that never keep a JVM alive: a test that forgets to close a simulator still ends. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
