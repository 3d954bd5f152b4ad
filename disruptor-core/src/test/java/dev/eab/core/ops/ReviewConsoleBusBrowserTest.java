package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The browser test, end to end: a real governed bus holds two messages, a reviewer approves one and rejects
 * the other in the review console (headless Chromium), and the bus delivers the first (with its original message
 * id, once) and fails the second (its sender is told {@code DELIBERATION_REJECTED}; the recipient never sees it).
 */
class ReviewConsoleBusBrowserTest
{
    private GovernedBus governed;
    private OpsServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws Exception
    {
        governed = new GovernedBus();
        server = new OpsServer("127.0.0.1", 0);
        new DeliberationRoutes(governed.bus.deliberations(), TestTokens.hs256Auth()).register(server);
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
        governed.close();
    }

    @Test
    void approvesOneHeldMessageAndRejectsAnotherThroughThePage() throws Exception
    {
        final String approveId = governed.holdBySend(AgentMessage.builder().messageType(MessageType.COMMAND)
            .content(Map.of("action", "deploy", "target", "production")));
        final String messageId = governed.bus.deliberations().get(approveId).orElseThrow().message().messageId();
        final String rejectId = governed.holdByPublisher(7L, "delete every backup");
        assertTrue(governed.deliveredIds.isEmpty() && governed.deliveredCorrelations.isEmpty(), "held messages are not delivered");

        ReviewConsoleBrowserTest.signIn(browser, server.baseUrl(), TestTokens.reviewer("alice"));
        new WebDriverWait(browser, ReviewConsoleBrowserTest.WAIT).until(ExpectedConditions.textToBe(By.id("count"), "2"));
        final String row = browser.findElement(By.cssSelector("tr.item[data-id='" + approveId + "']")).getText();
        assertTrue(row.contains("planner-1") && row.contains("acme") && row.contains("command") && row.contains("critical"), row);

        ReviewConsoleBrowserTest.decide(browser, approveId, "approve", "planned change CHG-1234");
        governed.awaitDelivered(messageId);
        ReviewConsoleBrowserTest.decide(browser, rejectId, "reject", "nobody deletes backups");
        governed.awaitOutcomes(7L, List.of("held", "rejected:DELIBERATION_REJECTED"));

        assertEquals(DeliberationStatus.APPROVED, governed.bus.deliberations().get(approveId).orElseThrow().status());
        assertEquals("alice", governed.bus.deliberations().get(approveId).orElseThrow().reviewer());
        assertEquals("planned change CHG-1234", governed.bus.deliberations().get(approveId).orElseThrow().reasoning());
        assertEquals(DeliberationStatus.REJECTED, governed.bus.deliberations().get(rejectId).orElseThrow().status());
        assertEquals(List.of(messageId), governed.deliveredIds);
        assertTrue(governed.deliveredCorrelations.isEmpty(), "the rejected message never reached the recipient");
        assertTrue(governed.bus.deliberations().pending().isEmpty());
    }
}
