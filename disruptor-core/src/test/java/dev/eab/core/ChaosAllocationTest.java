package dev.eab.core;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.resilience.ChaosScenario;
import dev.eab.core.resilience.FaultPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The chaos fault points cost nothing but a volatile read when no scenario is active: the zero-allocation path
 * (native validator and scanner behind their breakers, journal with its breaker, every fault point) allocates
 * nothing in steady state on a bus whose chaos engine has run scenarios at every point and ended them (the
 * {@code AllocationTest} pattern: {@code ThreadMXBean} allocated bytes of the bus and publisher threads).
 */
class ChaosAllocationTest
{
    private static final int WARM_UP_MESSAGES = 200_000;
    private static final int MEASURED_MESSAGES = 100_000;
    private static final int ROUNDS = 3;
    /** As AllocationTest: a constant per round for one-off JIT/deopt events; 1 byte per message would be 100 KB. */
    private static final long SLACK_BYTES = 8 * 1024;
    private EnhancedAgentBus bus;

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private static final class Counting implements OutcomeListener
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong other = new AtomicLong();

        @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.lazySet(delivered.get() + 1); }
        @Override public void onRejected(final long correlationId, final RejectReason reason) { other.incrementAndGet(); }
        @Override public void onHandlerFailed(final long correlationId, final Throwable error) { other.incrementAndGet(); }
    }

    @Test
    void faultPointsAllocateNothingWhenNoScenarioIsActive(@TempDir final Path journal)
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        bus = started(config(NativeMode.REQUIRED).ringSize(4096).contentScanning(true).journalDir(journal).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        final int recipient = bus.registerAgent("r", "worker", Set.of(), "acme", null).handle();
        final long[] sink = new long[1];
        final long[] busThread = {-1};
        bus.subscribe("r", v -> {
            if (busThread[0] < 0)
            {
                busThread[0] = Thread.currentThread().threadId();
            }
            sink[0] += v.payloadLength();
        }, DeliveryMode.INLINE);
        // Every point armed once, then disarmed: what remains on the hot path is the volatile read.
        for (final FaultPoint p : new FaultPoint[] {FaultPoint.VALIDATION, FaultPoint.NATIVE_CALL, FaultPoint.JOURNAL_APPEND, FaultPoint.ROUTING,
            FaultPoint.HANDLER_DELIVERY})
        {
            bus.chaos().activate(ChaosScenario.latency(p, 0, 60));
        }
        bus.chaos().activate(ChaosScenario.clockSkew(1, 60));
        final Counting listener = new Counting();
        final MessagePublisher pub = bus.publisher("s", listener);
        final byte[] payload = new byte[32];
        long sent = run(pub, listener, recipient, payload, 0, 1_000);
        bus.chaos().deactivateAll();
        assertFalse(bus.resilience().faults().armed(-1));

        sent = run(pub, listener, recipient, payload, sent, WARM_UP_MESSAGES);
        long best = Long.MAX_VALUE;
        long bestPub = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long before = threads.getThreadAllocatedBytes(busThread[0]);
            final long pubBefore = threads.getCurrentThreadAllocatedBytes();
            sent = run(pub, listener, recipient, payload, sent, MEASURED_MESSAGES);
            bestPub = Math.min(bestPub, threads.getCurrentThreadAllocatedBytes() - pubBefore);
            best = Math.min(best, threads.getThreadAllocatedBytes(busThread[0]) - before);
        }
        System.out.printf("ChaosAllocationTest: best round bus thread %d B, publisher %d B over %d messages%n", best, bestPub, MEASURED_MESSAGES);
        assertEquals(0, listener.other.get());
        assertEquals(sent, listener.delivered.get());
        assertEquals("native", bus.validator().name());
        assertEquals("native", bus.contentScanner().name());
        assertTrue((best - SLACK_BYTES) / (double)MEASURED_MESSAGES < 1.0, "bus thread allocates per message: " + best + " B");
        assertTrue((bestPub - SLACK_BYTES) / (double)MEASURED_MESSAGES < 1.0, "publisher thread allocates per message: " + bestPub + " B");
    }

    private static long run(final MessagePublisher pub, final Counting listener, final int recipient, final byte[] payload, final long first,
        final int count)
    {
        final long end = first + count;
        for (long i = first; i < end; i++)
        {
            dev.eab.api.MessageClaim c;
            while ((c = pub.tryClaim()) == null)
            {
                Thread.onSpinWait();
            }
            c.to(recipient).type(MessageType.COMMAND).correlationId(i).payload(payload, 0, payload.length).publish();
        }
        final long deadline = System.nanoTime() + HANG_GUARD_S * 3 * 1_000_000_000L;
        while (listener.delivered.get() + listener.other.get() < end)
        {
            if (System.nanoTime() > deadline)
            {
                fail("hang guard: " + (listener.delivered.get() + listener.other.get()) + " of " + end + " outcomes");
            }
            Thread.onSpinWait();
        }
        return end;
    }
}
