package dev.eab.bench;

import dev.eab.api.JournalOptions;
import dev.eab.api.JournalRollCycle;
import dev.eab.core.journal.JournalRecordDescriptor;
import dev.eab.core.journal.MessageJournal;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The bus thread's journal cost per accepted zero-allocation message (64-byte payload) in <b>thread CPU time</b>,
 * best of several rounds, the layouts alternated in one JVM (a loaded machine distorts this less than a wall-clock
 * average: a descheduled thread stops its CPU clock; page faults on fresh queue pages are the thread's own system
 * time and count). Same operations as {@code JournalAppendBenchmark}:
 * <ul>
 *   <li>{@code batched-64}: {@link MessageJournal#appendFlyweight} into one BATCH document per 64 records (a ring
 *   batch under load), closed by {@link MessageJournal#endOfBatch()};</li>
 *   <li>{@code batched-1}: one record per batch (a lightly loaded bus);</li>
 *   <li>{@code per-document}: the layout before batching, one Chronicle document per record, same queue settings.</li>
 * </ul>
 * Run: {@code java @jvm.options -cp benchmarks/target/eab-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)
 * dev.eab.bench.JournalAppendTiming [records-per-round] [rounds]}.
 */
public final class JournalAppendTiming
{
    private static final int PAYLOAD_BYTES = 64;
    private static final int BATCH = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JournalAppendTiming()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int records = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 2_000_000;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        java.util.logging.Logger.getLogger("net.openhft").setLevel(java.util.logging.Level.WARNING);
        final String[] names = {"batched-64", "batched-1", "per-document"};
        final double[][] ns = new double[names.length][rounds];
        for (int r = -1; r < rounds; r++)
        {
            for (int k = 0; k < names.length; k++)
            {
                final double perRecord = round(k, records);
                if (r >= 0)
                {
                    ns[k][r] = perRecord;
                }
            }
        }
        System.out.printf(Locale.ROOT, "journal append, thread CPU ns per record (%,d records per round, %d rounds after one warm-up, 64 B payload)%n",
            records, rounds);
        for (int k = 0; k < names.length; k++)
        {
            final double[] sorted = ns[k].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-13s best %7.1f  median %7.1f  -> %.2f M records per CPU second (best)%n", names[k], sorted[0],
                sorted[sorted.length / 2], 1e3 / sorted[0]);
        }
    }

    /** @return thread CPU ns per record of one round of layout {@code k}, on a fresh directory. */
    private static double round(final int k, final int records) throws Exception
    {
        final Path dir = Files.createTempDirectory("eab-journal-timing");
        final byte[] payload = new byte[PAYLOAD_BYTES];
        try
        {
            if (k < 2)
            {
                final int batch = k == 0 ? BATCH : 1;
                try (MessageJournal journal = MessageJournal.open(dir, 16, JournalOptions.DEFAULTS.withPretouch(false)))
                {
                    journal.beginRun();
                    final long t0 = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < records; i += batch)
                    {
                        for (int j = 0; j < batch; j++)
                        {
                            journal.appendFlyweight(null, null, 1, 0, i + j, 0L, payload, PAYLOAD_BYTES);
                        }
                        journal.endOfBatch();
                    }
                    final long t1 = THREADS.getCurrentThreadCpuTime();
                    journal.endRun();
                    return (t1 - t0) / (double)records;
                }
            }
            try (ChronicleQueue q = MessageJournal.queue(dir, JournalRollCycle.DAILY); ExcerptAppender a = q.createAppender())
            {
                long last = 0;
                final long t0 = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < records; i++)
                {
                    try (DocumentContext dc = a.writingDocument())
                    {
                        final Bytes<?> b = dc.wire().bytes();
                        b.writeInt(JournalRecordDescriptor.TYPE_FLYWEIGHT).writeInt(-1).writeInt(-1).writeInt(1).writeInt(0);
                        b.writeLong(i).writeLong(0L).writeLong(System.currentTimeMillis()).writeInt(PAYLOAD_BYTES);
                        b.write(payload, 0, PAYLOAD_BYTES);
                        b.writeInt(JournalRecordDescriptor.RECORD_END);
                    }
                    last += a.lastIndexAppended();
                }
                final long t1 = THREADS.getCurrentThreadCpuTime();
                if (last == 0)
                {
                    throw new IllegalStateException("nothing appended");
                }
                return (t1 - t0) / (double)records;
            }
        }
        finally
        {
            ReplayRate.deleteTree(dir);
        }
    }
}
