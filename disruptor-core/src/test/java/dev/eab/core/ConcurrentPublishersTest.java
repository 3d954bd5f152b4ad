package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessageHandler;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.BackpressureException;
import dev.eab.core.route.AgentMessageView;
import org.junit.jupiter.api.AfterEach;
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
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Four zero-allocation publisher threads and two {@code send()} threads race into one ring, to
 * recipients on every delivery path (inline, dispatched, inbox). Every message must be accounted for
 * exactly once (delivered, or rejected for the reason its sender provoked), each sender's messages must
 * reach each recipient in the order sent, and the metrics must agree.
 */
class ConcurrentPublishersTest
{
    private static final int PUBLISHERS = 4;
    private static final int SENDERS = 2;
    private static final int PER_PUBLISHER = 40_000;
    private static final int PER_SENDER = 20_000;
    private static final int RECIPIENTS = 4;
    /** Every this-many-th publisher message goes to another tenant's agent. */
    private static final int CROSS_TENANT_EVERY = 97;
    /** Every this-many-th publisher message carries a payload larger than a slot. */
    private static final int OVERSIZED_EVERY = 101;
    /** Every this-many-th send() message carries a wrong hash. */
    private static final int BAD_HASH_EVERY = 89;

    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    /** Per recipient: the last sequence seen from each sender (by sender index), and order violations. */
    private static final class OrderTracker
    {
        final AtomicLongArray last = new AtomicLongArray(PUBLISHERS + SENDERS);
        final AtomicLong received = new AtomicLong();
        final AtomicLong violations = new AtomicLong();

        OrderTracker()
        {
            for (int i = 0; i < last.length(); i++)
            {
                last.set(i, -1);
            }
        }

        /** Called by one thread per recipient at a time (the bus thread, a drainer, or the test). */
        void see(final int sender, final long seq)
        {
            if (seq <= last.get(sender))
            {
                violations.incrementAndGet();
            }
            last.set(sender, seq);
            received.incrementAndGet();
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void everyMessageAccountedForExactlyOnceAndInOrder(final NativeMode mode) throws Exception
    {
        bus = started(config(mode).ringSize(4096).inboxCapacity(65_536).build());
        final String[] senderIds = new String[PUBLISHERS + SENDERS];
        final int[] senderIndexByHandle = new int[256];
        for (int s = 0; s < senderIds.length; s++)
        {
            senderIds[s] = (s < PUBLISHERS ? "pub" : "snd") + s;
            senderIndexByHandle[bus.registerAgent(senderIds[s], "worker", Set.of(), "acme", null).handle()] = s;
        }
        final String[] recipientIds = {"inline0", "inline1", "dispatched", "inbox"};
        final int[] recipientHandles = new int[RECIPIENTS];
        final OrderTracker[] trackers = new OrderTracker[RECIPIENTS];
        for (int r = 0; r < RECIPIENTS; r++)
        {
            recipientHandles[r] = bus.registerAgent(recipientIds[r], "worker", Set.of(), "acme", null).handle();
            trackers[r] = new OrderTracker();
            final OrderTracker t = trackers[r];
            final MessageHandler h = v -> t.see(senderIndexByHandle[v.senderHandle()], sequenceOf(v.correlationId(), v.toMessage()));
            if (r < 2)
            {
                bus.subscribe(recipientIds[r], h, DeliveryMode.INLINE);
            }
            else if (r == 2)
            {
                bus.subscribe(recipientIds[r], h, DeliveryMode.DISPATCHED);
            }
        }
        final int evil = bus.registerAgent("evil", "worker", Set.of(), "beta", null).handle();
        final int capacity = bus.configuration().payloadCapacityBytes();

        // Publisher outcomes, per publisher and correlation id: how many times each was told.
        final AtomicIntegerArray[] told = new AtomicIntegerArray[PUBLISHERS];
        final AtomicReference<String> wrongOutcome = new AtomicReference<>();
        final AtomicLong flyDelivered = new AtomicLong();
        final List<MessagePublisher> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++)
        {
            told[p] = new AtomicIntegerArray(PER_PUBLISHER);
            final AtomicIntegerArray mine = told[p];
            publishers.add(bus.publisher(senderIds[p], new OutcomeListener()
            {
                @Override
                public void onDelivered(final long c, final int recipient)
                {
                    mine.incrementAndGet((int)c);
                    flyDelivered.incrementAndGet();
                    if (expectedRejection(c) != RejectReason.NONE)
                    {
                        wrongOutcome.compareAndSet(null, "delivered but expected rejection: " + c);
                    }
                }

                @Override
                public void onRejected(final long c, final RejectReason reason)
                {
                    mine.incrementAndGet((int)c);
                    if (expectedRejection(c) != reason)
                    {
                        wrongOutcome.compareAndSet(null, "correlation " + c + " rejected as " + reason + ", expected " + expectedRejection(c));
                    }
                }

                @Override
                public void onHandlerFailed(final long c, final Throwable error)
                {
                    mine.incrementAndGet((int)c);
                    wrongOutcome.compareAndSet(null, "handler failed: " + error);
                }
            }));
        }

        final CountDownLatch go = new CountDownLatch(1);
        final AtomicReference<Throwable> threadError = new AtomicReference<>();
        final AtomicLong claimRetries = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        final byte[] oversized = new byte[capacity + 1];
        for (int p = 0; p < PUBLISHERS; p++)
        {
            final MessagePublisher pub = publishers.get(p);
            threads.add(Thread.ofPlatform().name("publisher-" + p).unstarted(() -> {
                final byte[] payload = new byte[8];
                awaitGo(go);
                for (int i = 0; i < PER_PUBLISHER; i++)
                {
                    MessageClaim c;
                    while ((c = pub.tryClaim()) == null)
                    {
                        claimRetries.incrementAndGet();
                        Thread.yield();
                    }
                    final RejectReason expected = expectedRejection(i);
                    final int to = expected == RejectReason.TENANT_MISMATCH_RECIPIENT ? evil : recipientHandles[i % RECIPIENTS];
                    c.to(to).type(MessageType.EVENT).correlationId(i);
                    if (expected == RejectReason.MESSAGE_TOO_LARGE)
                    {
                        c.payload(oversized, 0, oversized.length);
                    }
                    else
                    {
                        c.payload(payload, 0, payload.length);
                    }
                    c.publish();
                }
            }));
        }
        final List<List<CompletableFuture<ValidationResult>>> sendFutures = new ArrayList<>();
        final AtomicLong backpressureRetries = new AtomicLong();
        final AtomicLong claimRetriesTotal = claimRetries;
        for (int s = 0; s < SENDERS; s++)
        {
            final String from = senderIds[PUBLISHERS + s];
            final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>(PER_SENDER);
            sendFutures.add(futures);
            threads.add(Thread.ofPlatform().name("sender-" + s).unstarted(() -> {
                awaitGo(go);
                for (int i = 0; i < PER_SENDER; i++)
                {
                    final AgentMessage m = msg(from, recipientIds[i % RECIPIENTS], "acme").content(Map.of("seq", i))
                        .constitutionalHash(i % BAD_HASH_EVERY == 0 ? "feedfacefeedface" : dev.eab.api.Constitution.HASH).build();
                    while (true)
                    {
                        try
                        {
                            futures.add(bus.send(m));
                            break;
                        }
                        catch (final BackpressureException e)
                        {
                            // Refused, not lost: the same message again, so order is kept.
                            backpressureRetries.incrementAndGet();
                            Thread.yield();
                        }
                    }
                }
            }));
        }
        for (final Thread t : threads)
        {
            t.setUncaughtExceptionHandler((th, e) -> threadError.compareAndSet(null, e));
            t.start();
        }
        go.countDown();
        for (final Thread t : threads)
        {
            t.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(t.isAlive(), "hang guard: " + t.getName());
        }
        assertNull(threadError.get(), () -> "producer thread failed: " + threadError.get());

        // send() results: exactly what each message provoked.
        long sendDelivered = 0;
        long badHash = 0;
        for (final List<CompletableFuture<ValidationResult>> futures : sendFutures)
        {
            assertEquals(PER_SENDER, futures.size());
            for (int i = 0; i < PER_SENDER; i++)
            {
                final ValidationResult r = get(futures.get(i));
                if (i % BAD_HASH_EVERY == 0)
                {
                    assertEquals(RejectReason.HASH_MISMATCH, r.rejectReason());
                    badHash++;
                }
                else
                {
                    assertTrue(r.isValid(), r.toString());
                    sendDelivered++;
                }
            }
        }

        // Publisher outcomes: every correlation id told exactly once, with the provoked reason.
        final long published = (long)PUBLISHERS * PER_PUBLISHER;
        long expectedFlyDelivered = 0;
        long crossTenant = 0;
        long oversize = 0;
        for (int i = 0; i < PER_PUBLISHER; i++)
        {
            switch (expectedRejection(i))
            {
                case NONE -> expectedFlyDelivered += PUBLISHERS;
                case TENANT_MISMATCH_RECIPIENT -> crossTenant += PUBLISHERS;
                default -> oversize += PUBLISHERS;
            }
        }
        final long flyOk = expectedFlyDelivered;
        await(() -> flyDelivered.get() == flyOk, "publisher deliveries");
        assertNull(wrongOutcome.get(), wrongOutcome::get);
        for (int p = 0; p < PUBLISHERS; p++)
        {
            for (int i = 0; i < PER_PUBLISHER; i++)
            {
                assertEquals(1, told[p].get(i), "publisher " + p + " correlation " + i + " told " + told[p].get(i) + " times");
            }
        }

        // Recipients: drain the plain inbox, then check counts and per-sender order everywhere.
        AgentMessage m;
        while ((m = bus.receive("inbox", Duration.ZERO)) != null)
        {
            final int sender = senderIndexByHandle[bus.getAgentInfo(m.fromAgent()).handle()];
            trackers[3].see(sender, sequenceOf(0, m));
        }
        final long totalDelivered = sendDelivered + expectedFlyDelivered;
        await(() -> trackers[0].received.get() + trackers[1].received.get() + trackers[2].received.get() + trackers[3].received.get()
            == totalDelivered, "every delivered message seen by its recipient");
        for (int r = 0; r < RECIPIENTS; r++)
        {
            assertEquals(0, trackers[r].violations.get(), recipientIds[r] + ": per-sender order broken");
            for (int s = 0; s < senderIds.length; s++)
            {
                assertTrue(trackers[r].last.get(s) >= 0, recipientIds[r] + " got nothing from " + senderIds[s]);
            }
        }
        assertEquals(0, bus.registry().inboxOf("evil").size(), "nothing crossed to the other tenant");

        // The bus's own books agree.
        bus.stop();
        final long total = published + (long)SENDERS * PER_SENDER;
        assertEquals(total, bus.metrics().processed());
        assertEquals(totalDelivered, bus.metrics().delivered());
        assertEquals(badHash, bus.metrics().rejected(RejectReason.HASH_MISMATCH));
        assertEquals(crossTenant, bus.metrics().rejected(RejectReason.TENANT_MISMATCH_RECIPIENT));
        assertEquals(oversize, bus.metrics().rejected(RejectReason.MESSAGE_TOO_LARGE));
        assertEquals(badHash + crossTenant + oversize, bus.metrics().rejectedTotal());
        assertEquals(total, bus.metrics().delivered() + bus.metrics().rejectedTotal());
        assertEquals(backpressureRetries.get() + claimRetriesTotal.get(), bus.metrics().backpressureRejected(),
            "refused sends and refused claims are both counted");
        assertEquals(0, bus.metrics().handlerFailed());
    }

    private static RejectReason expectedRejection(final long i)
    {
        if (i % CROSS_TENANT_EVERY == 0)
        {
            return RejectReason.TENANT_MISMATCH_RECIPIENT;
        }
        if (i % OVERSIZED_EVERY == 0)
        {
            return RejectReason.MESSAGE_TOO_LARGE;
        }
        return RejectReason.NONE;
    }

    /** The sender's sequence: the correlation id on the flyweight path, content["seq"] for send(). */
    private static long sequenceOf(final long correlationId, final AgentMessage m)
    {
        final Object seq = m.content().get("seq");
        if (seq instanceof Integer i)
        {
            return i;
        }
        final Object corr = m.content().get(AgentMessageView.CORRELATION_ID_KEY);
        return corr instanceof Long l ? l : correlationId;
    }

    private static void awaitGo(final CountDownLatch go)
    {
        try
        {
            assertTrue(go.await(HANG_GUARD_S, TimeUnit.SECONDS));
        }
        catch (final InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
