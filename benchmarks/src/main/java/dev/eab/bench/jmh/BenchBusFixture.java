package dev.eab.bench.jmh;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.bench.EabSeries;
import dev.eab.core.EnhancedAgentBus;

import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The publishing benchmarks' bus set-up: the series' sender and recipient, an INLINE handler counting
 * deliveries, and a publisher for which a rejection is a broken benchmark (never a measured outcome).
 */
final class BenchBusFixture
{
    private BenchBusFixture()
    {
    }

    /**
     * Starts {@code bus}, registers {@link EabSeries#SENDER} and {@link EabSeries#RECIPIENT} and counts the
     * recipient's deliveries in {@code delivered} (single writer: the bus thread).
     *
     * @return the recipient's handle
     */
    static int startWithRecipient(final EnhancedAgentBus bus, final AtomicLong delivered)
    {
        bus.start();
        bus.registerAgent(EabSeries.SENDER, "worker", Set.of(), EabSeries.TENANT, null);
        final int recipient = bus.registerAgent(EabSeries.RECIPIENT, "worker", Set.of(), EabSeries.TENANT, null).handle();
        bus.subscribe(EabSeries.RECIPIENT, m -> delivered.lazySet(delivered.get() + 1), DeliveryMode.INLINE);
        return recipient;
    }

    /** @return the sender's publisher; a rejected message throws (the benchmark's traffic must all be accepted). */
    static MessagePublisher senderPublisher(final EnhancedAgentBus bus)
    {
        return bus.publisher(EabSeries.SENDER, new OutcomeListener()
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
    }
}
