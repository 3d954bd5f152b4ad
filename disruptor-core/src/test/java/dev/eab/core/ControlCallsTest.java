package dev.eab.core;

import dev.eab.api.BackpressurePolicy;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageHandler;
import dev.eab.api.MessageStatus;
import dev.eab.api.NativeMode;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.BackpressureException;
import dev.eab.api.exception.BusOperationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 7 §4: switching or removing a subscription completes promptly under continuous traffic, no
 * message reaches the old handler after the call returns, none is left without an outcome; and calls
 * back into the bus from inside a handler never deadlock.
 */
class ControlCallsTest
{
    /** Hang guard for one control call under load: the bound. */
    private static final long CONTROL_CALL_BOUND_MS = 1_000;

    /** Sends to "r" from its own thread as fast as the ring takes them, keeping every future. */
    private static final class Flood implements AutoCloseable
    {
        final ConcurrentLinkedQueue<CompletableFuture<ValidationResult>> futures = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();
        final Thread thread;

        Flood(final EnhancedAgentBus bus)
        {
            thread = Thread.ofPlatform().start(() -> {
                int i = 0;
                while (running.get())
                {
                    try
                    {
                        futures.add(bus.send(msg("s", "r", "acme").content(Map.of("i", i++)).build()));
                        sent.incrementAndGet();
                    }
                    catch (final dev.eab.api.exception.BackpressureException e)
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            await(() -> sent.get() > 1_000, "traffic flowing");
        }

        @Override
        public void close()
        {
            running.set(false);
            try
            {
                thread.join();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }

        /** Every send got exactly one outcome. */
        void assertAllCompleted()
        {
            for (final CompletableFuture<ValidationResult> f : futures)
            {
                final ValidationResult r = get(f);
                assertNotNull(r);
            }
        }
    }

    private static EnhancedAgentBus bus()
    {
        final EnhancedAgentBus bus = started(config(NativeMode.OFF).ringSize(4096).inboxCapacity(1 << 16).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        return bus;
    }

    private static long timed(final Runnable call)
    {
        final long t0 = System.nanoTime();
        call.run();
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(ms < CONTROL_CALL_BOUND_MS, "control call took " + ms + " ms under load");
        return ms;
    }

    /** A handler that records, after {@code retired} is set, any call it still gets. */
    private static MessageHandler recording(final AtomicBoolean retired, final AtomicInteger lateCalls, final Set<Object> seen)
    {
        return m -> {
            if (retired.get())
            {
                lateCalls.incrementAndGet();
            }
            if (!seen.add(m.toMessage().content().get("i")))
            {
                lateCalls.addAndGet(1_000_000); // handled twice: fails the test below
            }
        };
    }

    @Test
    void switchingAndRemovingSubscriptionsUnderContinuousTrafficIsPrompt() throws Exception
    {
        try (EnhancedAgentBus bus = bus(); Flood flood = new Flood(bus))
        {
            final Set<Object> seen = ConcurrentHashMap.newKeySet();
            final List<DeliveryMode> modes = List.of(DeliveryMode.DISPATCHED, DeliveryMode.INLINE, DeliveryMode.DISPATCHED, DeliveryMode.DISPATCHED,
                DeliveryMode.INLINE, DeliveryMode.INLINE);
            AtomicBoolean retired = new AtomicBoolean();
            final AtomicInteger late = new AtomicInteger();
            bus.subscribe("r", recording(retired, late, seen));
            for (final DeliveryMode mode : modes)
            {
                Thread.sleep(50);
                final AtomicBoolean previous = retired;
                final AtomicBoolean next = new AtomicBoolean();
                timed(() -> bus.subscribe("r", recording(next, late, seen), mode));
                previous.set(true);
                retired = next;
            }
            Thread.sleep(50);
            final AtomicBoolean last = retired;
            timed(() -> bus.unsubscribe("r"));
            last.set(true);
            Thread.sleep(50);
            flood.close();
            assertEquals(0, late.get(), "no message reached an old handler after the call returned, none was handled twice");
            flood.assertAllCompleted();
            // What went to the inbox after unsubscribe waits for receive, each exactly once.
            while (bus.receive("r", Duration.ofMillis(1)) != null)
            {
                // drained
            }
            assertTrue(seen.size() > 1_000, "traffic reached the handlers: " + seen.size());
        }
    }

    @Test
    void unregisterUnsubscribeAndSubscribeFromTheAgentsOwnHandlerDoNotDeadlock()
    {
        try (EnhancedAgentBus bus = bus())
        {
            final AtomicReference<Throwable> error = new AtomicReference<>();
            final AtomicInteger calls = new AtomicInteger();
            final AtomicInteger replacementCalls = new AtomicInteger();
            bus.subscribe("r", m -> {
                calls.incrementAndGet();
                try
                {
                    timed(() -> bus.subscribe("r", x -> replacementCalls.incrementAndGet()));
                }
                catch (final Throwable t)
                {
                    error.set(t);
                }
            });
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status());
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status());
            assertEquals(1, calls.get(), "the first handler ran once, then handed over");
            assertEquals(1, replacementCalls.get());

            bus.subscribe("r", m -> timed(() -> bus.unsubscribe("r")));
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status());
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status(), "now waits in the inbox");

            bus.subscribe("r", m -> timed(() -> bus.unregisterAgent("r")));
            send(bus, msg("s", "r", "acme").build());
            await(() -> bus.getAgentInfo("r") == null, "unregistered from its own handler");
            assertNull(error.get());
        }
        // close() returned: no thread was left joining itself.
    }

    @Test
    void stopAndCloseFromAHandlerAreRefusedAtOnce()
    {
        for (final DeliveryMode mode : DeliveryMode.values())
        {
            try (EnhancedAgentBus bus = bus())
            {
                final AtomicReference<Throwable> stopError = new AtomicReference<>();
                final AtomicReference<Throwable> closeError = new AtomicReference<>();
                bus.subscribe("r", m -> {
                    stopError.set(assertThrows(BusOperationException.class, bus::stop));
                    closeError.set(assertThrows(BusOperationException.class, bus::close));
                }, mode);
                assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status(), mode.name());
                assertTrue(stopError.get().getMessage().contains("would wait for itself"), stopError.get().getMessage());
                assertNotNull(closeError.get());
                assertTrue(bus.isRunning());
            }
        }
    }

    @Test
    void aSendFromAnInlineHandlerOnAFullBlockingRingIsRefusedNotDeadlocked()
    {
        try (EnhancedAgentBus bus = started(config(NativeMode.OFF).ringSize(4).backpressurePolicy(BackpressurePolicy.BLOCK).build()))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r", "worker", Set.of(), "acme", null);
            bus.registerAgent("echo", "worker", Set.of(), "acme", null);
            final AtomicInteger refused = new AtomicInteger();
            final AtomicInteger accepted = new AtomicInteger();
            final List<CompletableFuture<ValidationResult>> echoes = new ArrayList<>();
            bus.subscribe("r", m -> {
                // The bus thread sending to itself: more than the ring holds, so some must be refused.
                for (int i = 0; i < 8; i++)
                {
                    try
                    {
                        synchronized (echoes)
                        {
                            echoes.add(bus.send(msg("r", "echo", "acme").build()));
                        }
                        accepted.incrementAndGet();
                    }
                    catch (final BackpressureException e)
                    {
                        assertTrue(e.getMessage().contains("never waits"), e.getMessage());
                        refused.incrementAndGet();
                    }
                }
            }, DeliveryMode.INLINE);
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status());
            assertTrue(refused.get() > 0, "a full ring refuses the bus thread's own send");
            assertEquals(8, accepted.get() + refused.get());
            synchronized (echoes)
            {
                echoes.forEach(f -> assertEquals(MessageStatus.DELIVERED, get(f).status()));
            }
        }
    }

    @Test
    void anInlineHandlerWaitingForItsOwnSendIsRefusedNotDeadlocked()
    {
        try (EnhancedAgentBus bus = bus())
        {
            bus.registerAgent("echo", "worker", Set.of(), "acme", null);
            final AtomicReference<Throwable> refused = new AtomicReference<>();
            final AtomicReference<CompletableFuture<ValidationResult>> echo = new AtomicReference<>();
            bus.subscribe("r", m -> {
                echo.set(bus.send(msg("r", "echo", "acme").build()));
                refused.set(assertThrows(BusOperationException.class, () -> echo.get().get()));
                assertThrows(BusOperationException.class, () -> echo.get().join());
            }, DeliveryMode.INLINE);
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "r", "acme").build()).status());
            assertTrue(refused.get().getMessage().contains("would never end"), refused.get().getMessage());
            assertEquals(MessageStatus.DELIVERED, get(echo.get()).status(), "off the bus thread the same future is waited on as usual");
        }
    }
}
