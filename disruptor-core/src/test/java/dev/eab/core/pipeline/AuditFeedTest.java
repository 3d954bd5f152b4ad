package dev.eab.core.pipeline;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.eab.api.AgentMessage;
import dev.eab.api.AuditBackpressure;
import dev.eab.api.MessageType;
import dev.eab.core.audit.AuditChainVerifier;
import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditFeed;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditLog;
import dev.eab.core.audit.AuditQueues;
import dev.eab.core.audit.AuditRecord;
import dev.eab.core.audit.Blake3Java;
import dev.eab.core.audit.ChainHasher;
import dev.eab.core.resilience.HealthStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit writer reading a bus ring directly (the folded capture, {@link AuditFeed}) on a real Disruptor ring of
 * {@link MessageEvent}s whose pipeline sequence the test advances as the bus thread would: slots are released only
 * once their batch is committed, other layers' records precede the decisions published after them, a writer that
 * falls behind fills the ring (the bus's backpressure) and reports CRITICAL, and nothing is lost. Bounds are hang
 * bounds, not timings.
 */
final class AuditFeedTest
{
    private static final long HANG_BOUND_MS = 60_000;

    /** A ring and the pipeline sequence the writer follows, with the test in the bus thread's place. */
    private static final class Bus
    {
        final RingBuffer<MessageEvent> ring;
        final Sequence pipeline = new Sequence();
        final AuditFeed feed;

        Bus(final AuditLog log, final int size)
        {
            ring = RingBuffer.createSingleProducer(EventSlots.factory(256), size, new YieldingWaitStrategy());
            ring.addGatingSequences(pipeline);
            feed = new AuditFeed(ring, pipeline, "cdd01ef066bc6cf2", () -> "v7");
            log.attach(feed);
        }

        /** Publishes a message and "processes" it: the outcome kept in the slot, then the pipeline sequence advanced. */
        AgentMessage decide(final String id, final int rejectCode)
        {
            final AgentMessage m = AgentMessage.builder().messageId(id).fromAgent("s").toAgent("r").tenantId("acme")
                .messageType(MessageType.QUERY).content(Map.of("q", "x")).build();
            final long seq = ring.next();
            final MessageEvent e = ring.get(seq);
            e.kind = MessageEvent.KIND_MESSAGE;
            e.message = m;
            e.publishedNanos = System.nanoTime();
            ring.publish(seq);
            e.rejectCode = rejectCode;
            e.captureAudit();
            e.clear();
            pipeline.set(seq);
            return m;
        }
    }

    private static AuditEntry entry(final String traceId)
    {
        return new AuditEntry(AuditKind.REGISTER, 0, AuditEntry.nowNanos(), traceId, "", "s", "acme", "v7", Double.NaN, "register",
            "cdd01ef066bc6cf2", List.of("identity"), Map.of());
    }

    @Test
    void decisionsComeStraightOffTheRingWithTheirFields(@TempDir final Path dir)
    {
        try (AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.BLOCK, 64, 0))
        {
            final Bus bus = new Bus(log, 16);
            for (int i = 0; i < 100; i++)
            {
                bus.decide("m-" + i, i % 4 == 0 ? dev.eab.api.RejectReason.POLICY_DENIED.code() : 0);
            }
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(99, bus.feed.sequence().get(), "every slot released once committed");
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir);
        assertTrue(verified.ok() && verified.anchored(), verified.describe());
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals(100, records.size());
        for (int i = 0; i < 100; i++)
        {
            final AuditEntry e = records.get(i).entry();
            assertEquals("m-" + i, e.traceId());
            assertEquals(i % 4 == 0 ? "reject:policy_denied" : "accept", e.decision());
            assertEquals("v7", e.policyVersion());
            assertEquals("cdd01ef066bc6cf2", e.constitutionalHash());
            assertEquals("r", e.metadata().get("recipient"));
            assertEquals("query", e.metadata().get("message_type"));
        }
    }

    /** A record another layer made before a message was decided precedes that decision, even when both wait for the writer. */
    @Test
    void aRecordMadeBeforeADecisionPrecedesItInTheChain(@TempDir final Path dir)
    {
        try (AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.BLOCK, 64, 0))
        {
            final Bus bus = new Bus(log, 64);
            for (int round = 0; round < 20; round++)
            {
                log.suspendWriter();
                log.record(entry("reg-" + round));
                bus.decide("m-" + round, 0);
                log.resumeWriter();
                assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            }
        }
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals(40, records.size());
        for (int round = 0; round < 20; round++)
        {
            assertEquals("reg-" + round, records.get(2 * round).entry().traceId());
            assertEquals("m-" + round, records.get(2 * round + 1).entry().traceId());
        }
        assertTrue(AuditChainVerifier.verify(dir).ok());
    }

    /** The writer releases the ring slots of a batch only after that batch is in the chain (chained and appended). */
    @Test
    void ringSlotsAreReleasedOnlyOnceTheirBatchIsCommitted(@TempDir final Path dir) throws Exception
    {
        final CountDownLatch hashing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ChainHasher gated = new GatedHasher(hashing, release);
        try (AuditLog log = new AuditLog(dir, gated, AuditBackpressure.BLOCK, 64, 0))
        {
            final Bus bus = new Bus(log, 8);
            for (int i = 0; i < 8; i++)
            {
                bus.decide("m-" + i, 0);
            }
            assertTrue(hashing.await(HANG_BOUND_MS, TimeUnit.MILLISECONDS), "the writer is committing");
            // Every slot is encoded, none is released: the ring is full for the publisher until the commit.
            assertEquals(-1, bus.feed.sequence().get());
            assertFalse(bus.ring.hasAvailableCapacity(1));
            release.countDown();
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(7, bus.feed.sequence().get());
            assertTrue(bus.ring.hasAvailableCapacity(8));
        }
        assertEquals(8, AuditChainVerifier.verify(dir).records());
    }

    /**
     * A stalled writer: the decisions wait in the bus ring itself, the log reports CRITICAL once more than the audit
     * queue wait, the full ring refuses the next publish (the bus's backpressure), and after resuming every decision is
     * in the chain.
     */
    @Test
    void aStalledWriterFillsTheRingReportsCriticalAndLosesNothing(@TempDir final Path dir)
    {
        for (final AuditBackpressure policy : AuditBackpressure.values())
        {
            final Path d = dir.resolve(policy.name());
            try (AuditLog log = new AuditLog(d, new Blake3Java(), policy, 4, 16))
            {
                final Bus bus = new Bus(log, 16);
                assertEquals(HealthStatus.HEALTHY, log.health().status());
                log.suspendWriter();
                for (int i = 0; i < 16; i++)
                {
                    bus.decide("m-" + i, 0);
                }
                assertFalse(bus.ring.hasAvailableCapacity(1), "the ring is full behind the stalled writer: publishers are pushed back");
                assertTrue(log.lagging());
                assertEquals(HealthStatus.CRITICAL, log.health().status());
                assertTrue(log.health().criticalServices().contains("audit"));
                log.resumeWriter();
                assertTrue(log.awaitFlushed(HANG_BOUND_MS));
                await(() -> !log.lagging(), "the log to catch up");
                assertEquals(HealthStatus.HEALTHY, log.health().status());
                assertEquals(16, log.written());
                assertTrue((long)log.metrics().get("bus_lag_episodes") >= 1, log.metrics().toString());
            }
            final AuditChainVerifier.Result r = AuditChainVerifier.verify(d);
            assertTrue(r.ok() && r.records() == 16, r.describe());
        }
    }

    /** Chaos ballast passes the pipeline without an outcome: it makes no record. */
    @Test
    void aSlotWithoutAnOutcomeMakesNoRecord(@TempDir final Path dir)
    {
        try (AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.BLOCK, 64, 0))
        {
            final Bus bus = new Bus(log, 8);
            bus.decide("m-0", 0);
            final long seq = bus.ring.next();
            bus.ring.get(seq).kind = MessageEvent.KIND_BALLAST;
            bus.ring.publish(seq);
            bus.ring.get(seq).kind = 0;
            bus.pipeline.set(seq);
            bus.decide("m-2", 0);
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(2, log.written());
            assertEquals(2, bus.feed.sequence().get());
        }
    }

    /** An idle writer sleeps and the next decision wakes it (the bus thread's end-of-batch call). */
    @Test
    void anIdleWriterSleepsAndIsWokenByTheNextDecision(@TempDir final Path dir)
    {
        try (AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.BLOCK, 64, 0))
        {
            final Bus bus = new Bus(log, 8);
            bus.decide("m-0", 0);
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            final long before = (long)log.metrics().get("writer_wakeups");
            // Idle long enough to go to sleep (200 short parks), then a decision and the bus thread's wake-up.
            await(() -> {
                log.wake();
                return (long)log.metrics().get("writer_wakeups") > before;
            }, "the idle writer to sleep and be woken");
            bus.decide("m-1", 0);
            log.wake();
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(2, log.written());
        }
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.currentTimeMillis() + HANG_BOUND_MS;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** A real hasher whose batch call waits for the test (as a slow disk or a descheduled writer would). */
    private static final class GatedHasher implements ChainHasher
    {
        private final ChainHasher delegate = new Blake3Java();
        private final CountDownLatch hashing;
        private final CountDownLatch release;

        GatedHasher(final CountDownLatch hashing, final CountDownLatch release)
        {
            this.hashing = hashing;
            this.release = release;
        }

        /** The writer's one hashing call (chain version 3): held until the test releases it. */
        @Override
        public void chainBatchV3(final byte[] link, final byte[] buf, final int[] lengths, final int count)
        {
            hashing.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            delegate.chainBatchV3(link, buf, lengths, count);
        }

        @Override
        public void step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
        {
            delegate.step(prev, record, offset, length, out);
        }

        @Override
        public void keyedStep(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
        {
            delegate.keyedStep(prev, record, offset, length, out);
        }

        @Override
        public void hash(final byte[] data, final int offset, final int length, final byte[] out)
        {
            delegate.hash(data, offset, length, out);
        }

        @Override
        public String name()
        {
            return "gated";
        }
    }
}
