package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.Deliberations;
import dev.eab.api.MessageType;
import dev.eab.api.VoteChoice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's live updates in headless Chromium on a real governed bus: the page subscribes to
 * {@code /deliberations/events} (shown as "live") and the stream carries the held and decided events it refreshes on;
 * when the stream is refused the page says "polling" and still shows what is held (the 1 s fallback).
 */
class ReviewConsoleLiveBrowserTest
{
    private GovernedBus governed;
    private OpsServer server;
    private ChromeDriver browser;
    private DeliberationEvents events;

    private void start(final Deliberations deliberations) throws Exception
    {
        server = new OpsServer("127.0.0.1", 0);
        events = new DeliberationEvents(deliberations);
        new DeliberationRoutes(deliberations, TestTokens.hs256Auth(), events).register(server);
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
        if (server != null)
        {
            server.close();
        }
        if (governed != null)
        {
            governed.close();
        }
    }

    @Test
    void thePageSubscribesToTheEventStreamAndTheStreamCarriesHeldAndDecidedEvents() throws Exception
    {
        governed = new GovernedBus();
        start(governed.bus.deliberations());
        ReviewConsoleBrowserTest.signIn(browser, server.baseUrl(), TestTokens.reviewer("alice"));
        final WebDriverWait wait = new WebDriverWait(browser, ReviewConsoleBrowserTest.WAIT);
        wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
        assertEquals(1L, events.metrics().get("subscribers"), "the page holds one event stream");

        final String id = governed.holdBySend(AgentMessage.builder().messageType(MessageType.COMMAND).content(Map.of("action", "deploy")));
        wait.until(ExpectedConditions.textToBe(By.id("count"), "1"));
        ReviewConsoleBrowserTest.decide(browser, id, "approve", "change CHG-9");
        wait.until(ExpectedConditions.textToBe(By.id("count"), "0"));
        final long deadline = System.nanoTime() + ReviewConsoleBrowserTest.WAIT.toNanos();
        while ((Long)events.metrics().get("events_sent") < 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(20);
        }
        assertEquals(2L, events.metrics().get("events_sent"), "held and decided went down the page's stream");
        assertEquals("live", browser.findElement(By.id("live")).getText());
    }

    @Test
    void whenTheStreamIsRefusedThePageFallsBackToPolling() throws Exception
    {
        governed = new GovernedBus();
        final Deliberations real = governed.bus.deliberations();
        start(new NoListeners(real));
        ReviewConsoleBrowserTest.signIn(browser, server.baseUrl(), TestTokens.reviewer("alice"));
        final WebDriverWait wait = new WebDriverWait(browser, ReviewConsoleBrowserTest.WAIT);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("queue")));
        governed.holdBySend(AgentMessage.builder().messageType(MessageType.COMMAND).content(Map.of("action", "deploy")));
        wait.until(ExpectedConditions.textToBe(By.id("count"), "1"));
        assertEquals("polling", browser.findElement(By.id("live")).getText());
        assertTrue((Long)events.metrics().get("subscribers") == 0L);
    }

    /** The bus's deliberations, except that listeners are refused: the event stream answers 500. */
    private record NoListeners(Deliberations real) implements Deliberations
    {
        @Override
        public List<DeliberationItem> pending()
        {
            return real.pending();
        }

        @Override
        public Optional<DeliberationItem> get(final String id)
        {
            return real.get(id);
        }

        @Override
        public DeliberationItem vote(final String id, final String agentId, final VoteChoice choice, final String reasoning)
        {
            return real.vote(id, agentId, choice, reasoning);
        }

        @Override
        public DeliberationItem approve(final String id, final String reviewer, final String reasoning)
        {
            return real.approve(id, reviewer, reasoning);
        }

        @Override
        public DeliberationItem reject(final String id, final String reviewer, final String reasoning)
        {
            return real.reject(id, reviewer, reasoning);
        }

        @Override
        public AutoCloseable addListener(final DeliberationListener listener)
        {
            throw new IllegalStateException("no listeners here");
        }
    }
}
