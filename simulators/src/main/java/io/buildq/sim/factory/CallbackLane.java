package io.buildq.sim.factory;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of factory's {@code CallbackWorker}s (imgfac/CallbackWorker.py): one per image and callback URL,
 * each with its own queue and thread, so an image's callbacks leave in order but a base image's and
 * its target image's race each other (real-install-notes, "Observed by running the real daemon").
 * Deliveries run one at a time on a shared pool; {@link #drop()} forgets what is still queued, as a
 * factory restart did (Q4).
 */
final class CallbackLane {

    private static final Logger log = LoggerFactory.getLogger(CallbackLane.class);

    private final Executor pool;
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private boolean draining;
    private boolean dropped;

    CallbackLane(Executor pool) {
        this.pool = pool;
    }

    void submit(Runnable delivery) {
        synchronized (this) {
            if (dropped) {
                return;
            }
            queued.add(delivery);
            if (draining) {
                return;
            }
            draining = true;
        }
        pool.execute(this::drain);
    }

    synchronized void drop() {
        dropped = true;
        queued.clear();
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queued.poll();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.debug("callback delivery failed: {}", e.toString());
            }
        }
    }
}
