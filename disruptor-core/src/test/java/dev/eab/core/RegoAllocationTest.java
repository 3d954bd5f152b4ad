package dev.eab.core;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MaciRole;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.validate.RegoFixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The Rego step on the zero-allocation path allocates nothing in Java, as {@link AllocationTest} measures the rest
 * of the path: the bus thread's allocated bytes ({@code ThreadMXBean}) over rounds of flyweight messages after a
 * warm-up, with the Rego step deciding every message. Cached: the same input every time (digest + cache hit).
 * Uncached: every payload differs, so every message is digested, encoded into the compact input and evaluated by
 * regorus (which allocates on the Rust heap, not the Java heap).
 */
class RegoAllocationTest
{
    private static final long SLACK_BYTES = 8 * 1024;
    private static final int ROUNDS = 3;
    private static com.sun.management.ThreadMXBean threads;
    private EnhancedAgentBus bus;

    @TempDir
    Path dir;

    @BeforeAll
    static void enableAllocationCounting()
    {
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "per-thread allocation counting unsupported");
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

    private static final class CountingListener implements OutcomeListener
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();

        @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.lazySet(delivered.get() + 1); }
        @Override public void onRejected(final long correlationId, final RejectReason reason) { rejected.incrementAndGet(); }
        @Override public void onHandlerFailed(final long correlationId, final Throwable error) { }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theRegoStepAllocatesNothingPerMessage(final boolean cached)
    {
        final int warmUp = cached ? 200_000 : 60_000;
        final int measured = cached ? 100_000 : 20_000;
        // Uncached: a zero-entry cache, so every message is evaluated natively.
        bus = started(config(NativeMode.REQUIRED).ringSize(4096).stageLatencyMetrics(true).contentScanning(true)
            .regoDir(RegoFixtures.bundle(dir)).regoWatch(false).regoCacheEntries(cached ? 1024 : 0).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", MaciRole.EXECUTIVE);
        final int recipient = bus.registerAgent("r", "worker", Set.of(), "acme", null).handle();
        final long[] busThreadId = {-1};
        bus.subscribe("r", v -> {
            if (busThreadId[0] < 0)
            {
                busThreadId[0] = Thread.currentThread().threadId();
            }
        }, DeliveryMode.INLINE);
        final CountingListener listener = new CountingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        final byte[] payload = new byte[32];
        payload[0] = 7;

        long sent = run(pub, listener, recipient, payload, 0, warmUp, !cached);
        final long busId = busThreadId[0];
        assertTrue(threads.getThreadAllocatedBytes(busId) >= 0, "bus thread alive and measurable");
        long best = Long.MAX_VALUE;
        final StringBuilder report = new StringBuilder();
        for (int round = 0; round < ROUNDS; round++)
        {
            final long before = threads.getThreadAllocatedBytes(busId);
            sent = run(pub, listener, recipient, payload, sent, measured, !cached);
            final long bytes = threads.getThreadAllocatedBytes(busId) - before;
            best = Math.min(best, bytes);
            report.append(String.format("round %d: bus thread %d B (%.4f B/msg)%n", round, bytes, bytes / (double)measured));
        }
        System.out.printf("RegoAllocationTest[cached=%s] %d messages per round:%n%s", cached, measured, report);
        assertEquals(0, listener.rejected.get());
        assertEquals(sent, listener.delivered.get());
        assertEquals(sent, bus.metrics().regoAllowed(), "every message went through the Rego step");
        if (cached)
        {
            assertEquals(1, bus.metrics().regoCacheMisses());
        }
        else
        {
            assertEquals(0, bus.metrics().regoCacheHits());
        }
        assertTrue((best - SLACK_BYTES) / (double)measured < 1.0, "bus thread allocates per message:\n" + report);
    }

    private static long run(
        final MessagePublisher pub, final CountingListener listener, final int recipient, final byte[] payload, final long first, final int count,
        final boolean vary)
    {
        final long end = first + count;
        for (long i = first; i < end; i++)
        {
            if (vary)
            {
                for (int b = 0; b < 8; b++)
                {
                    payload[8 + b] = (byte)(i >>> (8 * b));
                }
            }
            while (!pub.tryPublish(recipient, MessageType.EVENT, i, payload, 0, payload.length))
            {
                Thread.onSpinWait();
            }
        }
        final long deadline = System.nanoTime() + HANG_GUARD_S * 6 * 1_000_000_000L;
        while (listener.delivered.get() + listener.rejected.get() < end)
        {
            if (System.nanoTime() > deadline)
            {
                fail("hang guard: " + listener.delivered.get() + " of " + end + " delivered");
            }
            Thread.onSpinWait();
        }
        return end;
    }
}
