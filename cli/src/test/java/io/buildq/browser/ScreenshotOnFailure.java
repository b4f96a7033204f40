package io.buildq.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

/** Saves what the browser showed when a test failed, to target/screenshots/&lt;test&gt;.png. */
final class ScreenshotOnFailure implements TestWatcher {

    private final Supplier<WebDriver> browser;

    ScreenshotOnFailure(Supplier<WebDriver> browser) {
        this.browser = browser;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (browser.get() instanceof TakesScreenshot camera) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "screenshots"));
                Path file = dir.resolve(context.getRequiredTestMethod().getName() + ".png");
                Files.write(file, camera.getScreenshotAs(OutputType.BYTES));
                System.err.println("Screenshot of the failure: " + file.toAbsolutePath());
            } catch (IOException | RuntimeException e) {
                System.err.println("No screenshot: " + e);
            }
        }
    }
}
