package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.AgentNotRegisteredException;
import dev.eab.core.BusFixtures.Outcome;
import dev.eab.core.BusFixtures.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** DISPATCHED and INLINE subscriptions, failing handlers, inbox delivery and unsubscribing. */
class DeliveryModesTest
{
    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private void startBus()
    {
        bus = started(config(NativeMode.OFF).build());
        for (final String id : List.of("s", "x", "y", "z"))
        {
            bus.registerAgent(id, "worker", Set.of(), "acme", null);
        }
    }

    @Test
    void dispatchedHandlerRunsOffTheBusThreadAndASlowOneDelaysNobodyElse() throws Exception
    {
        startBus();
        final CountDownLatch xEntered = new CountDownLatch(1);
        final CountDownLatch releaseX = new CountDownLatch(1);
        final Set<String> xThreads = ConcurrentHashMap.newKeySet();
        final Set<String> yThreads = ConcurrentHashMap.newKeySet();
        final AtomicInteger xHandled = new AtomicInteger();
        final int n = 200;
        final CountDownLatch yGotAll = new CountDownLatch(n + 50);
        bus.subscribe("x", m -> {
            xThreads.add(Thread.currentThread().getName());
            xEntered.countDown();
            assertTrue(releaseX.await(HANG_GUARD_S, TimeUnit.SECONDS), "hang guard");
            xHandled.incrementAndGet();
        });
        bus.subscribe("y", m -> {
            yThreads.add(Thread.currentThread().getName());
            yGotAll.countDown();
        }, DeliveryMode.DISPATCHED);

        final List<CompletableFuture<ValidationResult>> toX = new ArrayList<>();
        toX.add(bus.send(msg("s", "x", "acme").build()));
        assertTrue(xEntered.await(HANG_GUARD_S, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++)
        {
            toX.add(bus.send(msg("s", "x", "acme").build()));
        }
        // X is stuck in its handler; Y still gets everything, by send() and by the publisher.
        final List<CompletableFuture<ValidationResult>> toY = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            toY.add(bus.send(msg("s", "y", "acme").build()));
        }
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        for (int i = 0; i < 50; i++)
        {
            assertTrue(pub.tryPublish(bus.getAgentInfo("y").handle(), MessageType.EVENT, i, new byte[] {1}, 0, 1));
        }
        assertTrue(yGotAll.await(HANG_GUARD_S, TimeUnit.SECONDS), "Y was held up by X's blocked handler");
        for (final CompletableFuture<ValidationResult> f : toY)
        {
            assertEquals(MessageStatus.DELIVERED, get(f).status());
        }
        assertEquals(0, xHandled.get());
        for (final CompletableFuture<ValidationResult> f : toX)
        {
            assertFalse(f.isDone(), "a dispatched send completes when its handler has run");
        }

        releaseX.countDown();
        for (final CompletableFuture<ValidationResult> f : toX)
        {
            final ValidationResult r = get(f);
            assertTrue(r.isValid());
            assertEquals(MessageStatus.DELIVERED, r.status());
        }
        assertEquals(6, xHandled.get());
        assertEquals(Set.of("eab-inbox-x"), xThreads);
        assertEquals(Set.of("eab-inbox-y"), yThreads);
        await(() -> listener.outcomes.size() == 50, "publisher outcomes");
        listener.outcomes.forEach(o -> assertEquals("delivered", o.kind()));
    }

    @Test
    void inlineHandlerRunsOnTheBusThread()
    {
        startBus();
        final List<String> threads = new ArrayList<>();
        final List<Long> correlations = new ArrayList<>();
        bus.subscribe("x", m -> {
            threads.add(Thread.currentThread().getName());
            correlations.add(m.correlationId());
        }, DeliveryMode.INLINE);
        final ValidationResult r = send(bus, msg("s", "x", "acme").build());
        assertEquals(MessageStatus.DELIVERED, r.status());
        final RecordingListener listener = new RecordingListener();
        assertTrue(bus.publisher("s", listener).tryPublish(bus.getAgentInfo("x").handle(), MessageType.EVENT, 77, new byte[] {1}, 0, 1));
        assertEquals("delivered", listener.awaitOutcome(77).kind());
        assertEquals(List.of("eab-bus", "eab-bus"), threads);
        assertEquals(List.of(0L, 77L), correlations);
        assertEquals(0, bus.registry().inboxOf("x").size(), "inline delivery does not use the inbox");
    }

    static Stream<Arguments> failures()
    {
        final List<Arguments> out = new ArrayList<>();
        for (final DeliveryMode mode : DeliveryMode.values())
        {
            out.add(Arguments.of(mode, new RuntimeException("boom"), "Runtime error: boom"));
            out.add(Arguments.of(mode, new IllegalStateException("bad state"), "IllegalStateException: bad state"));
            out.add(Arguments.of(mode, new Exception("checked"), "Exception: checked"));
            out.add(Arguments.of(mode, new AssertionError("err"), "AssertionError: err"));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aThrowingHandlerFailsOnlyItsMessage(final DeliveryMode mode, final Throwable thrown, final String expectedText) throws Exception
    {
        startBus();
        final AtomicInteger calls = new AtomicInteger();
        bus.subscribe("x", m -> {
            if (calls.incrementAndGet() == 1)
            {
                if (thrown instanceof Exception e)
                {
                    throw e;
                }
                throw (Error)thrown;
            }
        }, mode);

        final ValidationResult failed = send(bus, msg("s", "x", "acme").build());
        assertEquals(MessageStatus.FAILED, failed.status(), failed.toString());
        assertEquals(expectedText, failed.metadata().get("handler_error"));
        assertEquals(List.of("Handler failed: " + expectedText), failed.warnings());
        assertTrue(failed.isValid(), "the message was validated; only its handler failed");
        assertEquals(RejectReason.NONE, failed.rejectReason());
        assertEquals(1, bus.metrics().handlerFailed());
        assertEquals(1L, bus.getMetrics().get("handler_failed"));

        // The bus, and this very handler, keep going.
        for (int i = 0; i < 10; i++)
        {
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "x", "acme").build()).status());
        }
        assertEquals(11, calls.get());
        assertEquals(10, bus.metrics().delivered());
        assertEquals(1, bus.metrics().handlerFailed());
    }

    @ParameterizedTest
    @EnumSource(DeliveryMode.class)
    void aThrowingHandlerIsReportedToThePublisher(final DeliveryMode mode)
    {
        startBus();
        final IllegalStateException boom = new IllegalStateException("boom");
        bus.subscribe("x", m -> {
            if (m.correlationId() == 1)
            {
                throw boom;
            }
        }, mode);
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        final int x = bus.getAgentInfo("x").handle();
        assertTrue(pub.tryPublish(x, MessageType.EVENT, 1, new byte[] {1}, 0, 1));
        assertTrue(pub.tryPublish(x, MessageType.EVENT, 2, new byte[] {1}, 0, 1));
        final Outcome failed = listener.awaitOutcome(1);
        assertEquals("failed", failed.kind());
        assertSame(boom, failed.error());
        assertEquals("delivered", listener.awaitOutcome(2).kind());
        assertEquals(1, bus.metrics().handlerFailed());
        assertEquals(1, bus.metrics().delivered());
    }

    @Test
    void withoutAHandlerMessagesWaitForReceive() throws Exception
    {
        startBus();
        final AgentMessage sent = msg("s", "x", "acme").messageId("m1").build();
        final ValidationResult r = send(bus, sent);
        assertEquals(MessageStatus.DELIVERED, r.status(), "delivered into the inbox");
        assertEquals(1, bus.metrics().delivered());
        final AgentMessage got = bus.receive("x", Duration.ofSeconds(1));
        assertEquals("m1", got.messageId());
        assertEquals(sent.content(), got.content());
        assertEquals("s", got.fromAgent());
        assertEquals(MessageStatus.DELIVERED, got.status());
        assertNull(bus.receive("x", Duration.ofMillis(1)));
    }

    @Test
    void receiveWaitsForAMessageThatArrivesLater() throws Exception
    {
        startBus();
        final CompletableFuture<AgentMessage> waiting = CompletableFuture.supplyAsync(() -> {
            try
            {
                return bus.receive("x", Duration.ofSeconds(HANG_GUARD_S));
            }
            catch (final InterruptedException e)
            {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(send(bus, msg("s", "x", "acme").messageId("late").build()).isValid());
        assertEquals("late", get(waiting).messageId());
    }

    @Test
    void unsubscribeSendsLaterMessagesBackToTheInbox() throws Exception
    {
        startBus();
        final AtomicInteger handled = new AtomicInteger();
        bus.subscribe("x", m -> handled.incrementAndGet());
        assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "x", "acme").build()).status());
        assertEquals(1, handled.get());
        bus.unsubscribe("x");
        assertTrue(send(bus, msg("s", "x", "acme").messageId("after").build()).isValid());
        assertEquals(1, handled.get());
        assertEquals("after", bus.receive("x", Duration.ofSeconds(1)).messageId());

        // Same for INLINE.
        bus.subscribe("y", m -> handled.incrementAndGet(), DeliveryMode.INLINE);
        send(bus, msg("s", "y", "acme").build());
        bus.unsubscribe("y");
        send(bus, msg("s", "y", "acme").messageId("after-y").build());
        assertEquals(2, handled.get());
        assertEquals("after-y", bus.receive("y", Duration.ofSeconds(1)).messageId());

        // Subscribing again takes over the inbox, including what waited there.
        send(bus, msg("s", "y", "acme").messageId("waiting").build());
        final List<String> seen = new ArrayList<>();
        final CountDownLatch two = new CountDownLatch(2);
        bus.subscribe("y", m -> {
            synchronized (seen)
            {
                seen.add(m.toMessage().messageId());
            }
            two.countDown();
        });
        send(bus, msg("s", "y", "acme").messageId("new").build());
        assertTrue(two.await(HANG_GUARD_S, TimeUnit.SECONDS));
        synchronized (seen)
        {
            assertEquals(List.of("waiting", "new"), seen);
        }
    }

    @Test
    void unsubscribingWithDispatchedMessagesQueuedStillCompletesEverySend() throws Exception
    {
        startBus();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger handled = new AtomicInteger();
        bus.subscribe("x", m -> {
            entered.countDown();
            assertTrue(release.await(HANG_GUARD_S, TimeUnit.SECONDS));
            handled.incrementAndGet();
        });
        final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            futures.add(bus.send(msg("s", "x", "acme").messageId("q" + i).build()));
        }
        assertTrue(entered.await(HANG_GUARD_S, TimeUnit.SECONDS));
        // All five routed to the handler (one in hand, four queued) before the switch: those are its own.
        await(() -> bus.registry().inboxOf("x").size() == 4, "the rest routed to the handler's inbox");
        final Thread unsubscriber = Thread.ofPlatform().start(() -> bus.unsubscribe("x"));
        await(() -> unsubscriber.getState() == Thread.State.WAITING || unsubscriber.getState() == Thread.State.TIMED_WAITING || !unsubscriber.isAlive(),
            "unsubscribe waiting for the handler");
        release.countDown();
        unsubscriber.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_S));
        assertFalse(unsubscriber.isAlive());

        // Unsubscribing lets the old handler finish the message in hand; the rest wait in the inbox for
        // receive(), and their senders are told so: nothing is stranded without an outcome.
        int received = 0;
        AgentMessage m;
        while ((m = bus.receive("x", Duration.ZERO)) != null)
        {
            assertTrue(m.messageId().startsWith("q"));
            received++;
        }
        assertEquals(1, handled.get(), "no message reached the old handler after unsubscribe returned");
        assertEquals(4, received);
        for (final CompletableFuture<ValidationResult> f : futures)
        {
            final ValidationResult r = get(f);
            assertTrue(r.isValid());
            assertEquals(MessageStatus.DELIVERED, r.status());
        }
        assertEquals(5, bus.metrics().delivered(), "one handled, four reported delivered to the inbox");
    }

    @Test
    void subscribeNeedsARegisteredAgentAndAHandler()
    {
        startBus();
        assertThrows(AgentNotRegisteredException.class, () -> bus.subscribe("nobody", m -> { }));
        assertThrows(IllegalArgumentException.class, () -> bus.subscribe("x", null));
        assertThrows(IllegalArgumentException.class, () -> bus.subscribe("x", m -> { }, null));
        bus.unsubscribe("nobody"); // no-op, no exception
    }

    @Test
    void dispatchedMessageViewCarriesTheMessage() throws Exception
    {
        startBus();
        final CompletableFuture<String> seen = new CompletableFuture<>();
        bus.subscribe("x", v -> seen.complete(v.messageType() + "/" + v.priority() + "/" + v.senderHandle() + "/" + v.recipientHandle() + "/" +
            v.toMessage().content().get("q")));
        send(bus, msg("s", "x", "acme").messageType(MessageType.QUERY).priority(dev.eab.api.Priority.HIGH).build());
        assertEquals("QUERY/HIGH/" + bus.getAgentInfo("s").handle() + "/" + bus.getAgentInfo("x").handle() + "/x", get(seen));
    }
}
