package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RateLimit;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Rate limits, input limits and content warnings enforced through a running bus. */
class GuardrailsBusTest
{
    private EnhancedAgentBus bus;

    @AfterEach
    void tearDown()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void aFloodingAgentIsThrottledWithTheOriginalsTextAndOthersAreNot(final NativeMode mode)
    {
        // 1 msg/s with a burst of 5: the 6th message within the same second is refused.
        bus = started(config(mode).tenantRateLimit("acme", new RateLimit(1, 5)).build());
        bus.registerAgent("flood", "worker", Set.of(), "acme", null);
        bus.registerAgent("calm", "worker", Set.of(), "acme", null);
        bus.registerAgent("sink", "worker", Set.of(), "acme", null);
        bus.registerAgent("other", "worker", Set.of(), "globex", null);
        bus.registerAgent("other-sink", "worker", Set.of(), "globex", null);
        for (int i = 0; i < 5; i++)
        {
            assertTrue(send(bus, msg("flood", "sink", "acme").build()).isValid(), "burst message " + i);
        }
        final ValidationResult limited = send(bus, msg("flood", "sink", "acme").build());
        assertEquals(RejectReason.RATE_LIMITED, limited.rejectReason());
        assertTrue(limited.errors().get(0).matches("Agent 'flood' exceeded rate limit of 1 messages per 1s \\(retry after \\d+ms\\)"),
            limited.errors().get(0));
        // Another agent of the same tenant has its own bucket; another tenant has the default limit.
        assertTrue(send(bus, msg("calm", "sink", "acme").build()).isValid());
        for (int i = 0; i < 100; i++)
        {
            assertTrue(send(bus, msg("other", "other-sink", "globex").build()).isValid(), "globex message " + i);
        }
        assertEquals(1, bus.metrics().rejected(RejectReason.RATE_LIMITED));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void rateLimitAppliesToTheZeroAllocationPublisher(final NativeMode mode)
    {
        bus = started(config(mode).rateLimit(new RateLimit(1, 3)).build());
        bus.registerAgent("a", "worker", Set.of(), "acme", null);
        final int b = bus.registerAgent("b", "worker", Set.of(), "acme", null).handle();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger limited = new AtomicInteger();
        final var publisher = bus.publisher("a", new OutcomeListener()
        {
            @Override public void onDelivered(final long c, final int r) { delivered.incrementAndGet(); }
            @Override public void onRejected(final long c, final RejectReason reason)
            {
                if (reason == RejectReason.RATE_LIMITED)
                {
                    limited.incrementAndGet();
                }
            }
        });
        final byte[] payload = {1, 2, 3};
        for (int i = 0; i < 10; i++)
        {
            assertTrue(publisher.tryPublish(b, dev.eab.api.MessageType.EVENT, i, payload, 0, payload.length));
        }
        await(() -> delivered.get() + limited.get() == 10, "all outcomes");
        assertEquals(3, delivered.get());
        assertEquals(7, limited.get());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void inputLimitsRejectNamingTheLimitAndTheValue(final NativeMode mode)
    {
        bus = started(config(mode).maxNestingDepth(3).maxKeys(4).maxStringLength(10).build());
        bus.registerAgent("a", "worker", Set.of(), "acme", null);
        bus.registerAgent("b", "worker", Set.of(), "acme", null);
        final AgentMessage.Builder base = msg("a", "b", "acme");
        assertTrue(send(bus, base.content(Map.of("l1", Map.of("l2", Map.of("l3", "x")))).build()).isValid());
        final ValidationResult deep = send(bus, base.content(Map.of("l1", Map.of("l2", Map.of("l3", Map.of("l4", "x"))))).build());
        assertEquals(RejectReason.NESTING_TOO_DEEP, deep.rejectReason());
        assertEquals("Content nesting depth 4 exceeds the limit of 3", deep.errors().get(0));
        final ValidationResult keys = send(bus, base.content(Map.of("a", 1, "b", 2, "c", 3, "d", 4, "e", 5)).build());
        assertEquals(RejectReason.TOO_MANY_KEYS, keys.rejectReason());
        assertEquals("Content has 5 keys, more than the limit of 4", keys.errors().get(0));
        final ValidationResult longString = send(bus, base.content(Map.of("s", "0123456789X")).build());
        assertEquals(RejectReason.STRING_TOO_LONG, longString.rejectReason());
        assertEquals("Content string of 11 characters exceeds the limit of 10", longString.errors().get(0));
        assertTrue(send(bus, base.content(Map.of("s", "0123456789")).build()).isValid());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void emptyActionIsValidButWarned(final NativeMode mode)
    {
        bus = started(config(mode).build());
        bus.registerAgent("a", "worker", Set.of(), "acme", null);
        bus.registerAgent("b", "worker", Set.of(), "acme", null);
        final ValidationResult warned = send(bus, msg("a", "b", "acme").content(Map.of("action", "", "x", 1)).build());
        assertTrue(warned.isValid());
        assertEquals(java.util.List.of("Empty action field"), warned.warnings());
        final ValidationResult clean = send(bus, msg("a", "b", "acme").content(Map.of("action", "buy")).build());
        assertEquals(java.util.List.of(), clean.warnings());
    }
}
