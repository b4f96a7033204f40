package io.buildq.browser;

import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium, headless, as the browser tests drive it; ./run-tests installs it. */
final class Chromium {

    static final String BINARY = "/usr/bin/chromium";
    static final String DRIVER = "/usr/bin/chromedriver";

    private Chromium() {
    }

    /** A headless chromium at 1400 × 1000, with nothing of its own talking to the network. */
    static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000");
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(Path.of(DRIVER).toFile())
                .usingAnyFreePort().build(), options);
    }

    /** Quits the browser, then closes the rest in order; a failure to close one is printed, not thrown. */
    static void stop(WebDriver browser, AutoCloseable... rest) {
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable closeable : rest) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.err.println("while stopping: " + e);
            }
        }
    }
}
