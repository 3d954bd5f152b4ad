package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The review console in a real browser (headless Chromium) against the endpoints over a real socket and the
 * in-memory seam: token entry, the held list with impact factors, hostile content shown as text, approve and
 * reject with a reason, and the list following items that arrive and are decided elsewhere.
 */
class ReviewConsoleBrowserTest
{
    /** Hang bound for a page condition (the machine is shared and slow; this is not a latency check). */
    static final Duration WAIT = Duration.ofSeconds(45);

    private final InMemoryDeliberations deliberations = new InMemoryDeliberations();
    private OpsServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception
    {
        server = new OpsServer("127.0.0.1", 0);
        new DeliberationRoutes(deliberations, TestTokens.hs256Auth()).register(server);
        new ConsoleRoutes().register(server);
        server.start();
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void stop()
    {
        if (browser != null)
        {
            browser.quit();
        }
        server.close();
    }

    static AgentMessage message(final String from, final String text)
    {
        return AgentMessage.builder().fromAgent(from).toAgent("executor-1").tenantId("acme")
            .messageType(MessageType.COMMAND).content(Map.of("text", text)).build();
    }

    /** Signs in on the console page with {@code token}. */
    static void signIn(final WebDriver browser, final String baseUrl, final String token)
    {
        browser.get(baseUrl + "/console/");
        final WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(token);
        browser.findElement(By.id("save-token")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("queue")));
    }

    /** Opens the held item {@code id}, writes the reason and presses approve or reject; waits for the outcome notice. */
    static void decide(final WebDriver browser, final String id, final String action, final String reason)
    {
        final WebDriverWait wait = new WebDriverWait(browser, WAIT);
        final By row = By.cssSelector("tr.item[data-id='" + id + "']");
        wait.ignoring(StaleElementReferenceException.class).until(d ->
        {
            d.findElement(row).click();
            return true;
        });
        wait.until(ExpectedConditions.textToBe(By.id("detail-id"), id));
        wait.until(ExpectedConditions.elementToBeClickable(By.id(action)));
        browser.findElement(By.id("reason")).clear();
        browser.findElement(By.id("reason")).sendKeys(reason);
        browser.findElement(By.id(action)).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("notice"),
            "approve".equals(action) ? "Approved" : "Rejected"));
        wait.until(ExpectedConditions.numberOfElementsToBe(row, 0));
    }

    @Test
    void approvesAndRejectsThroughThePage()
    {
        final DeliberationItem approveMe = deliberations.hold(message("planner-1", "rotate the production keys"), 0.86,
            Map.of("semantic", 0.9, "priority", 0.7));
        final DeliberationItem rejectMe = deliberations.hold(message("planner-2",
            "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"), 0.93, Map.of("semantic", 1.0));

        signIn(browser, server.baseUrl(), TestTokens.reviewer("alice"));
        final WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("count"), "2"));
        final String rowText = browser.findElement(By.cssSelector("tr.item[data-id='" + approveMe.id() + "']")).getText();
        assertTrue(rowText.contains("planner-1") && rowText.contains("acme") && rowText.contains("command")
            && rowText.contains("0.86") && rowText.contains("semantic 0.90"), rowText);
        assertTrue(browser.findElement(By.id("whoami")).getText().contains("alice"));

        // The hostile item: its content is shown as text and nothing in it runs.
        browser.findElement(By.cssSelector("tr.item[data-id='" + rejectMe.id() + "']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-content"), "<img src=x"));
        assertTrue(browser.findElements(By.tagName("img")).isEmpty());
        assertEquals(Boolean.TRUE, ((JavascriptExecutor)browser).executeScript("return window.__pwned === undefined"));

        decide(browser, approveMe.id(), "approve", "checked with the on-call engineer");
        decide(browser, rejectMe.id(), "reject", "prompt injection attempt");

        final DeliberationItem approved = deliberations.get(approveMe.id()).orElseThrow();
        assertEquals(DeliberationStatus.APPROVED, approved.status());
        assertEquals("alice", approved.reviewer());
        assertEquals("checked with the on-call engineer", approved.reasoning());
        final DeliberationItem rejected = deliberations.get(rejectMe.id()).orElseThrow();
        assertEquals(DeliberationStatus.REJECTED, rejected.status());
        assertEquals("prompt injection attempt", rejected.reasoning());
        wait.until(ExpectedConditions.textToBe(By.id("count"), "0"));
    }

    @Test
    void followsItemsThatArriveAndAreDecidedElsewhereAndAsksAgainForABadToken()
    {
        signIn(browser, server.baseUrl(), TestTokens.reviewer("bob"));
        final WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("count"), "0"));

        final DeliberationItem late = deliberations.hold(message("planner-3", "transfer funds"), 0.88, Map.of("volume", 0.5));
        final By row = By.cssSelector("tr.item[data-id='" + late.id() + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(row));
        wait.until(ExpectedConditions.textToBe(By.id("count"), "1"));

        // Open it, then another reviewer decides it: the row goes, the open item shows where it ended, and the
        // buttons no longer offer a decision.
        browser.findElement(row).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-id"), late.id()));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("approve")));
        deliberations.reject(late.id(), "carol", "decided on the CLI");
        wait.until(ExpectedConditions.numberOfElementsToBe(row, 0));
        wait.until(ExpectedConditions.textToBe(By.id("detail-status"), "rejected"));
        assertTrue(!browser.findElement(By.id("approve")).isEnabled() && !browser.findElement(By.id("reject")).isEnabled());
        assertTrue(browser.findElement(By.id("detail-meta")).getText().contains("carol"));

        // The token survives a reload (sessionStorage) ...
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("queue")));
        // ... and a token the server refuses sends the reviewer back to the token form with the server's reason.
        ((JavascriptExecutor)browser).executeScript("sessionStorage.setItem('eab.reviewerToken', arguments[0])",
            TestTokens.hs256(TestTokens.claims("bob").issuer("elsewhere").build(), TestTokens.SECRET));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "issuer"));
    }
}
