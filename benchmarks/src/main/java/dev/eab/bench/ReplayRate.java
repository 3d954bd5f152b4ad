package dev.eab.bench;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.ops.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The replay-rate figure of issue 9: how fast a restart re-delivers what the journal holds as accepted but
 * unacknowledged. A journaled bus accepts {@code messages} zero-allocation messages for an agent without a
 * handler (they wait in its inbox, unacknowledged) and closes; a new bus over the same directory, with the
 * agent now subscribed INLINE, is timed from {@code start()} (read both queues, publish every pending message
 * into the ring, route it) until the handler has seen them all. Rate = messages / that time.
 *
 * <p>Run by {@code ./eab bench --replay} (a fresh JVM with the repository's flags), or from this main.
 */
public final class ReplayRate
{
    private static final int PAYLOAD_BYTES = 64;
    private static final int DEFAULT_MESSAGES = 1_000_000;

    private ReplayRate()
    {
    }

    /** One measurement. */
    record Result(long messages, long replayed, double seconds, double readSeconds, double cpuSeconds)
    {
        /** Messages per CPU second of the whole process during the restart: what a quiet machine would show at most. */
        double perCpuSecond()
        {
            return replayed / cpuSeconds;
        }

        double perSecond()
        {
            return replayed / seconds;
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final int messages = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : DEFAULT_MESSAGES;
        final int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        java.util.logging.Logger.getLogger("net.openhft").setLevel(java.util.logging.Level.WARNING);
        final List<Map<String, Object>> out = new ArrayList<>();
        // Warm-up through the same path (JIT): not reported, as the open loop's warm-up.
        final Result warm = measure(Math.max(1, messages / 2));
        System.out.printf(Locale.ROOT, "replay warm-up: %,d messages in %.3f s (not reported)%n", warm.replayed(), warm.seconds());
        for (int i = 0; i < runs; i++)
        {
            final Result r = measure(messages);
            System.out.printf(Locale.ROOT, "replay run %d: %,d unacked messages re-delivered in %.3f s = %.2f M msg/s (reading the journal " +
                "alone: %.3f s); process CPU during the restart %.3f s = %.2f M msg/s per CPU second%n", i + 1, r.replayed(), r.seconds(),
                r.perSecond() / 1e6, r.readSeconds(), r.cpuSeconds(), r.perCpuSecond() / 1e6);
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("messages", r.replayed());
            m.put("seconds", Json.round(r.seconds(), 4));
            m.put("msgs_per_s", Math.round(r.perSecond()));
            m.put("read_seconds", Json.round(r.readSeconds(), 4));
            m.put("cpu_seconds", Json.round(r.cpuSeconds(), 4));
            m.put("msgs_per_cpu_s", Math.round(r.perCpuSecond()));
            out.add(m);
        }
        System.out.println(Json.compact(Map.of("replay", out)));
    }

    static Result measure(final int messages) throws Exception
    {
        final Path dir = Files.createTempDirectory("eab-bench-replay-");
        try
        {
            final BusConfiguration config = EabSeries.configuration(NativeMode.AUTO, dev.eab.api.IdleStrategy.YIELDING, false).toBuilder()
                .journalDir(dir).inboxCapacity(messages + 1).build();
            fill(config, messages);
            // The read alone (both queues, every pending record decoded), for the split of the restart's time.
            final long r0 = System.nanoTime();
            try (dev.eab.core.journal.MessageJournal j = dev.eab.core.journal.MessageJournal.open(dir, config.maxAgents(),
                config.journalOptions().withPretouch(false)))
            {
                if (j.readPending().size() != messages)
                {
                    throw new IllegalStateException("the journal does not hold " + messages + " pending messages");
                }
            }
            final double readSeconds = (System.nanoTime() - r0) / 1e9;
            final AtomicLong seen = new AtomicLong();
            // CPU time as well as wall time: on a shared, oversubscribed machine the wall time measures the neighbours.
            final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            final long cpu0 = os.getProcessCpuTime();
            final long t0 = System.nanoTime();
            try (EnhancedAgentBus bus = bus(config))
            {
                bus.subscribe(EabSeries.RECIPIENT, view -> seen.lazySet(seen.get() + 1), DeliveryMode.INLINE);
                bus.start(); // returns once the bus thread has routed every replayed message
                final double seconds = (System.nanoTime() - t0) / 1e9;
                final double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
                @SuppressWarnings("unchecked")
                final Map<String, Object> j = (Map<String, Object>)bus.getMetrics().get("journal");
                if (seen.get() != messages || ((Number)j.get("replayed")).longValue() != messages)
                {
                    throw new IllegalStateException("replayed " + j.get("replayed") + ", handled " + seen.get() + " of " + messages);
                }
                return new Result(messages, seen.get(), seconds, readSeconds, cpuSeconds);
            }
        }
        finally
        {
            deleteTree(dir);
        }
    }

    private static EnhancedAgentBus bus(final BusConfiguration config)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(config);
        bus.registerAgent(EabSeries.SENDER, "worker", Set.of(), EabSeries.TENANT, null);
        bus.registerAgent(EabSeries.RECIPIENT, "worker", Set.of(), EabSeries.TENANT, null);
        return bus;
    }

    /** Accepts {@code messages} messages for the handler-less recipient: journaled, in its inbox, never acknowledged. */
    private static void fill(final BusConfiguration config, final int messages) throws InterruptedException
    {
        final AtomicLong told = new AtomicLong();
        try (EnhancedAgentBus bus = bus(config))
        {
            bus.start();
            final int to = bus.getAgentInfo(EabSeries.RECIPIENT).handle();
            final MessagePublisher p = bus.publisher(EabSeries.SENDER, new OutcomeListener()
            {
                @Override
                public void onDelivered(final long correlationId, final int recipient)
                {
                    told.lazySet(told.get() + 1);
                }

                @Override
                public void onRejected(final long correlationId, final RejectReason reason)
                {
                    throw new IllegalStateException("refused while filling the journal: " + reason);
                }
            });
            final byte[] payload = new byte[PAYLOAD_BYTES];
            for (long i = 0; i < messages; i++)
            {
                MessageClaim c;
                while ((c = p.tryClaim()) == null)
                {
                    Thread.onSpinWait();
                }
                c.to(to).type(MessageType.EVENT).correlationId(i).payload(payload, 0, PAYLOAD_BYTES).publish();
            }
            while (told.get() < messages)
            {
                Thread.sleep(1);
            }
        }
    }

    static void deleteTree(final Path dir)
    {
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
