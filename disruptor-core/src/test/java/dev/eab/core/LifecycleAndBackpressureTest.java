package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BackpressurePolicy;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.BackpressureException;
import dev.eab.api.exception.BusAlreadyStartedException;
import dev.eab.api.exception.BusNotStartedException;
import dev.eab.core.BusFixtures.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/** Start/stop rules, draining on stop, and explicit backpressure: nothing is ever dropped silently. */
class LifecycleAndBackpressureTest
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

    private void register(final String... ids)
    {
        for (final String id : ids)
        {
            bus.registerAgent(id, "worker", Set.of(), "acme", null);
        }
    }

    @Test
    void sendingBeforeStartIsRefused()
    {
        bus = new EnhancedAgentBus(config(NativeMode.OFF).build());
        register("s", "r");
        assertFalse(bus.isRunning());
        final BusNotStartedException e = assertThrows(BusNotStartedException.class, () -> bus.send(msg("s", "r", "acme").build()));
        assertEquals("send", e.operation());
        assertThrows(BusNotStartedException.class, () -> bus.broadcast(msg("s", "", "acme").build()));
        assertThrows(BusNotStartedException.class, () -> bus.publisher("s", new RecordingListener()));
        assertEquals(0, bus.metrics().processed());
        assertEquals(false, bus.getMetrics().get("is_running"));
    }

    @Test
    void startingTwiceIsRefused()
    {
        bus = started(config(NativeMode.OFF).build());
        assertTrue(bus.isRunning());
        assertThrows(BusAlreadyStartedException.class, bus::start);
        assertTrue(bus.isRunning(), "the failed second start leaves the bus running");
        register("s", "r");
        assertTrue(send(bus, msg("s", "r", "acme").build()).isValid());
    }

    @Test
    void afterStopEverythingIsRefused()
    {
        bus = started(config(NativeMode.OFF).build());
        register("s", "r");
        final MessagePublisher pub = bus.publisher("s", new RecordingListener());
        bus.stop();
        assertFalse(bus.isRunning());
        assertThrows(BusNotStartedException.class, () -> bus.send(msg("s", "r", "acme").build()));
        assertThrows(BusNotStartedException.class, () -> bus.broadcast(msg("s", "", "acme").build()));
        assertThrows(BusNotStartedException.class, pub::tryClaim);
        assertThrows(BusNotStartedException.class, () -> pub.tryPublish(0, MessageType.EVENT, 1, new byte[1], 0, 1));
        bus.stop(); // idempotent
        bus.close();
        bus.close(); // idempotent
        assertThrows(BusNotStartedException.class, bus::start, "a closed bus cannot start again");
    }

    @Test
    void aStoppedBusCanStartAgainAndKeepsDispatchedSubscriptions() throws Exception
    {
        bus = started(config(NativeMode.OFF).build());
        register("s", "d", "i");
        final AtomicInteger dispatched = new AtomicInteger();
        final AtomicInteger inline = new AtomicInteger();
        bus.subscribe("d", m -> dispatched.incrementAndGet());
        bus.subscribe("i", m -> inline.incrementAndGet(), DeliveryMode.INLINE);
        final MessagePublisher stale = bus.publisher("s", new RecordingListener());
        assertTrue(send(bus, msg("s", "d", "acme").build()).isValid());
        bus.stop();
        bus.start();
        assertTrue(bus.isRunning());
        for (int i = 0; i < 10; i++)
        {
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "d", "acme").build()).status(), "dispatched handler after restart");
            assertEquals(MessageStatus.DELIVERED, send(bus, msg("s", "i", "acme").build()).status());
        }
        assertEquals(11, dispatched.get());
        assertEquals(10, inline.get());
        // A publisher from the previous run must not publish into the old, unconsumed ring.
        assertThrows(BusNotStartedException.class, stale::tryClaim);
        final RecordingListener fresh = new RecordingListener();
        assertTrue(bus.publisher("s", fresh).tryPublish(bus.getAgentInfo("i").handle(), MessageType.EVENT, 5, new byte[] {1}, 0, 1));
        assertEquals("delivered", fresh.awaitOutcome(5).kind());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void stopDrainsEverythingAlreadyAccepted(final NativeMode mode) throws Exception
    {
        bus = started(config(mode).ringSize(256).inboxCapacity(100_000).backpressurePolicy(BackpressurePolicy.BLOCK).build());
        register("s", "slow", "inbox", "inl");
        final AtomicInteger slowHandled = new AtomicInteger();
        final AtomicInteger inlineHandled = new AtomicInteger();
        bus.subscribe("slow", m -> {
            slowHandled.incrementAndGet();
            Thread.yield();
        });
        bus.subscribe("inl", m -> inlineHandled.incrementAndGet(), DeliveryMode.INLINE);
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>();
        final int n = 3_000;
        final String[] targets = {"slow", "inbox", "inl", "nobody"};
        for (int i = 0; i < n; i++)
        {
            futures.add(bus.send(msg("s", targets[i % 4], "acme").messageId("m" + i).build()));
            while (!pub.tryPublish(bus.getAgentInfo("inl").handle(), MessageType.EVENT, i, new byte[] {1}, 0, 1))
            {
                Thread.yield();
            }
        }
        bus.stop();

        // stop() returned: every accepted message has its outcome already, nothing is left in flight.
        int delivered = 0;
        int rejected = 0;
        for (final CompletableFuture<ValidationResult> f : futures)
        {
            assertTrue(f.isDone(), "stop returned before a send completed");
            final ValidationResult r = f.getNow(null);
            if (r.isValid())
            {
                assertEquals(MessageStatus.DELIVERED, r.status());
                delivered++;
            }
            else
            {
                assertEquals(RejectReason.RECIPIENT_NOT_REGISTERED, r.rejectReason());
                rejected++;
            }
        }
        assertEquals(3 * n / 4, delivered);
        assertEquals(n / 4, rejected);
        assertEquals(n, listener.outcomes.size(), "every publisher outcome told before stop returned");
        assertEquals(n / 4, slowHandled.get());
        assertEquals(n / 4 + n, inlineHandled.get());
        assertEquals(n / 4, bus.registry().inboxOf("inbox").size());
        assertEquals(2L * n, bus.metrics().processed());
        assertEquals(bus.metrics().processed(), bus.metrics().delivered() + bus.metrics().rejectedTotal(), "processed = delivered + rejected");
        // The undispatched inbox survives the stop for receive().
        assertEquals("m1", bus.receive("inbox", Duration.ZERO).messageId());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void aFullRingRefusesWithRejectPolicy(final NativeMode mode) throws Exception
    {
        final int ringSize = 4;
        bus = started(config(mode).ringSize(ringSize).payloadCapacityBytes(16).build());
        register("s", "blocker", "r");
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        bus.subscribe("blocker", m -> {
            entered.countDown();
            assertTrue(release.await(HANG_GUARD_S, TimeUnit.SECONDS), "hang guard");
        }, DeliveryMode.INLINE);

        final List<CompletableFuture<ValidationResult>> accepted = new ArrayList<>();
        accepted.add(bus.send(msg("s", "blocker", "acme").build()));
        assertTrue(entered.await(HANG_GUARD_S, TimeUnit.SECONDS), "bus thread now stuck in the inline handler");
        BackpressureException refused = null;
        for (int i = 0; i < 10 * ringSize && refused == null; i++)
        {
            try
            {
                accepted.add(bus.send(msg("s", "r", "acme").build()));
            }
            catch (final BackpressureException e)
            {
                refused = e;
            }
        }
        assertNotNull(refused, "a full ring must refuse with REJECT");
        assertEquals("ring", refused.resource());
        assertEquals(ringSize, refused.capacity());
        assertEquals("REJECT", refused.policy());
        assertTrue(accepted.size() <= ringSize, "never more in flight than the ring holds: " + accepted.size());
        assertEquals(1L, bus.metrics().backpressureRejected());
        assertEquals(1L, bus.getMetrics().get("backpressure_rejected"));

        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        assertNull(pub.tryClaim(), "no claim on a full ring");
        assertFalse(pub.tryPublish(bus.getAgentInfo("r").handle(), MessageType.EVENT, 1, new byte[] {1}, 0, 1));
        assertNull(pub.tryClaim(), "a refused claim leaves the publisher usable");
        assertThrows(BackpressureException.class, () -> bus.broadcast(msg("s", "", "acme").build()));
        // Counted: the refused send, three refused claims (tryClaim, tryPublish, tryClaim), the refused broadcast.
        assertEquals(5L, bus.metrics().backpressureRejected());

        release.countDown();
        for (final CompletableFuture<ValidationResult> f : accepted)
        {
            assertTrue(get(f).isValid(), "everything accepted before the ring filled is delivered");
        }
        assertEquals(accepted.size() - 1, bus.registry().inboxOf("r").size());
        // Space again: both paths work.
        assertTrue(send(bus, msg("s", "r", "acme").build()).isValid());
        assertTrue(pub.tryPublish(bus.getAgentInfo("r").handle(), MessageType.EVENT, 2, new byte[] {1}, 0, 1));
        assertEquals("delivered", listener.awaitOutcome(2).kind());
        assertNull(listener.find(1), "the refused tryPublish never became a message");
        assertEquals(accepted.size() + 2, bus.metrics().processed());
    }

    @Test
    void blockPolicyWaitsForRingSpaceInstead() throws Exception
    {
        final int ringSize = 4;
        bus = started(config(NativeMode.OFF).ringSize(ringSize).payloadCapacityBytes(16).backpressurePolicy(BackpressurePolicy.BLOCK).build());
        register("s", "blocker", "r");
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        bus.subscribe("blocker", m -> {
            entered.countDown();
            assertTrue(release.await(HANG_GUARD_S, TimeUnit.SECONDS), "hang guard");
        }, DeliveryMode.INLINE);
        final CompletableFuture<ValidationResult> first = bus.send(msg("s", "blocker", "acme").build());
        assertTrue(entered.await(HANG_GUARD_S, TimeUnit.SECONDS));

        final int n = 20;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();
        final List<CompletableFuture<ValidationResult>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        final Thread sender = Thread.ofPlatform().start(() -> {
            try
            {
                for (int i = 0; i < n; i++)
                {
                    futures.add(bus.send(msg("s", "r", "acme").build()));
                    sent.incrementAndGet();
                }
            }
            catch (final Throwable t)
            {
                error.set(t);
            }
        });
        // The sender fills the ring (the slot being processed counts), then waits: it can never get
        // further while the bus is stuck.
        await(() -> sent.get() >= ringSize - 1, "sender filled the ring");
        Thread.sleep(100); // give a non-blocking implementation the chance to run past the limit
        assertTrue(sent.get() <= ringSize - 1, "BLOCK must wait for space, not overrun or refuse: " + sent.get());
        assertTrue(sender.isAlive());
        assertNull(error.get());

        release.countDown();
        sender.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_S));
        assertFalse(sender.isAlive());
        assertNull(error.get(), () -> "BLOCK must never throw: " + error.get());
        assertEquals(n, futures.size());
        assertTrue(get(first).isValid());
        for (final CompletableFuture<ValidationResult> f : futures)
        {
            assertTrue(get(f).isValid());
        }
        assertEquals(0L, bus.metrics().backpressureRejected());
        assertEquals(n, bus.registry().inboxOf("r").size());
    }

    @Test
    void blockPolicyWaitsForInboxSpaceInstead() throws Exception
    {
        bus = started(config(NativeMode.OFF).inboxCapacity(2).backpressurePolicy(BackpressurePolicy.BLOCK).build());
        register("s", "r");
        final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            futures.add(bus.send(msg("s", "r", "acme").messageId("m" + i).build()));
        }
        for (int i = 0; i < 20; i++)
        {
            final AgentMessage m = bus.receive("r", Duration.ofSeconds(HANG_GUARD_S));
            assertNotNull(m, "hang guard");
            assertEquals("m" + i, m.messageId());
        }
        for (final CompletableFuture<ValidationResult> f : futures)
        {
            assertTrue(get(f).isValid());
        }
        assertEquals(0, bus.metrics().rejected(RejectReason.INBOX_FULL));
    }

    @Test
    void nothingIsDroppedSilently() throws Exception
    {
        final int ringSize = 8;
        final int inboxCapacity = 8;
        bus = started(config(NativeMode.OFF).ringSize(ringSize).inboxCapacity(inboxCapacity).build());
        register("s", "r", "h");
        final AtomicInteger handled = new AtomicInteger();
        bus.subscribe("h", m -> {
            handled.incrementAndGet();
            Thread.yield();
        }, DeliveryMode.INLINE);
        final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>();

        // Phase 1, deterministic: r's inbox (nobody receives) overflows.
        for (int i = 0; i < 20; i++)
        {
            futures.add(CompletableFuture.completedFuture(send(bus, msg("s", "r", "acme").build())));
        }
        assertEquals(inboxCapacity, bus.registry().inboxOf("r").size());
        assertEquals(20 - inboxCapacity, bus.metrics().rejected(RejectReason.INBOX_FULL));

        // Phase 2, racing: sends and a publisher outrun a tiny ring; some messages are bad.
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        final int attempts = 5_000;
        int refusedByRing = 0;
        int refusedClaims = 0;
        for (int i = 0; i < attempts; i++)
        {
            try
            {
                futures.add(bus.send(msg("s", i % 3 == 0 ? "r" : "h", i % 10 == 0 ? "wrong!" : "acme").build()));
            }
            catch (final BackpressureException e)
            {
                refusedByRing++;
            }
            if (!pub.tryPublish(bus.getAgentInfo("h").handle(), MessageType.EVENT, i, new byte[] {1}, 0, 1))
            {
                refusedClaims++;
            }
        }
        int valid = 0;
        int invalid = 0;
        for (final CompletableFuture<ValidationResult> f : futures)
        {
            if (get(f).isValid())
            {
                valid++;
            }
            else
            {
                invalid++;
            }
        }
        final int published = attempts - refusedClaims;
        await(() -> listener.outcomes.size() == published, "every published message has an outcome");
        bus.stop();
        assertEquals(20 + attempts, futures.size() + refusedByRing, "every send either accepted or refused with an exception");
        assertEquals(refusedByRing + refusedClaims, bus.metrics().backpressureRejected(), "refused sends and refused claims are both counted");
        assertEquals(futures.size() + published, bus.metrics().processed());
        assertEquals(bus.metrics().processed(), bus.metrics().delivered() + bus.metrics().rejectedTotal(),
            "sent = delivered + rejected: " + bus.getMetrics());
        assertEquals(valid + published, bus.metrics().delivered());
        assertEquals(invalid, bus.metrics().rejectedTotal());
        assertEquals(inboxCapacity, bus.registry().inboxOf("r").size());
        assertEquals(valid - inboxCapacity + published, handled.get(), "every other valid message reached h's handler");
        @SuppressWarnings("unchecked")
        final Map<String, Long> byReason = (Map<String, Long>)bus.getMetrics().get("rejected");
        assertEquals(invalid, byReason.values().stream().mapToLong(Long::longValue).sum());
    }
}
