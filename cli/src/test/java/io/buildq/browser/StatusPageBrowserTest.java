package io.buildq.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.buildq.api.BuildQueue;
import io.buildq.build.BuildRequest;
import io.buildq.dashboard.DashboardSettings;
import io.buildq.dashboard.status.StatusServer;
import io.buildq.migrations.BuildqMigrations;
import io.buildq.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The status page in the real browser, as an operator with many builds uses it: grouped builds,
 * paging, filters that stay in the URL, a build's timeline, live updates without a reload, and a
 * narrow window. No worker: builds stay QUEUED unless the test cancels them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserTest {

    static final Duration BOUND = Duration.ofSeconds(30);
    static final String TEMPLATE = "<template><name>web</name><os><name>Fedora</name></os></template>";

    private TestDatabase db;
    private BuildQueue queue;
    private StatusServer statusPage;
    private ChromeDriver browser;
    private String base;
    private final List<UUID> alpha = new ArrayList<>();
    private final List<UUID> beta = new ArrayList<>();

    @RegisterExtension
    final ScreenshotOnFailure screenshotOnFailure = new ScreenshotOnFailure(() -> browser);

    @BeforeAll
    void start() {
        assertThat(Path.of(Chromium.BINARY)).as("Debian's chromium; ./run-tests installs it").exists();
        db = TestDatabase.create(TestDatabase.Kind.H2);
        new BuildqMigrations(db.dataSource()).migrate();
        queue = BuildQueue.create(db.dataSource());
        for (int i = 0; i < 27; i++) {
            alpha.add(queue.build(BuildRequest.of("alpha", TEMPLATE, List.of("ec2", "rhevm"))));
        }
        for (int i = 0; i < 3; i++) {
            beta.add(queue.build(BuildRequest.of("beta", TEMPLATE, List.of("vsphere"))));
        }
        statusPage = StatusServer.start(queue, DashboardSettings.loopback(0), "http://127.0.0.1:8000");
        base = "http://127.0.0.1:" + statusPage.port();
        browser = Chromium.start();
    }

    @AfterAll
    void stop() {
        Chromium.stop(browser, statusPage, queue, db);
    }

    @Test
    void buildsAreGroupedAndPagedAndAFilterStaysInTheUrl() {
        browser.manage().window().setSize(new Dimension(1400, 1000));
        browser.get(base + "/builds");

        // Newest first: beta's three builds under one heading, then alpha's.
        List<String> headings = texts("#rows tr.image th");
        assertThat(headings).containsExactly("beta", "alpha");
        assertThat(browser.findElements(By.cssSelector("#rows tr.build"))).hasSize(25);
        assertThat(script("return document.querySelector('#build-' + arguments[0]).nextElementSibling.id;", beta.get(2)))
                .as("a build's first target follows its build line").isEqualTo("job-" + queue.status(beta.get(2))
                        .target("vsphere").jobId());
        assertThat(texts("#counts a")).contains("QUEUED " + db.count("select count(*) from buildq_job where status = 'QUEUED'"));

        browser.findElement(By.linkText("older →")).click();
        new WebDriverWait(browser, BOUND).until(driver -> driver.getCurrentUrl().endsWith("/builds?page=2"));
        assertThat(browser.findElements(By.cssSelector("#rows tr.build"))).hasSize(5);
        assertThat(browser.findElement(By.id("build-" + alpha.get(0))).isDisplayed()).isTrue();

        new Select(browser.findElement(By.name("status"))).selectByVisibleText("QUEUED");
        browser.findElement(By.name("image")).sendKeys("beta");
        browser.findElement(By.cssSelector("#filters button")).click();
        new WebDriverWait(browser, BOUND).until(driver -> driver.getCurrentUrl().contains("status=QUEUED"));
        assertThat(browser.getCurrentUrl()).contains("image=beta");
        assertThat(texts("#rows tr.image th")).containsExactly("beta");
        assertThat(browser.findElements(By.cssSelector("#rows tr.build"))).hasSize(3);
        // The exact time is on hover.
        assertThat(browser.findElement(By.cssSelector("#rows tr.build time")).getAttribute("title")).endsWith(" UTC");
    }

    @Test
    void aChangeShowsWithoutAReloadAndTheBuildPageHasItsTimeline() {
        browser.manage().window().setSize(new Dimension(1400, 1000));
        UUID build = alpha.get(5);
        UUID job = queue.status(build).target("rhevm").jobId();
        browser.get(base + "/builds/" + build);
        new WebDriverWait(browser, BOUND).until(driver -> "on".equals(script("return document.body.dataset.live;")));
        script("window.notReloaded = true;");

        queue.cancel(job);

        new WebDriverWait(browser, BOUND).until(driver -> Boolean.TRUE.equals(script(
                "var s = document.querySelector('#job-' + arguments[0] + ' h2 span'); return s !== null && s.textContent === 'CANCELLED';",
                job)));
        assertThat(script("return window.notReloaded === true;")).as("updated in place").isEqualTo(true);
        assertThat(texts("#job-" + job + " ol.timeline li b")).containsExactly("QUEUED", "CANCELLED");

        browser.get(base + "/builds?status=CANCELLED");
        assertThat(browser.findElement(By.id("job-" + job)).getAttribute("data-status")).isEqualTo("CANCELLED");
    }

    @Test
    void aNarrowWindowNeedsNoSidewaysScrolling() {
        browser.manage().window().setSize(new Dimension(420, 900));
        browser.get(base + "/builds");

        assertThat(script("return getComputedStyle(document.querySelector('thead')).display;")).isEqualTo("none");
        assertThat((Long) script("return document.documentElement.scrollWidth - window.innerWidth;"))
                .as("pixels wider than the window").isLessThanOrEqualTo(0L);
        UUID job = queue.status(beta.get(0)).target("vsphere").jobId();
        assertThat((Boolean) script("var b = document.querySelector('#job-' + arguments[0] + ' button.cancel');"
                + " b.scrollIntoView(); var r = b.getBoundingClientRect(); return r.left >= 0 && r.right <= window.innerWidth;",
                job)).as("the cancel button is within the window").isTrue();
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(element -> element.getText().strip()).toList();
    }

    /** Runs {@code code} in the page; ids are passed as their text. */
    private Object script(String code, Object... arguments) {
        Object[] passed = java.util.Arrays.stream(arguments).map(a -> a instanceof UUID ? a.toString() : a).toArray();
        return ((JavascriptExecutor) browser).executeScript(code, passed);
    }
}
