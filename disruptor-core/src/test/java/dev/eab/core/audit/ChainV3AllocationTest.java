package dev.eab.core.audit;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java version-3 batch ({@link Blake3Java#chainBatchV3}, the audit writer's fallback chain) allocates nothing
 * per batch once warm, in every shape its leaves take: batches of 1..70 single-chunk records (one by one, the
 * 16-lane and 64-lane widths, partial groups, records ending at different blocks) measured with the thread's
 * allocated-bytes counter, as {@code AllocationTest} does for the bus.
 */
final class ChainV3AllocationTest
{
    private static final int WARM_UP_ROUNDS = 2_000;
    private static final int MEASURED_ROUNDS = 500;
    /** Bytes a measurement may see from the JVM itself (TLAB bookkeeping), whatever the number of batches. */
    private static final long SLACK_BYTES = 1024;

    @Test
    void noAllocationPerBatchOfAnySize()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final SplittableRandom random = new SplittableRandom(11);
        final int maxRecords = 70;
        final int[][] lengths = new int[maxRecords + 1][];
        final byte[][] batches = new byte[maxRecords + 1][];
        for (int size = 1; size <= maxRecords; size++)
        {
            lengths[size] = new int[size];
            int total = 0;
            for (int i = 0; i < size; i++)
            {
                lengths[size][i] = random.nextInt(1_025);
                total += lengths[size][i] + ChainHasher.HASH_LENGTH;
            }
            batches[size] = new byte[total];
            random.nextBytes(batches[size]);
        }
        final Blake3Java java = new Blake3Java();
        final byte[] link = new byte[ChainHasher.HASH_LENGTH];
        for (int i = 0; i < WARM_UP_ROUNDS; i++)
        {
            final int size = 1 + i % maxRecords;
            java.chainBatchV3(link, batches[size], lengths[size], size);
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED_ROUNDS; i++)
            {
                final int size = 1 + i % maxRecords;
                java.chainBatchV3(link, batches[size], lengths[size], size);
            }
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        System.out.printf("ChainV3AllocationTest: best round %d B over %d batches%n", best, MEASURED_ROUNDS);
        // Under one byte per batch once the slack is taken off: a batch that allocated would cost 16 B at least.
        assertTrue(best - SLACK_BYTES < MEASURED_ROUNDS, best + " B over " + MEASURED_ROUNDS + " batches");
    }
}
