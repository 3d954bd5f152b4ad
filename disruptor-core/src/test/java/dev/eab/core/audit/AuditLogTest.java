package dev.eab.core.audit;

import dev.eab.api.AuditBackpressure;
import dev.eab.core.resilience.HealthStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit writer behind a deliberately slow or stalled sink: BLOCK makes producers wait, OVERFLOW absorbs
 * records while reporting CRITICAL, a full overflow waits; in every case each record reaches the chain and
 * the chain verifies. Bounds here are hang bounds, not timings.
 */
final class AuditLogTest
{
    private static final long HANG_BOUND_MS = 60_000;

    /** A real hasher made slow: each chain step also sleeps, as a slow disk or a loaded host would. */
    static final class SlowHasher implements ChainHasher
    {
        private final ChainHasher delegate = new Blake3Java();
        final AtomicInteger steps = new AtomicInteger();

        @Override
        public void step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
        {
            delegate.step(prev, record, offset, length, out);
        }

        @Override
        public void keyedStep(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
        {
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            steps.incrementAndGet();
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
            return "slow";
        }
    }

    @Test
    void blockMakesProducersWaitAndLosesNothing(@TempDir final Path dir)
    {
        final SlowHasher slow = new SlowHasher();
        try (AuditLog log = new AuditLog(dir, slow, AuditBackpressure.BLOCK, 4, 1_000))
        {
            for (int i = 0; i < 60; i++)
            {
                log.record(AuditChainTest.entry(i));
            }
            assertTrue((long)log.metrics().get("producer_waits") > 0, "a producer waited for the slow sink: " + log.metrics());
            assertEquals(0L, log.metrics().get("overflowed"), "BLOCK never overflows");
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(60, log.written());
        }
        assertEquals(60, slow.steps.get());
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir);
        assertTrue(r.ok(), r.describe());
        assertEquals(60, r.records());
    }

    @Test
    void overflowAbsorbsAStalledWriterAndReportsCritical(@TempDir final Path dir)
    {
        try (AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.OVERFLOW, 4, 100))
        {
            log.suspendWriter();
            for (int i = 0; i < 50; i++)
            {
                log.record(AuditChainTest.entry(i));
            }
            assertEquals(0L, log.metrics().get("producer_waits"), "nobody waited: the overflow took them");
            assertTrue((long)log.metrics().get("overflowed") > 0);
            assertTrue(log.lagging());
            assertEquals(HealthStatus.CRITICAL, log.health().status());
            assertTrue(log.health().criticalServices().contains("audit"));
            log.resumeWriter();
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(50, log.written());
            assertFalse(log.lagging());
            assertEquals(HealthStatus.HEALTHY, log.health().status());
        }
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir);
        assertTrue(r.ok(), r.describe());
        assertEquals(50, r.records());
    }

    @Test
    void aFullOverflowWaitsInsteadOfDropping(@TempDir final Path dir) throws Exception
    {
        try (AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.OVERFLOW, 2, 3))
        {
            log.suspendWriter();
            final Thread producer = new Thread(() -> {
                for (int i = 0; i < 10; i++)
                {
                    log.record(AuditChainTest.entry(i));
                }
            });
            producer.start();
            final long deadline = System.currentTimeMillis() + HANG_BOUND_MS;
            while ((long)log.metrics().get("producer_waits") == 0 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            assertEquals(1L, log.metrics().get("producer_waits"), "the producer waits once queue and overflow are full");
            assertTrue(producer.isAlive());
            log.resumeWriter();
            producer.join(HANG_BOUND_MS);
            assertFalse(producer.isAlive());
            assertTrue(log.awaitFlushed(HANG_BOUND_MS));
            assertEquals(10, log.written());
        }
        assertTrue(AuditChainVerifier.verify(dir).ok());
    }

    @Test
    void aRecordAfterCloseIsRefusedNotLost(@TempDir final Path dir)
    {
        final AuditLog log = new AuditLog(dir, new Blake3Java(), AuditBackpressure.BLOCK, 4, 0);
        log.record(AuditChainTest.entry(0));
        log.close();
        assertThrows(IllegalStateException.class, () -> log.record(AuditChainTest.entry(1)));
        final AuditChainVerifier.Result r = AuditChainVerifier.verify(dir);
        assertTrue(r.ok() && r.records() == 1 && r.anchored(), r.describe());
    }

    /**
     * A producer waiting on a full ring is released with an exception when the writer fails (here: its hasher
     * throws, as a failing native call would), instead of waiting forever; health is CRITICAL and the failure
     * is in the metrics. Records already handed over are not silently dropped: the writer refuses everything after.
     */
    @Test
    void aWriterThatFailsReleasesWaitingProducersWithAnException(@TempDir final Path dir) throws Exception
    {
        final ChainHasher java = new Blake3Java();
        final ChainHasher failing = new ChainHasher()
        {
            @Override
            public void step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
            {
                java.step(prev, record, offset, length, out);
            }

            @Override
            public void keyedStep(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
            {
                throw new IllegalStateException("eab_audit_chain_keyed returned -2");
            }

            @Override
            public void hash(final byte[] data, final int offset, final int length, final byte[] out)
            {
                java.hash(data, offset, length, out);
            }

            @Override
            public String name()
            {
                return "failing";
            }
        };
        try (AuditLog log = new AuditLog(dir, failing, AuditBackpressure.BLOCK, 2, 0))
        {
            log.suspendWriter();
            log.record(AuditChainTest.entry(0));
            log.record(AuditChainTest.entry(1));
            final java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            final Thread producer = new Thread(() -> {
                try
                {
                    log.record(AuditChainTest.entry(2));
                }
                catch (final Throwable t)
                {
                    thrown.set(t);
                }
            });
            producer.start();
            final long deadline = System.currentTimeMillis() + HANG_BOUND_MS;
            while ((long)log.metrics().get("producer_waits") == 0 && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(1);
            }
            assertTrue(producer.isAlive(), "the producer waits on the full ring");
            log.resumeWriter();
            producer.join(HANG_BOUND_MS);
            assertFalse(producer.isAlive(), "released, not left waiting");
            // The failing batch's poll frees its slots a moment before the failure is known: a producer may take one
            // of them (its record is then behind a failed writer, which health reports as CRITICAL below) instead of
            // being refused. What must never happen is a producer left waiting, or a refusal that hides the cause.
            if (thrown.get() != null)
            {
                assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
                assertTrue(thrown.get().getMessage().contains("failed"), thrown.get().getMessage());
            }
            // The producer may be released by a freed slot before the writer thread records its failure (the
            // hashing of the batch runs first): wait for it, bounded.
            final long failedBy = System.currentTimeMillis() + HANG_BOUND_MS;
            while (String.valueOf(log.metrics().get("failure")).isEmpty() && System.currentTimeMillis() < failedBy)
            {
                Thread.sleep(1);
            }
            assertEquals(HealthStatus.CRITICAL, log.health().status());
            assertTrue(String.valueOf(log.metrics().get("failure")).contains("-2"), log.metrics().toString());
            assertThrows(IllegalStateException.class, () -> log.record(AuditChainTest.entry(3)));
        }
    }
}
