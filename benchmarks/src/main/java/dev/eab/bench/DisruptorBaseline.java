package dev.eab.bench;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import dev.eab.api.IdleStrategy;
import dev.eab.core.pipeline.IdleWaitStrategies;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The floor: a bare LMAX Disruptor with the bus's ring size, producer type (MULTI) and wait strategy (the very
 * class the bus builds for the same {@link IdleStrategy}, {@link IdleWaitStrategies}), an event shaped like the bus's slot (handles, type, correlation id, 256-byte payload
 * buffer with a 64-byte copy), and no checks: the handler just records.
 */
public final class DisruptorBaseline implements SystemUnderTest
{
    /** A slot like the bus's: preallocated, payload copied in. */
    static final class Event
    {
        int senderHandle;
        int recipientHandle;
        int messageType;
        long correlationId;
        final byte[] payload = new byte[256];
        int payloadLength;
    }

    private final LatencySink sink;
    private final IdleStrategy idleStrategy;
    private final byte[] payload = SystemUnderTest.payload();
    private Disruptor<Event> disruptor;
    private RingBuffer<Event> ring;
    private long retries;

    public DisruptorBaseline(final IdleStrategy idleStrategy, final LatencySink sink)
    {
        this.idleStrategy = idleStrategy;
        this.sink = sink;
    }

    @Override
    public String waitStrategy()
    {
        return EabSeries.waitStrategyName(idleStrategy);
    }

    @Override
    public void start()
    {
        disruptor = new Disruptor<>(Event::new, CAPACITY, r -> {
            final Thread t = new Thread(r, "baseline-disruptor");
            t.setDaemon(true);
            return t;
        }, ProducerType.MULTI, IdleWaitStrategies.forIdle(idleStrategy));
        final LatencySink s = sink;
        disruptor.handleEventsWith((e, sequence, endOfBatch) -> s.onDelivered(e.correlationId));
        ring = disruptor.start();
    }

    @Override
    public void send(final long intendedNanos)
    {
        long seq;
        while (true)
        {
            try
            {
                seq = ring.tryNext();
                break;
            }
            catch (final InsufficientCapacityException e)
            {
                retries++;
                Thread.onSpinWait();
            }
        }
        final Event e = ring.get(seq);
        e.senderHandle = 0;
        e.recipientHandle = 1;
        e.messageType = dev.eab.api.MessageType.EVENT.ordinal();
        e.correlationId = intendedNanos;
        System.arraycopy(payload, 0, e.payload, 0, PAYLOAD_BYTES);
        e.payloadLength = PAYLOAD_BYTES;
        ring.publish(seq);
    }

    @Override
    public long retries()
    {
        return retries;
    }

    @Override
    public long rejected()
    {
        return 0;
    }

    @Override
    public Map<String, String> details()
    {
        final Map<String, String> d = new LinkedHashMap<>();
        d.put("validator", "none");
        d.put("idle_strategy", idleStrategy.name());
        return d;
    }

    @Override
    public void close()
    {
        if (disruptor != null)
        {
            disruptor.shutdown();
        }
    }
}
