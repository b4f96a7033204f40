package io.buildq.cli;

import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command alive until the JVM is asked to stop (Ctrl-C or SIGTERM). */
final class Processes {

    private Processes() {
    }

    /** Runs {@code onStop} on SIGTERM or Ctrl-C, then returns once it has finished. */
    static void runUntilStopped(Runnable onStop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            try {
                onStop.run();
            } finally {
                stopped.countDown();
            }
        }, "buildq-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
