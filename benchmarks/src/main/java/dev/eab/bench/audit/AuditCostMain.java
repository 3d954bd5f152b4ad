package dev.eab.bench.audit;

import dev.eab.api.AuditBackpressure;
import dev.eab.core.audit.AuditChainWriter;
import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditLog;
import dev.eab.core.audit.Blake3Java;
import dev.eab.core.audit.Blake3Native;
import dev.eab.core.audit.ChainHasher;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The audit chain's per-record costs measured in <em>thread CPU time</em> ({@code ThreadMXBean}), beside
 * wall time: on a host where other work shares the cores (this VM: 2 vCPUs, load often 10–20), wall-clock
 * JMH scores mostly measure time spent descheduled, while a thread's CPU time per operation stays what the
 * operation costs. Same operations as {@code AuditChainBenchmark} (JMH stays the reference on a quiet
 * machine): chain steps over a 256-byte record (version 1 and 2, Rust and Java), a 256-record batch through
 * one FFM call, the writer's append batched vs one document per record, and the log end to end (a producer
 * through the ring to the writer thread: records/s by wall clock, and the writer thread's CPU per record).
 *
 * <p>Run: {@code java @jvm.options -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)
 * dev.eab.bench.audit.AuditCostMain [rounds]}. Prints one line per operation: median and best of the rounds.
 */
public final class AuditCostMain
{
    private static final int RECORD_BYTES = 256;
    private static final int BATCH = 256;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AuditCostMain()
    {
    }

    private interface Op
    {
        void run(int n) throws Exception;
    }

    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        final byte[] record = new byte[RECORD_BYTES];
        for (int i = 0; i < record.length; i++)
        {
            record[i] = (byte)(i * 31 + 7);
        }
        final byte[] link = new byte[ChainHasher.HASH_LENGTH];
        final ChainHasher rust = new Blake3Native();
        final Blake3Java java = new Blake3Java();
        final byte[] batch = new byte[BATCH * (RECORD_BYTES + ChainHasher.HASH_LENGTH)];
        final int[] lengths = new int[BATCH];
        Arrays.fill(lengths, RECORD_BYTES);
        final AuditEntry entry = new AuditEntry(AuditKind.ACCEPT, 0, AuditEntry.nowNanos(), "4f6c1f5e-3b7a-4c1e-9d2a-0b8e5f7a6c31",
            "9a0b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d", "acme-planner", "acme", "default-1", 0.42, "accept", "cdd01ef066bc6cf2",
            List.of("delivery"), Map.of("recipient", "acme-risk", "message_type", "query"));
        final Path dirA = Files.createTempDirectory("eab-audit-cost-a");
        final Path dirB = Files.createTempDirectory("eab-audit-cost-b");
        final Path dirC = Files.createTempDirectory("eab-audit-cost-c");
        System.out.printf(Locale.ROOT, "audit costs: %d rounds, load %.2f, %d cpus%n", rounds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-44s %14s %14s %14s%n", "operation (per record)", "cpu ns median", "cpu ns best", "wall ns median");
        try (AuditChainWriter batched = new AuditChainWriter(dirA, new Blake3Native());
             AuditChainWriter single = new AuditChainWriter(dirB, new Blake3Native()))
        {
            measure("chain step v1 Rust (prev||record)", rounds, 200_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    rust.step(link, record, 0, RECORD_BYTES, link);
                }
            });
            measure("chain step v1 Java (Bouncy Castle)", rounds, 100_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    java.step(link, record, 0, RECORD_BYTES, link);
                }
            });
            measure("chain step v2 Rust (keyed)", rounds, 200_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    rust.keyedStep(link, record, 0, RECORD_BYTES, link);
                }
            });
            measure("chain step v2 Java (hand-written keyed)", rounds, 100_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    java.keyedStep(link, record, 0, RECORD_BYTES, link);
                }
            });
            measure("chain step v2 Java (Bouncy Castle keyed)", rounds, 100_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    java.keyedReference(link, record, 0, RECORD_BYTES, link);
                }
            });
            measure("chain batch v2 Rust (256 per FFM call)", rounds, 1_000, BATCH, n -> {
                for (int i = 0; i < n; i++)
                {
                    rust.chainBatch(link, batch, lengths, BATCH);
                }
            });
            measure("chain batch v2 Java (256 per call)", rounds, 500, BATCH, n -> {
                for (int i = 0; i < n; i++)
                {
                    java.chainBatch(link, batch, lengths, BATCH);
                }
            });
            measure("writer append, batched (v2)", rounds, 200_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    batched.append(entry);
                }
                batched.commit();
            });
            measure("writer append, one document per record", rounds, 100_000, 1, n -> {
                for (int i = 0; i < n; i++)
                {
                    single.append(entry);
                    single.commit();
                }
            });
        }
        logEndToEnd(dirC, entry, rounds);
        for (final Path d : List.of(dirA, dirB, dirC))
        {
            try (Stream<Path> s = Files.walk(d))
            {
                for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void measure(final String name, final int rounds, final int n, final int perOp, final Op op) throws Exception
    {
        op.run(n);
        op.run(n);
        final double[] cpu = new double[rounds];
        final double[] wall = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            final long c0 = THREADS.getCurrentThreadCpuTime();
            final long w0 = System.nanoTime();
            op.run(n);
            wall[r] = (System.nanoTime() - w0) / (double)n / perOp;
            cpu[r] = (THREADS.getCurrentThreadCpuTime() - c0) / (double)n / perOp;
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        System.out.printf(Locale.ROOT, "%-44s %14.1f %14.1f %14.1f%n", name, cpu[rounds / 2], cpu[0], wall[rounds / 2]);
    }

    /** A producer thread (this one) through the log's ring to its writer thread, BLOCK: the log's throughput. */
    private static void logEndToEnd(final Path dir, final AuditEntry entry, final int rounds) throws Exception
    {
        final int n = 500_000;
        try (AuditLog log = new AuditLog(dir, new Blake3Native(), AuditBackpressure.BLOCK, 65_536, 0))
        {
            long writerId = -1;
            for (final Thread t : Thread.getAllStackTraces().keySet())
            {
                if (t.getName().equals("eab-audit"))
                {
                    writerId = t.threadId();
                }
            }
            final double[] rate = new double[rounds];
            final double[] writerCpu = new double[rounds];
            for (int r = -1; r < rounds; r++)
            {
                final long c0 = THREADS.getThreadCpuTime(writerId);
                final long w0 = System.nanoTime();
                for (int i = 0; i < n; i++)
                {
                    log.record(entry);
                }
                if (!log.awaitFlushed(120_000))
                {
                    throw new IllegalStateException("audit log did not flush: " + log.metrics());
                }
                final long wall = System.nanoTime() - w0;
                if (r >= 0)
                {
                    rate[r] = n * 1e9 / wall;
                    writerCpu[r] = (THREADS.getThreadCpuTime(writerId) - c0) / (double)n;
                }
            }
            Arrays.sort(rate);
            Arrays.sort(writerCpu);
            System.out.printf(Locale.ROOT, "%-44s %14.1f %14.1f %14s%n", "log end to end: writer thread cpu", writerCpu[rounds / 2], writerCpu[0], "-");
            System.out.printf(Locale.ROOT, "log end to end (producer -> ring -> writer, flushed): %.0f records/s median, %.0f best (wall clock)%n",
                rate[rounds / 2], rate[rounds - 1]);
            System.out.printf(Locale.ROOT, "  writer-bound capacity (1e9 / writer cpu ns per record): %.0f records/s median%n", 1e9 / writerCpu[rounds / 2]);
        }
    }
}
