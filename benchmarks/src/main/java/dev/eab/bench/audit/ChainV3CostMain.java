package dev.eab.bench.audit;

import dev.eab.core.audit.Blake3Java;
import dev.eab.core.audit.Blake3Native;
import dev.eab.core.audit.ChainHasher;
import dev.eab.core.audit.Stop10JavaChainV3;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Chain version 3 against version 2, per 256-byte record, in <em>thread CPU time</em> (as {@link AuditCostMain}:
 * on the shared dev VM JMH's wall-clock scores are mostly time descheduled). Batches of 64, 16 and 1 records,
 * Rust (one FFM call per batch) and Java (and stop 10's Java batch, {@link Stop10JavaChainV3}), every row in the
 * same JVM and run, so the ratios are the result.
 *
 * <p>{@code java @jvm.options -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt):disruptor-core/target/cli-lib/*"
 * dev.eab.bench.audit.ChainV3CostMain [rounds]}
 */
public final class ChainV3CostMain
{
    private static final int RECORD_BYTES = 256;
    private static final int MAX_BATCH = 64;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private ChainV3CostMain()
    {
    }

    /** One chaining call over {@code count} records. */
    private interface Chain
    {
        void run(byte[] link, byte[] buf, int[] lengths, int count);
    }

    public static void main(final String[] args)
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        final byte[] batch = new byte[MAX_BATCH * (RECORD_BYTES + ChainHasher.HASH_LENGTH)];
        for (int i = 0; i < batch.length; i++)
        {
            batch[i] = (byte)(i * 31 + 7);
        }
        final int[] lengths = new int[MAX_BATCH];
        Arrays.fill(lengths, RECORD_BYTES);
        final ChainHasher rust = new Blake3Native();
        final ChainHasher java = new Blake3Java();
        final Stop10JavaChainV3 javaStop10 = new Stop10JavaChainV3();
        System.out.printf(Locale.ROOT, "chain v3 vs v2: %d rounds, load %.2f, %d cpus, 256-byte records%n", rounds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-40s %14s %14s %14s%n", "operation (per record)", "cpu ns median", "cpu ns best", "wall ns median");
        for (final int count : new int[] {64, 16, 1})
        {
            measure("v3 Rust, batch of " + count, rounds, count, batch, lengths, rust::chainBatchV3);
            measure("v2 Rust, batch of " + count, rounds, count, batch, lengths, rust::chainBatch);
            measure("v3 Java, batch of " + count, rounds, count, batch, lengths, java::chainBatchV3);
            measure("v3 Java stop 10, batch of " + count, rounds, count, batch, lengths, javaStop10::chainBatchV3);
            measure("v2 Java, batch of " + count, rounds, count, batch, lengths, java::chainBatch);
        }
    }

    private static void measure(final String name, final int rounds, final int count, final byte[] batch, final int[] lengths, final Chain chain)
    {
        final byte[] link = new byte[ChainHasher.HASH_LENGTH];
        // 400,000 records per round however the batch is cut, so every row gets the same warm-up and C2 has compiled it.
        final int calls = 400_000 / count;
        for (int w = 0; w < 3; w++)
        {
            for (int i = 0; i < calls; i++)
            {
                chain.run(link, batch, lengths, count);
            }
        }
        final double[] cpu = new double[rounds];
        final double[] wall = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            final long c0 = THREADS.getCurrentThreadCpuTime();
            final long w0 = System.nanoTime();
            for (int i = 0; i < calls; i++)
            {
                chain.run(link, batch, lengths, count);
            }
            wall[r] = (System.nanoTime() - w0) / (double)calls / count;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / (double)calls / count;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-40s %14.1f %14.1f %14.1f%n", name, cpu[rounds / 2], cpu[0], wall[rounds / 2]);
    }
}
