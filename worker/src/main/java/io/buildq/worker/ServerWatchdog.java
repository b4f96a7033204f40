package io.buildq.worker;

import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts JobRunr's server again after it stopped itself. JobRunr's free edition stops a server for
 * good when a heartbeat fails (a database restart or a network blip does it), and a worker would then
 * take no more jobs while looking alive. Run periodically; while the database is still away, the
 * start fails and is tried again next time.
 */
final class ServerWatchdog implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ServerWatchdog.class);

    private final BackgroundJobServer server;
    private volatile boolean stopping;
    private int restarts;

    ServerWatchdog(BackgroundJobServer server) {
        this.server = server;
    }

    @Override
    public void run() {
        if (stopping || server.isRunning()) {
            return;
        }
        log.warn("JobRunr's server has stopped (it does after a database error); starting it again");
        try {
            server.start();
            restarts++;
            log.info("JobRunr's server runs again (restart {})", restarts);
        } catch (RuntimeException e) {
            log.warn("JobRunr's server could not start yet (trying again at the next check): {}", e.toString());
        }
    }

    /** Called before the worker stops the server on purpose. */
    void stop() {
        stopping = true;
    }
}
