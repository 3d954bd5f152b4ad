package dev.eab.core.audit;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The Java chain-v3 pieces against stop 10's, <em>alternating</em> in short rounds inside one JVM, in thread CPU
 * time per 256-byte record: on the shared 2-vCPU dev VM a whole JVM run is often 2× slower than the next (the
 * other tenant), so separate runs cannot compare a few per cent; rounds interleaved in one process can. Prints the
 * minimum, 25th percentile and median of each row. In the benchmarks module, in the audit package, because the
 * lanes and the link are package-private.
 *
 * <p>{@code java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"
 * dev.eab.core.audit.ChainV3AlternatingCostMain [records per call: 64] [rounds: 40]}
 */
public final class ChainV3AlternatingCostMain
{
    private static final int RECORD_BYTES = 256;
    private static final int MAX_RECORDS = 64;
    private static final int RECORDS_PER_ROUND = 40_000;
    private static final int WARM_UP_ROUNDS = 30;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private ChainV3AlternatingCostMain()
    {
    }

    public static void main(final String[] args)
    {
        final int n = args.length > 0 ? Integer.parseInt(args[0]) : MAX_RECORDS;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        final byte[] buf = new byte[MAX_RECORDS * (RECORD_BYTES + ChainHasher.HASH_LENGTH)];
        for (int i = 0; i < buf.length; i++)
        {
            buf[i] = (byte)(i * 31 + 7);
        }
        final int[] offsets = new int[MAX_RECORDS];
        final int[] lengths = new int[MAX_RECORDS];
        for (int i = 0; i < MAX_RECORDS; i++)
        {
            offsets[i] = i * (RECORD_BYTES + ChainHasher.HASH_LENGTH);
            lengths[i] = RECORD_BYTES;
        }
        final byte[] out = new byte[MAX_RECORDS * ChainHasher.HASH_LENGTH];
        final byte[] link = new byte[ChainHasher.HASH_LENGTH];
        final Stop10Blake3Lanes oldLanes = new Stop10Blake3Lanes(n);
        final Blake3Lanes lanes = new Blake3Lanes(n);
        final Stop10JavaChainV3 oldBatch = new Stop10JavaChainV3();
        final Blake3Java batch = new Blake3Java();
        final String[] names = {"leaves, stop 10", "leaves, now", "batch, stop 10", "batch, now", "links only"};
        final Runnable[] rows = {
            () -> oldLanes.hash(buf, offsets, lengths, 0, n, out, 0),
            () -> lanes.hash(buf, offsets, lengths, 0, n, out, 0),
            () -> oldBatch.chainBatchV3(link, buf, lengths, n),
            () -> batch.chainBatchV3(link, buf, lengths, n),
            () ->
            {
                for (int j = 0; j < n; j++)
                {
                    Blake3Link.link(link, 0, out, j * ChainHasher.HASH_LENGTH, link, 0);
                }
            },
        };
        final int calls = RECORDS_PER_ROUND / n;
        for (int w = 0; w < WARM_UP_ROUNDS; w++)
        {
            for (final Runnable row : rows)
            {
                for (int i = 0; i < calls; i++)
                {
                    row.run();
                }
            }
        }
        final double[][] ns = new double[rows.length][rounds];
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < rows.length; k++)
            {
                // Rotate the order each round, so no row always runs after the same one.
                final int row = (k + round) % rows.length;
                final long c0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < calls; i++)
                {
                    rows[row].run();
                }
                ns[row][round] = (THREADS.getCurrentThreadCpuTime() - c0) / (double)calls / n;
            }
        }
        System.out.printf(Locale.ROOT, "chain v3 Java, %d records of %d B per call, %d alternating rounds, load %.2f%n", n, RECORD_BYTES,
            rounds, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(Locale.ROOT, "%-18s %10s %10s %10s%n", "cpu ns per record", "min", "p25", "median");
        for (int k = 0; k < rows.length; k++)
        {
            Arrays.sort(ns[k]);
            System.out.printf(Locale.ROOT, "%-18s %10.1f %10.1f %10.1f%n", names[k], ns[k][0], ns[k][rounds / 4], ns[k][rounds / 2]);
        }
    }
}
