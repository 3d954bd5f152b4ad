package dev.eab.bench;

import dev.eab.api.DeliveryMode;
import dev.eab.api.IdleStrategy;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bus thread's per-message cost with metering (and the labelled counters) on vs off, for a host too noisy for
 * the open-loop p50 comparison: rounds alternate on / off, each a fresh bus (native, YIELDING, INLINE recipient) that
 * publishes {@value #MESSAGES} messages as fast as the ring takes them after {@value #WARMUP} of warm-up; the time per
 * message at saturation is the bus thread's cost per message. Other processes can only add time, so the best round of
 * each mode is the estimate of its cost and the medians show the spread. {@code java ... dev.eab.bench.OpsCostBench [rounds]}.
 */
public final class OpsCostBench
{
    private static final int WARMUP = 300_000;
    private static final int MESSAGES = 2_000_000;

    private OpsCostBench()
    {
    }

    public static void main(final String[] args)
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        final List<Double> on = new ArrayList<>();
        final List<Double> off = new ArrayList<>();
        System.out.printf("ops cost: %d rounds x (metering on, off), %,d messages each at saturation; load average %.2f on %d CPUs%n", rounds,
            MESSAGES, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        for (int r = 0; r < rounds; r++)
        {
            on.add(round(true));
            off.add(round(false));
            System.out.printf("round %d: on %.1f ns/msg, off %.1f ns/msg%n", r, on.get(r), off.get(r));
        }
        Collections.sort(on);
        Collections.sort(off);
        final List<Double> parts = new ArrayList<>();
        for (int r = 0; r < rounds; r++)
        {
            parts.add(parts());
        }
        Collections.sort(parts);
        System.out.printf("the bus thread's ops work alone (counter + budget check + metering offer, drained every 4,096): best %.1f ns, median %.1f ns"
            + " per message%n", parts.get(0), parts.get(rounds / 2));
        System.out.printf("best:   on %.1f ns/msg, off %.1f ns/msg, on - off %+.1f ns%n", on.get(0), off.get(0), on.get(0) - off.get(0));
        System.out.printf("median: on %.1f ns/msg, off %.1f ns/msg, on - off %+.1f ns; load average now %.2f%n", on.get(rounds / 2),
            off.get(rounds / 2), on.get(rounds / 2) - off.get(rounds / 2), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * @return ns per message of exactly what {@code OpsMeter} does per message on the bus thread, on one thread: the
     * labelled counter, a tenant budget check and the metering offer (the queue drained in-thread every 4,096, as the
     * flusher would elsewhere: that drain is included, so this over-states the bus thread's share).
     */
    static double parts()
    {
        final dev.eab.core.ops.metering.TenantSlots tenants = new dev.eab.core.ops.metering.TenantSlots(256, i -> "t" + i, t -> -1);
        final dev.eab.core.ops.MessageCounters counters = new dev.eab.core.ops.MessageCounters(tenants);
        final dev.eab.core.ops.metering.TenantBudgets budgets = new dev.eab.core.ops.metering.TenantBudgets(64,
            java.util.Map.of("t1", new dev.eab.core.ops.metering.TenantBudget(Integer.MAX_VALUE, 3600)));
        final dev.eab.core.ops.metering.MeteringQueue queue = new dev.eab.core.ops.metering.MeteringQueue(10_000);
        final dev.eab.core.ops.metering.MeteringBatch batch = new dev.eab.core.ops.metering.MeteringBatch();
        final long[] sink = new long[1];
        final dev.eab.core.ops.metering.MeteringSink drain = b -> sink[0] += b.size();
        final int n = 20_000_000;
        long refused = 0;
        final long t0 = System.nanoTime();
        for (int i = 0; i < n; i++)
        {
            final int slot = tenants.slotOf(i & 3);
            counters.count(slot, i % 12, i & 3, false);
            refused += budgets.tryAcquire(1, "t1", i);
            queue.offer(1, slot, i, true, 0, i);
            if ((i & 4095) == 4095)
            {
                queue.drain(batch, drain, 100);
            }
        }
        final double ns = (System.nanoTime() - t0) / (double)n;
        if (refused != 0 || sink[0] + queue.size() != n || queue.dropped() != 0)
        {
            throw new IllegalStateException("parts run went wrong: refused " + refused + ", drained " + sink[0]);
        }
        return ns;
    }

    /** @return ns per message at saturation for one fresh bus. */
    static double round(final boolean metering)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(EabSeries.configuration(NativeMode.REQUIRED, IdleStrategy.YIELDING, true)
            .withEnableMetering(metering));
        try
        {
            bus.start();
            bus.registerAgent(EabSeries.SENDER, "worker", Set.of(), EabSeries.TENANT, null);
            final int recipient = bus.registerAgent(EabSeries.RECIPIENT, "worker", Set.of(), EabSeries.TENANT, null).handle();
            final AtomicLong delivered = new AtomicLong();
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
                    throw new IllegalStateException("rejected: " + reason);
                }
            });
            final byte[] payload = SystemUnderTest.payload();
            publish(publisher, recipient, payload, WARMUP, delivered, 0);
            final long t0 = System.nanoTime();
            publish(publisher, recipient, payload, MESSAGES, delivered, WARMUP);
            final long elapsed = System.nanoTime() - t0;
            if (metering && bus.ops().metering().queue().queued() + bus.ops().metering().queue().dropped() == 0)
            {
                throw new IllegalStateException("metering on but nothing metered");
            }
            return elapsed / (double)MESSAGES;
        }
        finally
        {
            bus.close();
        }
    }

    private static void publish(final MessagePublisher publisher, final int recipient, final byte[] payload, final int n, final AtomicLong delivered,
        final long already)
    {
        for (int i = 0; i < n; i++)
        {
            MessageClaim c = publisher.tryClaim();
            while (c == null)
            {
                Thread.onSpinWait();
                c = publisher.tryClaim();
            }
            c.to(recipient).type(MessageType.EVENT).correlationId(i).payload(payload, 0, SystemUnderTest.PAYLOAD_BYTES).publish();
        }
        while (delivered.get() < already + n)
        {
            Thread.onSpinWait();
        }
    }
}
