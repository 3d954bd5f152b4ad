package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.api.RateLimit;
import dev.eab.api.RejectReason;
import dev.eab.core.guard.ContentInspector;
import dev.eab.core.guard.ContentScanException;
import dev.eab.core.guard.ContentScanner;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.RateLimiter;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.route.Inbox;
import dev.eab.core.validate.JavaValidationStrategy;
import dev.eab.core.validate.PolicyCompiler;
import dev.eab.core.validate.PolicyTable;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** A scanner that fails must reject the message (fail closed), never let it through unscanned. */
class ValidateStageScannerFailureTest
{
    @Test
    void scannerFailureRejectsTheMessage()
    {
        final PolicyTable policy = PolicyCompiler.load(null);
        final AgentRegistry registry = new AgentRegistry(8, policy, h -> new Inbox(h, 8, new BusMetrics()), t -> RateLimit.UNLIMITED);
        registry.register("a", "worker", Set.of(), "acme", null);
        registry.register("b", "worker", Set.of(), "acme", null);
        final ContentScanner failing = new ContentScanner()
        {
            @Override public long scan(final byte[] utf8, final int off, final int len) { throw new ContentScanException("scanner exploded", null); }
            @Override public long scan(final CharSequence text) { throw new ContentScanException("scanner exploded", null); }
            @Override public GuardrailPatterns patterns() { return GuardrailPatterns.defaults(); }
            @Override public String name() { return "failing"; }
        };
        final ValidateStage stage = new ValidateStage(registry, new JavaValidationStrategy("cdd01ef066bc6cf2", 1 << 20, policy),
            new RateLimiter(8), new ContentInspector(50, 100, 1000), failing, new BusMetrics());
        final MessageEvent e = new MessageEvent(64);
        EventSlots.fillMessage(e, MessageEvent.KIND_MESSAGE,
            AgentMessage.builder().fromAgent("a").toAgent("b").tenantId("acme").messageType(MessageType.QUERY).content(Map.of("q", "hi")).build(),
            new java.util.concurrent.CompletableFuture<>(), null);
        stage.onEvent(e);
        assertEquals(RejectReason.VALIDATOR_ERROR.code(), e.rejectCode);
        assertTrue(e.failure instanceof ContentScanException);
    }
}
