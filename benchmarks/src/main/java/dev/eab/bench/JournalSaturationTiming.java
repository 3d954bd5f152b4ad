package dev.eab.bench;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.IdleStrategy;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Saturation of the bus thread in <b>its own CPU time</b>: {@code eab-native} (the bench's configuration: Rust
 * validator, rate limit, Rust scan, INLINE delivery) against {@code eab-journal} (the same plus the write-ahead
 * journal, page cache), alternated in one JVM, best of several rounds. A publisher pumps zero-allocation messages
 * (64 B) as fast as the ring takes them; the figure is messages per CPU second of the bus thread, what a core of
 * its own would deliver, which a loaded machine distorts far less than the open loop's wall-clock saturation. The
 * bus waits BLOCKING, so an idle moment (the publisher descheduled) costs it no spinning CPU.
 *
 * <p>Run: {@code java @jvm.options -cp benchmarks/target/eab-benchmarks-0.1.0-SNAPSHOT.jar:$(cat benchmarks/target/classpath.txt)
 * dev.eab.bench.JournalSaturationTiming [messages-per-round] [rounds]}.
 */
public final class JournalSaturationTiming
{
    private static final int PAYLOAD_BYTES = 64;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private JournalSaturationTiming()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int messages = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 2_000_000;
        final int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        java.util.logging.Logger.getLogger("net.openhft").setLevel(java.util.logging.Level.WARNING);
        java.util.logging.Logger.getLogger("dev.eab").setLevel(java.util.logging.Level.WARNING);
        final String[] names = {"eab-native", "eab-journal"};
        final double[][] rate = new double[2][rounds];
        final double[][] records = new double[2][rounds];
        for (int r = -1; r < rounds; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                final double[] result = round(k == 1, messages);
                if (r >= 0)
                {
                    rate[k][r] = result[0];
                    records[k][r] = result[1];
                }
            }
        }
        System.out.printf(Locale.ROOT, "bus-thread CPU saturation (%,d messages per round, %d rounds after one warm-up, 64 B payload)%n", messages, rounds);
        for (int k = 0; k < 2; k++)
        {
            final double[] sorted = rate[k].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-12s best %.2f M  median %.2f M msg per bus-thread CPU second; rounds %s%n", names[k], sorted[sorted.length - 1] / 1e6,
                sorted[sorted.length / 2] / 1e6, Arrays.toString(Arrays.stream(rate[k]).mapToLong(v -> Math.round(v / 1e3)).toArray()) + " k");
        }
        System.out.printf(Locale.ROOT, "  journal / native (best): %.0f %%; records per BATCH document (journal rounds): %s%n",
            100 * Arrays.stream(rate[1]).max().orElse(0) / Arrays.stream(rate[0]).max().orElse(1),
            Arrays.toString(Arrays.stream(records[1]).mapToLong(Math::round).toArray()));
    }

    /** @return {messages per bus-thread CPU second, records per journal document (0 without a journal)}. */
    private static double[] round(final boolean journaled, final int messages) throws Exception
    {
        final Path dir = journaled ? Files.createTempDirectory("eab-journal-saturation") : null;
        try
        {
            BusConfiguration config = EabSeries.configuration(NativeMode.AUTO, IdleStrategy.BLOCKING, true);
            if (journaled)
            {
                config = config.toBuilder().journalDir(dir).build();
            }
            final AtomicLong seen = new AtomicLong();
            try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
            {
                bus.registerAgent(EabSeries.SENDER, "worker", Set.of(), EabSeries.TENANT, null);
                final int to = bus.registerAgent(EabSeries.RECIPIENT, "worker", Set.of(), EabSeries.TENANT, null).handle();
                bus.subscribe(EabSeries.RECIPIENT, view -> seen.lazySet(seen.get() + 1), DeliveryMode.INLINE);
                bus.start();
                final long busThread = busThreadId();
                final MessagePublisher p = bus.publisher(EabSeries.SENDER, new OutcomeListener()
                {
                    @Override
                    public void onDelivered(final long correlationId, final int recipient)
                    {
                    }

                    @Override
                    public void onRejected(final long correlationId, final RejectReason reason)
                    {
                        throw new IllegalStateException("rejected: " + reason);
                    }
                });
                final byte[] payload = new byte[PAYLOAD_BYTES];
                final long cpu0 = THREADS.getThreadCpuTime(busThread);
                for (int i = 0; i < messages; i++)
                {
                    while (!p.tryPublish(to, MessageType.EVENT, i, payload, 0, PAYLOAD_BYTES))
                    {
                        Thread.onSpinWait();
                    }
                }
                while (seen.get() < messages)
                {
                    Thread.onSpinWait();
                }
                final long cpu = THREADS.getThreadCpuTime(busThread) - cpu0;
                double perDocument = 0;
                if (journaled)
                {
                    @SuppressWarnings("unchecked")
                    final java.util.Map<String, Object> j = (java.util.Map<String, Object>)bus.getMetrics().get("journal");
                    final Object batches = j.get("batches"); // absent before batching: one document per record
                    perDocument = ((Number)j.get("appended")).doubleValue() / (batches == null ? ((Number)j.get("appended")).doubleValue()
                        : Math.max(1, ((Number)batches).longValue()));
                }
                return new double[] {messages / (cpu / 1e9), perDocument};
            }
        }
        finally
        {
            if (dir != null)
            {
                ReplayRate.deleteTree(dir);
            }
        }
    }

    private static long busThreadId()
    {
        for (final ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        {
            if (t != null && t.getThreadName().equals("eab-bus"))
            {
                return t.getThreadId();
            }
        }
        throw new IllegalStateException("no eab-bus thread");
    }
}
