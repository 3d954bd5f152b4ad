package dev.eab.bench.audit;

import dev.eab.api.IdleStrategy;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.DeliveryMode;
import dev.eab.bench.EabSeries;
import dev.eab.core.EnhancedAgentBus;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audited bus's pipeline at saturation, in thread CPU time (what a loaded host inflates least): one publisher
 * (this thread, flyweight claims as fast as the ring takes them) → the bus thread → the audit writer ({@code eab-audit},
 * reading the bus ring directly). Per round: {@code n} messages published, then waited for until delivered and in the
 * chain (flushed); reported per message: CPU of the publisher, bus and every {@code eab-audit*} thread, and records/s by
 * wall clock (publish to flushed). The same rounds without the audit log (eab-native's configuration) run in the same
 * process, alternating, as the same-run baseline.
 *
 * <p>Run: {@code java @jvm.options -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt):disruptor-core/target/cli-lib/*"
 * dev.eab.bench.audit.AuditPipeMain [rounds] [messages per round] [spin|yield]}: {@code yield} makes the publisher
 * yield its CPU on a full ring instead of spinning (default {@code spin}, as the open-loop bench does), to show what the
 * pipeline does when the waiting publisher does not take CPU from the writer on a 2-vCPU host.
 */
public final class AuditPipeMain
{
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int PAYLOAD_BYTES = 32;
    /** The publisher yields on a full ring instead of spinning. */
    private static boolean yieldWhenFull;

    private AuditPipeMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int n = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        yieldWhenFull = args.length > 2 && "yield".equals(args[2]);
        final double[][] audited = new double[rounds][];
        final double[][] plain = new double[rounds][];
        run(false, n / 4, true);
        run(true, n / 4, true);
        for (int r = 0; r < rounds; r++)
        {
            plain[r] = run(false, n, false);
            audited[r] = run(true, n, false);
        }
        System.out.println("median of " + rounds + " rounds, " + n + " messages each, publisher " + (yieldWhenFull ? "yields" : "spins") +
            " on a full ring:");
        print("eab-native  (audit off)", plain);
        print("eab-audited (audit on) ", audited);
    }

    private static void print(final String name, final double[][] rows)
    {
        final String[] labels = {"msg/s (wall, to flushed)", "publisher CPU ns/msg", "bus CPU ns/msg", "audit threads CPU ns/msg",
            "of which writer (eab-audit)"};
        final StringBuilder sb = new StringBuilder(name).append(':');
        for (int c = 0; c < labels.length; c++)
        {
            final double[] col = new double[rows.length];
            for (int r = 0; r < rows.length; r++)
            {
                col[r] = rows[r][c];
            }
            Arrays.sort(col);
            sb.append(String.format("  %s %,.0f (%,.0f..%,.0f)", labels[c], col[col.length / 2], col[0], col[col.length - 1]));
        }
        System.out.println(sb);
    }

    /** @return {msg/s, publisher ns/msg, bus ns/msg, audit threads ns/msg, writer thread ns/msg} */
    private static double[] run(final boolean audit, final int n, final boolean warmUp) throws Exception
    {
        final Path dir = audit ? Files.createTempDirectory("eab-auditpipe") : null;
        final AtomicLong delivered = new AtomicLong();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(EabSeries.configuration(NativeMode.AUTO, IdleStrategy.YIELDING, true).toBuilder()
            .auditDir(dir).build()))
        {
            bus.start();
            bus.registerAgent(EabSeries.SENDER, "worker", Set.of(), EabSeries.TENANT, null);
            final int recipient = bus.registerAgent(EabSeries.RECIPIENT, "worker", Set.of(), EabSeries.TENANT, null).handle();
            bus.subscribe(EabSeries.RECIPIENT, m -> delivered.lazySet(delivered.get() + 1), DeliveryMode.INLINE);
            final MessagePublisher publisher = bus.publisher(EabSeries.SENDER, new OutcomeListener()
            {
                @Override
                public void onDelivered(final long correlationId, final int recipientHandle)
                {
                }

                @Override
                public void onRejected(final long correlationId, final RejectReason reason)
                {
                    throw new IllegalStateException("benchmark message rejected: " + reason);
                }
            });
            if (audit && !bus.auditLog().awaitFlushed(60_000))
            {
                throw new IllegalStateException("audit log not flushed");
            }
            final byte[] payload = new byte[PAYLOAD_BYTES];
            final long busId = threadId("eab-bus");
            final long auditBefore = auditCpu();
            final long writerBefore = writerCpu();
            final long busBefore = THREADS.getThreadCpuTime(busId);
            final long pubBefore = THREADS.getCurrentThreadCpuTime();
            final long recordsBefore = audit ? bus.auditLog().written() : 0;
            final long t0 = System.nanoTime();
            for (long i = 0; i < n; i++)
            {
                MessageClaim c = publisher.tryClaim();
                while (c == null)
                {
                    if (yieldWhenFull)
                    {
                        Thread.yield();
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                    c = publisher.tryClaim();
                }
                c.to(recipient).type(MessageType.EVENT).correlationId(i).payload(payload, 0, PAYLOAD_BYTES).publish();
            }
            final long pubCpu = THREADS.getCurrentThreadCpuTime() - pubBefore;
            while (delivered.get() < n)
            {
                Thread.onSpinWait();
            }
            if (audit && !bus.auditLog().awaitFlushed(300_000))
            {
                throw new IllegalStateException("audit log not flushed");
            }
            final long wall = System.nanoTime() - t0;
            final long busCpu = THREADS.getThreadCpuTime(busId) - busBefore;
            final long auditCpu = auditCpu() - auditBefore;
            final long writerCpu = writerCpu() - writerBefore;
            if (audit && bus.auditLog().written() - recordsBefore != n)
            {
                throw new IllegalStateException("expected " + n + " records, the chain grew by " + (bus.auditLog().written() - recordsBefore));
            }
            final double[] row = {n * 1e9 / wall, pubCpu / (double)n, busCpu / (double)n, auditCpu / (double)n, writerCpu / (double)n};
            if (!warmUp)
            {
                System.out.printf("%s: %,.0f msg/s, CPU ns/msg publisher %.0f, bus %.0f, audit %.0f (writer %.0f); %s%n", audit ? "audited" : "native ",
                    row[0], row[1], row[2], row[3], row[4], audit ? bus.getMetrics().get("audit") : "");
            }
            return row;
        }
        finally
        {
            if (dir != null)
            {
                try (java.util.stream.Stream<Path> s = Files.walk(dir))
                {
                    s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** @return CPU time of every live thread named eab-audit* (the writer; before the fold also the capture). */
    private static long auditCpu()
    {
        long sum = 0;
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith("eab-audit"))
            {
                sum += Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }

    /** @return CPU time of the writer thread ({@code eab-audit}) alone, 0 when it is not running. */
    private static long writerCpu()
    {
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().equals("eab-audit"))
            {
                return Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
            }
        }
        return 0;
    }

    private static long threadId(final String name)
    {
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().equals(name))
            {
                return t.threadId();
            }
        }
        throw new IllegalStateException("no thread named " + name);
    }
}
