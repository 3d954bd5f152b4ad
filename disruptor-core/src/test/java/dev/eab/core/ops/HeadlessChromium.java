package dev.eab.core.ops;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Starts headless Chromium for the browser tests from Debian's {@code chromium} and {@code chromium-driver}
 * packages: Selenium is pointed at the installed chromedriver and browser, so it never downloads either. When
 * they are missing the test FAILS saying how to install them (never a silent skip: {@code .ci/run} installs them).
 */
public final class HeadlessChromium
{
    /** Where Debian installs the driver; override with {@code -Deab.chromedriver=...}. */
    public static final String DRIVER = System.getProperty("eab.chromedriver", "/usr/bin/chromedriver");
    /** Where Debian installs the browser; override with {@code -Deab.chromium=...}. */
    public static final String BROWSER = System.getProperty("eab.chromium", "/usr/bin/chromium");

    private HeadlessChromium()
    {
    }

    /** @return a started driver; the caller quits it. */
    public static ChromeDriver start()
    {
        final File driver = new File(DRIVER);
        final File browser = new File(BROWSER);
        if (!driver.canExecute() || !browser.canExecute())
        {
            fail("The review console's browser test needs Chromium and its driver: " + (driver.canExecute() ? "" : DRIVER + " ")
                + (browser.canExecute() ? "" : BROWSER + " ") + "missing. Install them with "
                + "'apt-get install -y chromium chromium-driver' (.ci/run does this), or point -Deab.chromedriver / "
                + "-Deab.chromium at an installed pair.");
        }
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(driver)
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(120))
            .build();
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(browser);
        // As root Chromium refuses to start without --no-sandbox; /dev/shm is small in containers.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1400,1000", "--disable-extensions", "--no-first-run");
        final ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
        return chrome;
    }
}
