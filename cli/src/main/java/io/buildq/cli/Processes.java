package io.buildq.cli;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/** Keeps a long-running command alive until it is asked to stop (Ctrl-C or SIGTERM). */
final class Processes {

    private Processes() {
    }

    /**
     * Runs {@code onStop} on SIGTERM or Ctrl-C, then returns once it has finished, and the command
     * ends normally. The stop runs from the signal, before the JVM's shutdown begins: the JVM starts
     * every shutdown hook at once, and H2's (the demo's database) closed the database under a worker
     * still stopping, which JobRunr logged as a stack trace ("Database is already closed"). A
     * shutdown hook still stops the command on any other way out.
     */
    static void runUntilStopped(Runnable onStop) {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    onStop.run();
                } finally {
                    stopped.countDown();
                }
            }
        };
        for (String name : List.of("INT", "TERM")) {
            try {
                // sun.misc.Signal (module jdk.unsupported, in every JDK 17+): the JDK has no supported
                // way to act on a signal before its shutdown hooks run.
                Signal.handle(new Signal(name), signal -> new Thread(stop, "buildq-stop").start());
            } catch (IllegalArgumentException e) {
                // No such signal here, or the JVM keeps it (-Xrs): the shutdown hook stops the command.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "buildq-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
