package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageHandler;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 7 §1: whatever a handler or a listener throws (a throwable whose every method throws, a
 * StackOverflowError, an OutOfMemoryError), every send completes with exactly one outcome, the bus
 * thread and the agent's inbox thread live on, and a wedged handler is replaced.
 */
class HostileHandlersTest
{
    enum Thrown
    {
        HOSTILE(HostileThrowable::new),
        HOSTILE_ERROR(HostileThrowable.HostileError::new),
        STACK_OVERFLOW(StackOverflowError::new),
        OUT_OF_MEMORY(() -> new OutOfMemoryError("simulated")),
        INTERRUPT_AND_RETURN(() -> null);

        final Supplier<Throwable> make;

        Thrown(final Supplier<Throwable> make)
        {
            this.make = make;
        }
    }

    private static MessageHandler throwing(final Thrown what, final AtomicInteger calls)
    {
        return m -> {
            final int n = calls.incrementAndGet();
            if (m.toMessage().content().get("boom") != null)
            {
                final Throwable t = what.make.get();
                if (t == null)
                {
                    Thread.currentThread().interrupt(); // returns normally with the interrupt flag set
                    return;
                }
                sneaky(t);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneaky(final Throwable t) throws T
    {
        throw (T)t;
    }

    private static EnhancedAgentBus bus()
    {
        final EnhancedAgentBus bus = started(config(NativeMode.OFF).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        return bus;
    }

    private static AgentMessage boom()
    {
        return msg("s", "r", "acme").content(Map.of("boom", true)).build();
    }

    @ParameterizedTest
    @EnumSource(Thrown.class)
    void everyDeliveryModeSurvivesEveryThrowable(final Thrown what)
    {
        for (final DeliveryMode mode : DeliveryMode.values())
        {
            try (EnhancedAgentBus bus = bus())
            {
                final AtomicInteger calls = new AtomicInteger();
                bus.subscribe("r", throwing(what, calls), mode);
                for (int round = 0; round < 3; round++)
                {
                    final ValidationResult failed = send(bus, boom());
                    if (what == Thrown.INTERRUPT_AND_RETURN)
                    {
                        assertEquals(MessageStatus.DELIVERED, failed.status());
                    }
                    else
                    {
                        assertEquals(MessageStatus.FAILED, failed.status(), mode + ": " + failed);
                        final String error = String.valueOf(failed.metadata().get("handler_error"));
                        assertFalse(error.isBlank(), error);
                        if (what == Thrown.HOSTILE)
                        {
                            assertTrue(error.contains("<getMessage() threw java.lang.IllegalStateException>"), error);
                        }
                    }
                    // The same agent still gets the next message: its thread (or the bus thread) lives.
                    final ValidationResult ok = send(bus, msg("s", "r", "acme").build());
                    assertEquals(MessageStatus.DELIVERED, ok.status(), mode + " after " + what);
                }
                assertEquals(6, calls.get());
                assertEquals(what == Thrown.INTERRUPT_AND_RETURN ? 0 : 3, bus.metrics().handlerFailed());
                assertTrue(bus.isRunning());
            }
        }
    }

    @Test
    void broadcastToHostileHandlersCompletesForEveryRecipient()
    {
        try (EnhancedAgentBus bus = bus())
        {
            bus.registerAgent("r2", "worker", Set.of(), "acme", null);
            bus.subscribe("r", throwing(Thrown.HOSTILE, new AtomicInteger()), DeliveryMode.INLINE);
            bus.subscribe("r2", throwing(Thrown.HOSTILE_ERROR, new AtomicInteger()), DeliveryMode.DISPATCHED);
            final Map<String, ValidationResult> results = get(bus.broadcast(boom()));
            assertEquals(Set.of("r", "r2"), results.keySet());
            results.values().forEach(r -> assertEquals(MessageStatus.FAILED, r.status()));
        }
    }

    @Test
    void aListenerThatThrowsFromEveryCallbackCostsNothingButACount()
    {
        try (EnhancedAgentBus bus = bus())
        {
            final AtomicInteger told = new AtomicInteger();
            final OutcomeListener hostile = new OutcomeListener()
            {
                @Override public void onDelivered(final long c, final int h) { told.incrementAndGet(); throw new HostileThrowable(); }
                @Override public void onRejected(final long c, final RejectReason r) { told.incrementAndGet(); throw new HostileThrowable(); }
                @Override public void onHandlerFailed(final long c, final Throwable e) { told.incrementAndGet(); throw new StackOverflowError(); }
            };
            final AtomicInteger handled = new AtomicInteger();
            bus.subscribe("r", m -> {
                if (handled.incrementAndGet() % 2 == 0)
                {
                    throw new HostileThrowable();
                }
            }, DeliveryMode.INLINE);
            final MessagePublisher pub = bus.publisher("s", hostile);
            final int r = bus.getAgentInfo("r").handle();
            final int n = 100;
            for (int i = 0; i < n; i++)
            {
                // Every third goes to an unknown handle: rejected, so onRejected throws too.
                while (!pub.tryPublish(i % 3 == 0 ? 9_999 : r, MessageType.EVENT, i, new byte[] {1}, 0, 1))
                {
                    Thread.onSpinWait();
                }
            }
            await(() -> told.get() == n, "one outcome per message");
            assertEquals(n, bus.metrics().listenerFailures());
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status(), "the bus thread lives on");
        }
    }

    @Test
    void aWedgedDispatchedHandlerIsReplacedAndItsMessageFails()
    {
        final BusConfiguration config = config(NativeMode.OFF).handlerTimeoutMs(200).build();
        try (EnhancedAgentBus bus = started(config))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r", "worker", Set.of(), "acme", null);
            final CountDownLatch never = new CountDownLatch(1);
            final AtomicInteger handled = new AtomicInteger();
            bus.subscribe("r", m -> {
                if (m.toMessage().content().get("boom") != null)
                {
                    // Wedged: ignores interrupts, never returns on its own.
                    while (never.getCount() > 0)
                    {
                        try
                        {
                            never.await();
                        }
                        catch (final InterruptedException ignored)
                        {
                            // keeps waiting
                        }
                    }
                }
                handled.incrementAndGet();
            });
            final ValidationResult wedged = send(bus, boom());
            assertEquals(MessageStatus.FAILED, wedged.status());
            assertTrue(String.valueOf(wedged.metadata().get("handler_error")).contains("did not return within 200 ms"), wedged.toString());
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status(), "a fresh thread serves the agent");
            assertEquals(1, bus.metrics().inboxThreadsReplaced());
            never.countDown(); // the old handler returns: its thread leaves without a second outcome
            await(() -> handled.get() == 2, "the old handler returned");
            assertEquals(1, bus.metrics().handlerFailed());
        }
    }

    @Test
    void expiryAtTheEndsOfTimeIsNeverAndAlways()
    {
        try (EnhancedAgentBus bus = bus())
        {
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").expiresAt(Instant.MAX).build()).status());
            final ValidationResult min = send(bus, msg("s", "r", "acme").expiresAt(Instant.MIN).build());
            assertEquals(RejectReason.EXPIRED, min.rejectReason());
            assertEquals(MessageStatus.EXPIRED, min.status());
        }
    }

    @Test
    void aStopThatTimesOutOnABlockedInlineHandlerFailsWhatIsLeftOnceItReturns() throws Exception
    {
        final EnhancedAgentBus bus = started(config(NativeMode.OFF).handlerTimeoutMs(200).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        bus.subscribe("r", m -> {
            entered.countDown();
            release.await();
        }, DeliveryMode.INLINE);
        final var blocked = bus.send(msg("s", "r", "acme").build());
        assertTrue(entered.await(HANG_GUARD_S, java.util.concurrent.TimeUnit.SECONDS));
        final var pending = java.util.List.of(bus.send(msg("s", "r", "acme").build()), bus.send(msg("s", "r", "acme").build()));
        bus.stop(); // the drain times out (the handler blocks): the ring is halted
        assertFalse(bus.isRunning());
        release.countDown();
        assertEquals(MessageStatus.DELIVERED, get(blocked).status(), "the message in hand completes normally");
        for (final var f : pending)
        {
            final ValidationResult r = get(f);
            assertEquals(RejectReason.BUS_STOPPED, r.rejectReason(), r.toString());
        }
        bus.close();
    }
}
