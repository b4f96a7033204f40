package io.buildq.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.dashboard.BuildqDashboard;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.dashboard.status.StatusServer;
import io.buildq.factory.FactoryClient;
import io.buildq.factory.FactoryException;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.sim.factory.FactorySimulator;
import io.buildq.sim.http.FaultSettings;
import io.buildq.sim.iwhd.IwhdSimulator;
import io.buildq.status.HistoryEntry;
import io.buildq.status.JobStatus;
import io.buildq.status.TargetStatus;
import io.buildq.testing.TestDatabase;
import io.buildq.worker.BuildqWorker;
import io.buildq.worker.WorkerSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import okhttp3.OkHttpClient;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator in a real browser (Debian's chromium, driven by chromium-driver): retries a failed
 * build with JobRunr's Requeue button and watches it complete on buildq's status page, then cancels
 * a running build from the status page and sees factory delete its image.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorBrowserTest {

    static final Duration BOUND = Duration.ofSeconds(90);
    static final String TEMPLATE = "<template><name>web</name><os><name>Fedora</name></os></template>";

    private TestDatabase db;
    private FactorySimulator factory;
    private IwhdSimulator iwhd;
    private BuildqWorker worker;
    private BuildqDashboard jobRunrDashboard;
    private BuildQueue queue;
    private StatusServer statusPage;
    private WebDriver browser;

    @RegisterExtension
    final ScreenshotOnFailure screenshotOnFailure = new ScreenshotOnFailure(() -> browser);

    @BeforeAll
    void start() {
        assertThat(Path.of(Chromium.BINARY)).as("Debian's chromium; .ci/run installs it (apt-get install chromium chromium-driver)")
                .exists();
        assertThat(Path.of(Chromium.DRIVER)).as("Debian's chromium-driver").exists();
        db = TestDatabase.create(TestDatabase.Kind.H2);
        new BuildqMigrations(db.dataSource()).migrate();
        factory = FactorySimulator.builder().stepDuration(Duration.ofMillis(700)).verbose(true).start();
        iwhd = IwhdSimulator.builder().start();
        worker = BuildqWorker.start(db.dataSource(), WorkerSettings.defaults(factory.baseUrl(), iwhd.baseUrl())
                .withCallback(new InetSocketAddress("127.0.0.1", 0), null)
                .withFactoryPollInterval(Duration.ofSeconds(1))
                .withReconcileInterval(Duration.ofSeconds(1)));
        jobRunrDashboard = BuildqDashboard.start(db.dataSource(), DashboardSettings.loopback(0));
        queue = BuildQueue.create(db.dataSource());
        statusPage = StatusServer.start(queue, DashboardSettings.loopback(0), "http://127.0.0.1:" + jobRunrDashboard.port());

        browser = Chromium.start();
    }

    @AfterAll
    void stop() {
        Chromium.stop(browser, statusPage, queue, jobRunrDashboard, worker, iwhd, factory, db);
    }

    @Test
    void aFailedBuildRequeuedInJobRunrsDashboardCompletesOnTheStatusPage() {
        factory.faults().set(FaultSettings.none().withBuildFailureRate(1.0));
        UUID buildId = queue.build(BuildRequest.of("requeue-me", TEMPLATE, List.of("ec2")));
        UUID jobId = queue.status(buildId).target("ec2").jobId();
        await().atMost(BOUND).until(() -> queue.status(buildId).target("ec2").status() == JobStatus.FAILED);
        // Only the first attempt fails.
        factory.faults().set(FaultSettings.none());

        browser.get("http://127.0.0.1:" + jobRunrDashboard.port() + "/dashboard/jobs?state=FAILED");
        WebDriverWait wait = new WebDriverWait(browser, BOUND);
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Build requeue-me for ec2"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Requeue']"))).click();

        browser.get("http://127.0.0.1:" + statusPage.port() + "/builds?image=requeue-me");
        List<String> seen = new ArrayList<>();
        await().atMost(BOUND).pollInterval(Duration.ofMillis(200)).until(() -> {
            String status = shownStatus(jobId);
            if (status == null) {
                return false;
            }
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
            }
            return status.equals("COMPLETE");
        });

        assertThat(seen).as("statuses the page showed").contains("COMPLETE").containsAnyOf("QUEUED", "RUNNING");
        assertThat(seen.indexOf("COMPLETE")).isEqualTo(seen.size() - 1);
        assertThat(((JavascriptExecutor) browser).executeScript(
                "return document.querySelector(arguments[0]).textContent;", "#job-" + jobId + " td:nth-child(6)"))
                .isEqualTo("2");
        List<String> attempt2 = queue.history(jobId).stream().filter(entry -> entry.attempt() == 2)
                .map(entry -> entry.status().name()).distinct().toList();
        assertThat(attempt2).containsExactly("QUEUED", "RUNNING", "COMPLETE");
        // Whichever saw the Requeue first, the reconciler or the worker that picked the job up, says so.
        assertThat(queue.history(jobId)).filteredOn(entry -> entry.attempt() == 2).first()
                .extracting(HistoryEntry::activity).isEqualTo("Requeued in JobRunr's dashboard");
    }

    @Test
    void aRunningBuildCancelledOnTheStatusPageEndsCancelledAndFactoryDeletesItsImage() {
        UUID buildId = queue.build(BuildRequest.of("cancel-me", TEMPLATE, List.of("rhevm")));
        await().atMost(BOUND).until(() -> queue.status(buildId).target("rhevm").factoryImageId() != null);
        TargetStatus running = queue.status(buildId).target("rhevm");

        browser.get("http://127.0.0.1:" + statusPage.port() + "/builds?image=cancel-me");
        WebDriverWait wait = new WebDriverWait(browser, BOUND);
        assertThat(((JavascriptExecutor) browser).executeScript("return document.querySelector(arguments[0]).disabled;",
                "#job-" + running.jobId() + " button.retry")).as("retry is disabled while the build runs").isEqualTo(true);
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            driver.findElement(By.cssSelector("#job-" + running.jobId() + " button.cancel")).click();
            return true;
        });

        wait.until(driver -> "CANCELLED".equals(shownStatus(running.jobId())));
        // Real factory removes the record at once (and lets the build run on): GET answers 404.
        FactoryClient client = new FactoryClient(new OkHttpClient(), new ObjectMapper(), factory.baseUrl());
        await().atMost(BOUND).untilAsserted(() -> assertThatThrownBy(() -> client.getTargetImage(running.factoryImageId()))
                .isInstanceOfSatisfying(FactoryException.class, e -> assertThat(e.status()).isEqualTo(404)));
        assertThat(queue.status(buildId).target("rhevm").status()).isEqualTo(JobStatus.CANCELLED);
        await().atMost(BOUND).until(() -> stateOf(running.jobId()) == StateName.DELETED);
    }

    /**
     * The status the page shows for a job, read in one script call: the page replaces its rows at
     * every change, so an element found in one call may be gone in the next.
     */
    private String shownStatus(UUID jobId) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "var row = document.getElementById(arguments[0]); return row ? row.getAttribute('data-status') : null;",
                "job-" + jobId);
    }

    private StateName stateOf(UUID jobId) {
        try (var storage = io.buildq.internal.queue.JobRunrStorage.open(db.dataSource(), io.buildq.internal.queue.JobRunrStorage.jsonMapper())) {
            return storage.getJobById(jobId).getState();
        }
    }
}
