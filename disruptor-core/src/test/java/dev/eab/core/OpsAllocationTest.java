package dev.eab.core;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.Priority;
import dev.eab.api.RejectReason;
import dev.eab.core.ops.MessageCounters;
import dev.eab.core.ops.metering.Metering;
import dev.eab.core.ops.metering.MeteringConfig;
import dev.eab.core.ops.metering.MeteringEventType;
import dev.eab.core.ops.metering.MeteringQueue;
import dev.eab.core.ops.metering.TenantBudget;
import dev.eab.core.ops.metering.TenantBudgets;
import dev.eab.core.ops.metering.TenantSlots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The ops surface adds no allocation to the hot path (the {@link AllocationTest} pattern): with metering on and a tenant
 * budget checked per message, the bus thread and the publisher thread allocate nothing per message; and the pieces on
 * their own (labelled counters, the metering queue's offer, the budget check) allocate nothing per call.
 */
class OpsAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    private static final int ROUNDS = 3;
    /** Per round, not per message: late JIT events and the ThreadMXBean call itself (see AllocationTest). */
    private static final long SLACK_BYTES = 8 * 1024;

    private static com.sun.management.ThreadMXBean threads;
    private EnhancedAgentBus bus;

    @BeforeAll
    static void enable()
    {
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private static final class Listener implements OutcomeListener
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.lazySet(delivered.get() + 1); }
        @Override public void onRejected(final long correlationId, final RejectReason reason) { rejected.incrementAndGet(); }
        @Override public void onHandlerFailed(final long correlationId, final Throwable error) { rejected.incrementAndGet(); }
    }

    @Test
    void meteringCountersAndBudgetsOnTheFlyweightPathAllocateNothing()
    {
        bus = new EnhancedAgentBus(config(NativeMode.AUTO).ringSize(4096).enableMetering(true).stageLatencyMetrics(true).build());
        // A budget far above what the test sends: the check runs per message and never refuses.
        bus.metering(MeteringConfig.defaults().withTenantBudgets(Map.of("acme", new TenantBudget(Integer.MAX_VALUE, 3600))));
        bus.start();
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        final int recipient = bus.registerAgent("r", "worker", Set.of(), "acme", null).handle();
        final long[] sink = new long[1];
        final long[] busThread = {-1};
        bus.subscribe("r", v ->
        {
            if (busThread[0] < 0)
            {
                busThread[0] = Thread.currentThread().threadId();
            }
            sink[0] += v.payloadLength();
        }, DeliveryMode.INLINE);
        final Listener listener = new Listener();
        final MessagePublisher pub = bus.publisher("s", listener);
        final byte[] payload = new byte[32];
        long sent = run(pub, listener, recipient, payload, 0, WARM_UP);
        long bestBus = Long.MAX_VALUE;
        long bestPub = Long.MAX_VALUE;
        final StringBuilder report = new StringBuilder();
        for (int round = 0; round < ROUNDS; round++)
        {
            final long busBefore = threads.getThreadAllocatedBytes(busThread[0]);
            final long pubBefore = threads.getCurrentThreadAllocatedBytes();
            sent = run(pub, listener, recipient, payload, sent, MEASURED);
            final long pubBytes = threads.getCurrentThreadAllocatedBytes() - pubBefore;
            final long busBytes = threads.getThreadAllocatedBytes(busThread[0]) - busBefore;
            bestBus = Math.min(bestBus, busBytes);
            bestPub = Math.min(bestPub, pubBytes);
            report.append(String.format("round %d: bus thread %d B, publisher %d B%n", round, busBytes, pubBytes));
        }
        System.out.print("OpsAllocationTest (metering on, budget checked):\n" + report);
        assertEquals(0, listener.rejected.get());
        assertEquals(sent, listener.delivered.get());
        // The ops work really ran on every message: counted, metered (queued or, if the flusher fell behind, dropped).
        final int slot = bus.ops().tenants().slotOf(bus.registry().byId("s").tenantIndex());
        final Metering metering = bus.ops().metering();
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
        while (bus.ops().counters().get(slot, MessageType.EVENT, Priority.NORMAL, MessageCounters.ACCEPTED) < sent && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertEquals(sent, bus.ops().counters().get(slot, MessageType.EVENT, Priority.NORMAL, MessageCounters.ACCEPTED));
        assertEquals(sent, metering.queue().queued() + metering.queue().dropped());
        assertTrue((bestBus - SLACK_BYTES) / (double)MEASURED < 1.0, "bus thread allocates per message:\n" + report);
        assertTrue((bestPub - SLACK_BYTES) / (double)MEASURED < 1.0, "publisher thread allocates per message:\n" + report);
    }

    private static long run(final MessagePublisher pub, final Listener listener, final int recipient, final byte[] payload, final long start,
        final int n)
    {
        long sent = start;
        for (int i = 0; i < n; i++)
        {
            while (!pub.tryPublish(recipient, MessageType.EVENT, sent, payload, 0, payload.length))
            {
                Thread.onSpinWait();
            }
            sent++;
        }
        while (listener.delivered.get() + listener.rejected.get() < sent)
        {
            Thread.onSpinWait();
        }
        return sent;
    }

    @Test
    void countersQueueOfferAndBudgetCheckAllocateNothingPerCall()
    {
        final TenantSlots tenants = new TenantSlots(16, i -> "t" + i, t -> -1);
        final MessageCounters counters = new MessageCounters(tenants);
        final MeteringQueue queue = new MeteringQueue(1 << 20);
        final TenantBudgets budgets = new TenantBudgets(16, Map.of("acme", new TenantBudget(1_000, 1)));
        final dev.eab.core.ops.metering.MeteringBatch batch = new dev.eab.core.ops.metering.MeteringBatch();
        final long[] drained = new long[1];
        final dev.eab.core.ops.metering.MeteringSink sink = b -> drained[0] += b.size();
        long best = Long.MAX_VALUE;
        long refused = 0;
        for (int round = 0; round < ROUNDS + 2; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++)
            {
                counters.count(i & 15, i % 12, i & 3, (i & 1) == 0);
                queue.offer(MeteringEventType.AGENT_MESSAGE.ordinal(), i & 15, i, true, i, i);
                refused += budgets.tryAcquire(i & 3, (i & 3) == 0 ? "acme" : "free", (long)round * 1_000_000_000L + i) > 0 ? 1 : 0;
            }
            queue.drain(batch, sink, 100);
            final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            if (round >= 2)
            {
                best = Math.min(best, bytes);
            }
        }
        assertEquals((ROUNDS + 2L) * MEASURED, counters.total());
        assertEquals((ROUNDS + 2L) * MEASURED, drained[0]);
        assertTrue(refused > 0, "the budget check ran and refused past 1,000 per window");
        assertTrue((best - SLACK_BYTES) / (double)MEASURED < 1.0, "allocates per call: " + best + " B per " + MEASURED);
    }
}
