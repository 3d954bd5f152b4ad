package dev.eab.core.governance;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.KeywordMatching;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Governance on the zero-allocation path allocates nothing while nothing is held: the bus thread scores every
 * message (Rust, or the Java twin) and delivers it (the traffic scores below the threshold); and each scorer
 * alone, on a 256-byte text with keywords, allocates nothing per call. Same method as {@code AllocationTest}:
 * {@code ThreadMXBean#getThreadAllocatedBytes} after a warm-up, a constant slack per round.
 */
class GovernedAllocationTest
{
    private static final int WARM_UP_MESSAGES = 200_000;
    private static final int MEASURED_MESSAGES = 100_000;
    private static final int ROUNDS = 3;
    private static final long SLACK_BYTES = 8 * 1024;
    private static final long HANG_GUARD_NS = 10_000_000_000L;
    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void enableAllocationCounting()
    {
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    private static final class CountingListener implements OutcomeListener
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong other = new AtomicLong();

        @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.lazySet(delivered.get() + 1); }
        @Override public void onRejected(final long correlationId, final RejectReason reason) { other.incrementAndGet(); }
        @Override public void onHeld(final long correlationId) { other.incrementAndGet(); }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void governedFlyweightPathAllocatesNothingWhenNothingIsHeld(final NativeMode mode)
    {
        if (mode == NativeMode.REQUIRED)
        {
            assumeTrue(NativeBindings.available(), "native library not built");
        }
        final BusConfiguration c = BusConfiguration.forTesting().toBuilder().nativeMode(mode).ringSize(4096).stageLatencyMetrics(true)
            .governance(GovernanceSettings.ON).build();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(c))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            final int recipient = bus.registerAgent("r", "worker", Set.of(), "acme", null).handle();
            final long[] busThread = {-1};
            bus.subscribe("r", v -> {
                if (busThread[0] < 0)
                {
                    busThread[0] = Thread.currentThread().threadId();
                }
            }, DeliveryMode.INLINE);
            bus.start();
            final CountingListener listener = new CountingListener();
            final MessagePublisher pub = bus.publisher("s", listener);
            // Two keywords (semantic 0.5): scored every time, held never (about 0.3 with a busy agent's volume).
            final byte[] payload = "order 42 passed the audit; payment scheduled".getBytes(StandardCharsets.US_ASCII);
            long sent = run(pub, listener, recipient, payload, 0, WARM_UP_MESSAGES);
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = threads.getThreadAllocatedBytes(busThread[0]);
                sent = run(pub, listener, recipient, payload, sent, MEASURED_MESSAGES);
                best = Math.min(best, threads.getThreadAllocatedBytes(busThread[0]) - before);
            }
            System.out.printf("GovernedAllocationTest[%s] best round: bus thread %d B over %d messages%n", mode, best, MEASURED_MESSAGES);
            assertEquals(0, listener.other.get(), "nothing held or rejected");
            assertEquals(sent, listener.delivered.get());
            assertEquals(0L, ((java.util.Map<?, ?>)bus.getMetrics().get("deliberation")).get("held"));
            assertEquals(mode == NativeMode.REQUIRED ? "native" : "java", ((java.util.Map<?, ?>)bus.getMetrics().get("deliberation")).get("scorer"));
            assertTrue((best - SLACK_BYTES) / (double)MEASURED_MESSAGES < 1.0, "the governed bus thread allocates per message: " + best + " B");
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void theScorerAloneAllocatesNothing(final NativeMode mode)
    {
        if (mode == NativeMode.REQUIRED)
        {
            assumeTrue(NativeBindings.available(), "native library not built");
        }
        final byte[] text = new byte[256];
        final byte[] words = "The quarterly report covers a transfer and its audit; nothing suspicious was found by the team. ".getBytes(
            StandardCharsets.US_ASCII);
        for (int i = 0; i < text.length; i++)
        {
            text[i] = words[i % words.length];
        }
        final byte[] tools = "read_file\nsend_mail".getBytes(StandardCharsets.US_ASCII);
        try (ImpactScorer s = mode == NativeMode.REQUIRED ? new NativeImpactScorer(16, KeywordMatching.SUBSTRING)
            : new JavaImpactScorer(16, KeywordMatching.SUBSTRING))
        {
            double sink = 0;
            for (int i = 0; i < 200_000; i++)
            {
                sink += s.score(i & 15, i, text, text.length, tools, tools.length, 0, 1, 3);
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++)
                {
                    sink += s.score(i & 15, i, text, text.length, tools, tools.length, 0, 1, 3);
                }
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(sink > 0);
            assertTrue((best - SLACK_BYTES) / 100_000.0 < 1.0, s.name() + " scorer allocates per call: " + best + " B");
        }
    }

    private static long run(final MessagePublisher pub, final CountingListener listener, final int recipient, final byte[] payload, final long first,
        final int count)
    {
        final long end = first + count;
        for (long i = first; i < end; i++)
        {
            while (!pub.tryPublish(recipient, MessageType.EVENT, i, payload, 0, payload.length))
            {
                Thread.onSpinWait();
            }
        }
        final long deadline = System.nanoTime() + HANG_GUARD_NS;
        while (listener.delivered.get() + listener.other.get() < end)
        {
            if (System.nanoTime() > deadline)
            {
                fail("hang guard: " + listener.delivered.get() + " of " + end);
            }
            Thread.onSpinWait();
        }
        return end;
    }
}
