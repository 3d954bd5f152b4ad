package dev.eab.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.guard.GuardrailFamily;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.JavaContentScanner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The zero-allocation path allocates nothing in steady state: a publisher thread using
 * {@code tryPublish}, the bus thread validating (native, or the Java twin), timing every stage into
 * HdrHistogram recorders, and delivering to an INLINE handler that does not allocate, with an outcome
 * listener that does not allocate, with the content scanner (Rust, or the Java twin) on the path. Measured
 * with {@code ThreadMXBean#getThreadAllocatedBytes} on both threads after a warm-up; and the Java scanner
 * alone on benign and attack text.
 */
class AllocationTest
{
    private static final int WARM_UP_MESSAGES = 200_000;
    private static final int MEASURED_MESSAGES = 100_000;
    private static final int ROUNDS = 3;
    /** Passes over the scanner texts before measuring (enough for C2 to compile the scan). */
    private static final int SCANNER_WARM_UP_ROUNDS = 3_000;
    /** Passes over the scanner texts per measured round. */
    private static final int SCANNER_MEASURED_ROUNDS = 2_000;
    /**
     * Constant allowance per thread per round, independent of the message count. Steady state means
     * compiled code; a measurement round can still catch one-off events that are not per-message costs:
     * a late JIT (re)compilation or deoptimisation of a rarely taken branch (the interpreter frame and
     * uncommon-trap handling may allocate a few hundred bytes), the first contended update of a
     * {@code LongAdder} (one {@code Cell[]}), and the {@code ThreadMXBean} call itself. A few KB covers
     * them; any per-message allocation, even 1 byte, is 100 KB over a round and fails.
     */
    private static final long SLACK_BYTES = 8 * 1024;

    private static com.sun.management.ThreadMXBean threads;
    private EnhancedAgentBus bus;

    @BeforeAll
    static void enableAllocationCounting()
    {
        threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assumeSupported();
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    private static void assumeSupported()
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
    }

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    /** Does not allocate: primitive fields only, written on the bus thread. */
    private static final class CountingListener implements OutcomeListener
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        @Override public void onDelivered(final long correlationId, final int recipientHandle) { delivered.lazySet(delivered.get() + 1); }
        @Override public void onRejected(final long correlationId, final RejectReason reason) { rejected.incrementAndGet(); }
        @Override public void onHandlerFailed(final long correlationId, final Throwable error) { failed.incrementAndGet(); }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void flyweightPathAllocatesNothingInSteadyState(final NativeMode mode)
    {
        assertSteadyStateAllocatesNothing(mode, null, false);
    }

    /**
     * Governed: MACI on in strict mode, both agents with roles, so every message goes through the role bytes, the
     * compiled MACI tables (Rust or the twin) and the provenance store (each accepted message recorded under its
     * correlation id; the measured rounds run past the store's bound, so its FIFO eviction is on the path too).
     */
    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void governedFlyweightPathAllocatesNothingInSteadyState(final NativeMode mode)
    {
        assertSteadyStateAllocatesNothing(mode, null, true);
        final java.util.Map<?, ?> maci = (java.util.Map<?, ?>)bus.getMetrics().get("maci");
        assertEquals(true, maci.get("enabled"));
        assertTrue((Long)maci.get("outputs_evicted") > 0, "the bound was reached: " + maci);
        assertEquals("exec", bus.maci().producerOf(Long.toString(WARM_UP_MESSAGES + (long)ROUNDS * MEASURED_MESSAGES - 1)));
    }

    /** The write-ahead journal is on the same path: the append into Chronicle's mapped file must not allocate. */
    @Test
    void journaledFlyweightPathAllocatesNothingInSteadyState(@TempDir final Path journalDir)
    {
        assertSteadyStateAllocatesNothing(NativeMode.REQUIRED, journalDir, false);
        assertTrue(bus.getMetrics().get("journal").toString().contains("enabled=true"));
    }

    /**
     * SYNC_PER_BATCH holds each batch's routing until its msync (PipelineHandler's held events in preallocated
     * arrays): the hold, the msync and the deferred routing allocate nothing either.
     */
    @Test
    void syncPerBatchJournaledFlyweightPathAllocatesNothingInSteadyState(@TempDir final Path journalDir)
    {
        flush = dev.eab.api.JournalFlush.SYNC_PER_BATCH;
        assertSteadyStateAllocatesNothing(NativeMode.REQUIRED, journalDir, false);
        assertTrue(bus.journal().syncs() > 0, "msyncs happened");
        assertEquals(bus.journal().syncedAccepted(), bus.metrics().delivered(), "every delivered message was msynced first");
    }

    /**
     * The audit chain on: the bus thread only keeps each outcome in its slot (and wakes an idle writer); the audit
     * writer reads the ring behind it, encodes straight from the slots, chains and appends in batches. Bus and
     * publisher threads allocate nothing per message; the writer less than
     * {@value #WRITER_BYTES_PER_RECORD_BOUND} B per record (a batch's FFM segments, amortised).
     */
    @Test
    void auditedFlyweightPathAllocatesNothingOnTheBusThread(@TempDir final Path auditDir)
    {
        assertSteadyStateAllocatesNothing(NativeMode.REQUIRED, null, false, auditDir);
        assertTrue(bus.getMetrics().get("audit").toString().contains("enabled=true"));
        assertTrue(bus.auditLog().awaitFlushed(60_000));
        assertTrue(bus.auditLog().written() >= WARM_UP_MESSAGES + (long)ROUNDS * MEASURED_MESSAGES, bus.getMetrics().get("audit").toString());
    }

    /** The audit writer's bound per record: per-batch costs only (a batch holds up to 256 records). */
    private static final double WRITER_BYTES_PER_RECORD_BOUND = 4.0;

    private static long threadId(final String name)
    {
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().equals(name))
            {
                return t.threadId();
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    /** The journal's flush policy for the next bus, or null for the configuration's own. */
    private dev.eab.api.JournalFlush flush;

    private void assertSteadyStateAllocatesNothing(final NativeMode mode, final Path journalDir, final boolean maci)
    {
        assertSteadyStateAllocatesNothing(mode, journalDir, maci, null);
    }

    private void assertSteadyStateAllocatesNothing(final NativeMode mode, final Path journalDir, final boolean maci, final Path auditDir)
    {
        // Stage latency recording stays on: the HdrHistogram recorders must not allocate either. The content
        // scanner is on the path in both modes (Rust, or the Java twin) and must not allocate either.
        final var builder = config(mode).ringSize(4096).stageLatencyMetrics(true).contentScanning(true).journalDir(journalDir)
            .enableMaci(maci).maciStrictMode(true).maciTypeAction(MessageType.EVENT, dev.eab.api.MaciAction.QUERY)
            .maciOutputCapacity(100_000).auditDir(auditDir);
        if (flush != null)
        {
            builder.journalOptions(dev.eab.api.JournalOptions.DEFAULTS.withPretouch(false).withFlush(flush));
        }
        bus = started(builder.build());
        bus.registerAgent(maci ? "exec" : "s", "worker", Set.of(), "acme", maci ? dev.eab.api.MaciRole.EXECUTIVE : null);
        final int recipient = bus.registerAgent("r", "worker", Set.of(), "acme", maci ? dev.eab.api.MaciRole.IMPLEMENTER : null).handle();
        final long[] sink = new long[1];
        final long[] busThreadId = {-1};
        final String[] busThreadName = new String[1];
        bus.subscribe("r", v -> {
            if (busThreadId[0] < 0)
            {
                busThreadId[0] = Thread.currentThread().threadId();
                busThreadName[0] = Thread.currentThread().getName();
            }
            sink[0] += v.payloadByte(0) + v.payloadLength() + v.correlationId() + v.senderHandle() + v.messageType().ordinal();
        }, DeliveryMode.INLINE);
        final CountingListener listener = new CountingListener();
        final MessagePublisher pub = bus.publisher(maci ? "exec" : "s", listener);
        final byte[] payload = new byte[32];
        payload[0] = 7;

        long sent = run(pub, listener, recipient, payload, 0, WARM_UP_MESSAGES);
        assertEquals("eab-bus", busThreadName[0], "the inline handler runs on the bus thread");
        final long busId = busThreadId[0];
        assertTrue(threads.getThreadAllocatedBytes(busId) >= 0, "bus thread alive and measurable");

        long bestBus = Long.MAX_VALUE;
        long bestPublisher = Long.MAX_VALUE;
        long bestWriter = Long.MAX_VALUE;
        final long writerId = auditDir == null ? -1 : threadId("eab-audit");
        final StringBuilder report = new StringBuilder();
        for (int round = 0; round < ROUNDS; round++)
        {
            final long busBefore = threads.getThreadAllocatedBytes(busId);
            final long pubBefore = threads.getCurrentThreadAllocatedBytes();
            final long writerBefore = writerId < 0 ? 0 : threads.getThreadAllocatedBytes(writerId);
            sent = run(pub, listener, recipient, payload, sent, MEASURED_MESSAGES);
            final long pubBytes = threads.getCurrentThreadAllocatedBytes() - pubBefore;
            final long busBytes = threads.getThreadAllocatedBytes(busId) - busBefore;
            bestBus = Math.min(bestBus, busBytes);
            bestPublisher = Math.min(bestPublisher, pubBytes);
            report.append(String.format("round %d: bus thread %d B (%.4f B/msg), publisher thread %d B (%.4f B/msg)%n",
                round, busBytes, busBytes / (double)MEASURED_MESSAGES, pubBytes, pubBytes / (double)MEASURED_MESSAGES));
            if (auditDir != null)
            {
                final long writerBytes = threads.getThreadAllocatedBytes(writerId) - writerBefore;
                bestWriter = Math.min(bestWriter, writerBytes);
                report.append(String.format("         audit writer thread %d B (%.4f B/record)%n", writerBytes, writerBytes / (double)MEASURED_MESSAGES));
            }
        }
        System.out.printf("AllocationTest[%s, validator=%s, journal=%s, maci=%s] %d messages per round after %d warm-up:%n%s", mode,
            bus.validator().name(), journalDir == null ? "off" : "on", maci,
            MEASURED_MESSAGES, WARM_UP_MESSAGES, report);

        assertEquals(0, listener.rejected.get());
        assertEquals(0, listener.failed.get());
        assertEquals(sent, listener.delivered.get());
        assertEquals(sent, bus.metrics().delivered());
        assertNotEquals(0, sink[0]);
        assertEquals(mode == NativeMode.REQUIRED ? "native" : "java", bus.validator().name());
        assertEquals(mode == NativeMode.REQUIRED ? "native" : "java", bus.contentScanner().name(), "the scanner on the measured path");
        assertTrue((bestBus - SLACK_BYTES) / (double)MEASURED_MESSAGES < 1.0, "bus thread allocates per message:\n" + report);
        assertTrue((bestPublisher - SLACK_BYTES) / (double)MEASURED_MESSAGES < 1.0, "publisher thread allocates per message:\n" + report);
        if (auditDir != null)
        {
            assertTrue((bestWriter - SLACK_BYTES) / (double)MEASURED_MESSAGES < WRITER_BYTES_PER_RECORD_BOUND,
                "audit writer allocates per record:\n" + report);
        }
    }

    /**
     * A paced sender (one message every 200 µs) on the default PHASED bus: the wait strategy learns the cadence
     * ({@code CadenceLearner}), parks on a timer until just before each message, runs one warm-up probe as the window
     * opens and spins for the message; none of that, nor the timer-slack call on the first park, allocates on the
     * bus thread once warm. 200 µs is under the 250 µs idle tick, so without the cadence no probe would run at all.
     */
    @Test
    void pacedSenderOnThePhasedBusAllocatesNothingOnTheBusThread()
    {
        bus = started(config(NativeMode.REQUIRED).idleStrategy(dev.eab.api.IdleStrategy.PHASED).ringSize(4096).contentScanning(true).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        final int recipient = bus.registerAgent("r", "worker", Set.of(), "acme", null).handle();
        final long[] busThreadId = {-1};
        bus.subscribe("r", v -> busThreadId[0] = Thread.currentThread().threadId(), DeliveryMode.INLINE);
        final CountingListener listener = new CountingListener();
        final MessagePublisher pub = bus.publisher("s", listener);
        final byte[] payload = new byte[32];
        final int perRound = 1_000;
        long sent = runPaced(pub, listener, recipient, payload, 0, 3 * perRound, 200_000);
        final long busId = busThreadId[0];
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long before = threads.getThreadAllocatedBytes(busId);
            sent = runPaced(pub, listener, recipient, payload, sent, perRound, 200_000);
            best = Math.min(best, threads.getThreadAllocatedBytes(busId) - before);
        }
        assertEquals(sent, listener.delivered.get());
        assertEquals(0, listener.rejected.get());
        assertTrue(best < SLACK_BYTES, "the paced PHASED bus thread allocated " + best + " B over " + perRound + " messages");
    }

    /** Sends {@code count} messages one every {@code periodNanos} (a timed park to ~50 µs before each, then a spin). */
    private static long runPaced(
        final MessagePublisher pub, final CountingListener listener, final int recipient, final byte[] payload, final long first,
        final int count, final long periodNanos)
    {
        long next = System.nanoTime() + periodNanos;
        for (long i = first; i < first + count; i++)
        {
            final long early = next - System.nanoTime() - 50_000;
            if (early > 0)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(early);
            }
            while (System.nanoTime() < next)
            {
                Thread.onSpinWait();
            }
            while (!pub.tryPublish(recipient, MessageType.EVENT, i, payload, 0, payload.length))
            {
                Thread.onSpinWait();
            }
            next += periodNanos;
        }
        final long end = first + count;
        final long deadline = System.nanoTime() + HANG_GUARD_S * 1_000_000_000L;
        while (listener.delivered.get() + listener.rejected.get() + listener.failed.get() < end)
        {
            if (System.nanoTime() > deadline)
            {
                fail("hang guard: " + listener.delivered.get() + " of " + end + " delivered");
            }
            Thread.onSpinWait();
        }
        return end;
    }

    /**
     * The idle warm-up (the probe an idle bus thread runs through every stage each few hundred µs) allocates
     * nothing either: driven here on the test thread through {@code PipelineHandler.onTimeout}, as the wait
     * strategy's tick does on the bus thread, with the native validator and the native scanner.
     */
    @org.junit.jupiter.api.Test
    void idleWarmUpAllocatesNothing()
    {
        final long[] sink = new long[1];
        try (dev.eab.core.pipeline.PipelineFixture f = new dev.eab.core.pipeline.PipelineFixture(true, dev.eab.api.RateLimit.UNLIMITED,
            v -> sink[0] += v.payloadLength()))
        {
            f.deliver(dev.eab.core.pipeline.PipelineFixture.slot(), 1, new byte[] {'h', 'i'}, null);
            for (int i = 0; i < WARM_UP_MESSAGES; i++)
            {
                f.handler.onTimeout(0);
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED_MESSAGES; i++)
                {
                    f.handler.onTimeout(0);
                }
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertEquals(WARM_UP_MESSAGES + (long)ROUNDS * MEASURED_MESSAGES, f.handler.warmer().runs());
            assertEquals(2, sink[0], "only the real message was delivered");
            assertTrue((best - SLACK_BYTES) / (double)MEASURED_MESSAGES < 1.0, "the warm-up allocates: " + best + " B per "
                + MEASURED_MESSAGES + " probes");
        }
    }

    /**
     * The Java scanner alone, on the calling thread: benign text and text that matches every kind of
     * family (so the regex engine runs, not only the literal pass) allocate nothing once warm. ASCII texts:
     * non-ASCII text goes through {@link java.text.Normalizer}, which allocates (documented on
     * {@link JavaContentScanner}).
     */
    @org.junit.jupiter.api.Test
    void javaScannerAllocatesNothingOnBenignOrAttackText()
    {
        final JavaContentScanner scanner = JavaContentScanner.withDefaults();
        final GuardrailPatterns patterns = scanner.patterns();
        final java.util.List<byte[]> texts = new java.util.ArrayList<>();
        texts.add(("Please reconcile the Globex ledger against the November bank statement; see "
            + "https://docs.example.com/api/v2/orders?status=open&limit=50 and src/main/java/Foo.java:118.").getBytes(StandardCharsets.US_ASCII));
        for (final GuardrailFamily f : patterns.families())
        {
            for (final String example : f.examples())
            {
                if (StandardCharsets.US_ASCII.newEncoder().canEncode(example))
                {
                    texts.add(("Quarterly numbers attached. " + example + " Thanks.").getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        long matched = 0;
        for (int i = 0; i < SCANNER_WARM_UP_ROUNDS; i++)
        {
            matched += scanAll(scanner, texts);
        }
        assertTrue(matched > 0, "the attack texts must match");
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < SCANNER_MEASURED_ROUNDS; i++)
            {
                matched += scanAll(scanner, texts);
            }
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        final long scans = (long)SCANNER_MEASURED_ROUNDS * texts.size();
        System.out.printf("AllocationTest[java scanner] %d texts, best round %d B over %d scans%n", texts.size(), best, scans);
        assertTrue((best - SLACK_BYTES) / (double)scans < 1.0, "the Java scanner allocates per scan: " + best + " B over " + scans + " scans");
    }

    private static long scanAll(final JavaContentScanner scanner, final java.util.List<byte[]> texts)
    {
        long mask = 0;
        for (final byte[] t : texts)
        {
            mask |= scanner.scan(t, 0, t.length);
        }
        return Long.bitCount(mask);
    }

    /** Publishes {@code count} messages and waits (spinning, allocation-free) until all are delivered. */
    private static long run(
        final MessagePublisher pub, final CountingListener listener, final int recipient, final byte[] payload, final long first,
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
        final long deadline = System.nanoTime() + HANG_GUARD_S * 1_000_000_000L;
        while (listener.delivered.get() + listener.rejected.get() + listener.failed.get() < end)
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
