package io.buildq.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.buildq.build.BuildRequest;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.Templates;
import io.buildq.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A factory that reports progress many times a second must not cost a write per report: the
 * worker writes a job's percentage at most once per {@link BuildqWorker#PROGRESS_INTERVAL}.
 */
class ProgressRateTest {

    private static final String TEMPLATE = Templates.fedora16("chatty");
    /** Six steps of 400 ms: a build of about 2.4 s, of which 1.2 s for the target image. */
    private static final Duration STEP = Duration.ofMillis(400);

    @Test
    void aFactoryReportingTwentyTimesASecondCostsAWriteASecondNotOnePerReport() {
        List<HistoryEntry> history = historyOfOneBuild(factory -> factory.stepDuration(STEP)
                .progressReports(Duration.ofMillis(50)));

        // About 24 reports of the target image's progress reached the worker (1.2 s at 20 a second);
        // written at most once a second, they leave two or three entries, not two dozen.
        long progressEntries = history.stream()
                .filter(entry -> entry.status() == JobStatus.RUNNING && entry.percent() >= 1 && entry.percent() <= 99)
                .count();
        assertThat(progressEntries).as("history entries written for progress reports").isBetween(1L, 4L);
        assertThat(history.get(history.size() - 1).status()).isEqualTo(JobStatus.COMPLETE);
    }

    private static List<HistoryEntry> historyOfOneBuild(UnaryOperator<FactorySimulator.Builder> factory) {
        try (Pipeline pipeline = new Pipeline(TestDatabase.Kind.H2, true, factory)) {
            UUID buildId = pipeline.queue.build(BuildRequest.of("chatty", TEMPLATE, List.of("ec2")));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pipeline.queue.status(buildId).targets().get(0).status().isTerminal());
            TargetStatus target = pipeline.queue.status(buildId).targets().get(0);
            assertThat(target.status()).isEqualTo(JobStatus.COMPLETE);
            return pipeline.queue.history(target.jobId());
        }
    }
}
