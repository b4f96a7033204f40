package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.status.JobStatus;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * JobRunr's free edition stops its server for good after one failed heartbeat; the worker starts it
 * again, so that a database blip does not leave a process that looks alive and takes no jobs.
 */
class ServerWatchdogTest {

    private static final String TEMPLATE = Templates.fedora16("watchdog");

    @Test
    void aServerThatStoppedItselfIsStartedAgainAndTakesJobs() {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.POSTGRES, false)) {
            BuildqWorker worker = pipeline.startWorker(settings -> settings);
            // A server that has been running (announced, taking jobs), as one is when a heartbeat fails;
            // stopping it while it is still announcing itself races JobRunr's own start.
            UUID before = pipeline.queue.build(BuildRequest.of("before-stop", TEMPLATE, List.of("ec2")));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.queue.status(before).targets().get(0).status().isTerminal());
            // What JobRunr does when a heartbeat fails: it stops its own server.
            worker.jobRunrServer().stop();
            assertThat(worker.isRunning()).isFalse();

            await().atMost(Duration.ofSeconds(30)).until(worker::isRunning);
            UUID buildId = pipeline.queue.build(BuildRequest.of("after-restart", TEMPLATE, List.of("ec2")));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.queue.status(buildId).targets().get(0).status().isTerminal());
            assertThat(pipeline.queue.status(buildId).targets().get(0).status()).isEqualTo(JobStatus.COMPLETE);
        }
    }
}
