package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class BusSmokeTest
{
    @Test
    void sendsDeliversAndRejectsWithNativeValidator() throws Exception
    {
        try (EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.builder().nativeMode(NativeMode.REQUIRED).ringSize(1024).build()))
        {
            bus.start();
            bus.registerAgent("a", "worker", Set.of(), "acme", null);
            bus.registerAgent("b", "worker", Set.of(), "acme", null);
            bus.registerAgent("c", "worker", Set.of(), "other", null);
            assertEquals("native", bus.validator().name());
            final ValidationResult ok = bus.send(msg("a", "b", "acme")).get(5, TimeUnit.SECONDS);
            assertTrue(ok.isValid(), ok.toString());
            assertEquals("a", bus.receive("b", Duration.ofSeconds(1)).fromAgent());
            final ValidationResult cross = bus.send(msg("a", "c", "acme")).get(5, TimeUnit.SECONDS);
            assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT, cross.rejectReason(), cross.toString());
            assertNull(bus.receive("c", Duration.ofMillis(50)));
            final ValidationResult badHash = bus.send(msg("a", "b", "acme").toBuilder().constitutionalHash("deadbeefdeadbeef").build())
                .get(5, TimeUnit.SECONDS);
            assertEquals(RejectReason.HASH_MISMATCH, badHash.rejectReason());
            assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got 'deadbeef...'", badHash.errors().get(0));

            final AtomicInteger inline = new AtomicInteger();
            bus.subscribe("b", m -> inline.incrementAndGet(), DeliveryMode.INLINE);
            final CountDownLatch done = new CountDownLatch(100);
            final var pub = bus.publisher("a", new OutcomeListener()
            {
                @Override public void onDelivered(final long c, final int r) { done.countDown(); }
                @Override public void onRejected(final long c, final RejectReason reason) { fail(reason.toString()); }
            });
            final byte[] payload = "hello".getBytes();
            final int b = bus.getAgentInfo("b").handle();
            for (int i = 0; i < 100; i++)
            {
                while (!pub.tryPublish(b, MessageType.EVENT, i, payload, 0, payload.length))
                {
                    Thread.onSpinWait();
                }
            }
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals(100, inline.get());
        }
    }

    private static AgentMessage msg(final String from, final String to, final String tenant)
    {
        return AgentMessage.builder().fromAgent(from).toAgent(to).tenantId(tenant).messageType(MessageType.QUERY)
            .content(Map.of("q", "x")).build();
    }
}
