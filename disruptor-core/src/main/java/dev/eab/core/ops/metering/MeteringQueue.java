package dev.eab.core.ops.metering;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import static dev.eab.core.ops.metering.MeteringEventDescriptor.*;

/**
 * A bounded, non-blocking, many-producer / one-consumer queue of metering events stored as primitives in one
 * pre-allocated {@code long[]} (layout: {@link MeteringEventDescriptor}). {@link #offer} never blocks, never
 * allocates and never throws: when {@link #capacity()} events are waiting, the event is dropped and counted.
 *
 * <p>Producers claim a position with a CAS on the tail (any thread: the bus thread, a deliberation thread, an HTTP
 * thread), write the slot's fields, then publish it with a release store of the slot's sequence. The logical
 * capacity (default 10,000, reference §4.4) may be smaller than the power-of-two slot count: a position is only
 * claimed while fewer than {@code capacity} events are waiting, so a slot is never reused before the consumer has
 * read it. The consumer side ({@link #drain}) must be called by one thread at a time (the owner, {@link Metering},
 * serialises it with a lock); it reads published slots in order and advances the head.
 *
 * <p>Waking the consumer: every {@link #wakeInterval()}-th claimed position, the producer that claimed it unparks the
 * registered consumer if it is parked (a volatile read otherwise), so at a sustained high rate the consumer drains long
 * before the queue fills, and at a low rate it sleeps until its flush interval ends.
 */
public final class MeteringQueue
{
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs between the tail and head counters in {@link #positions}: 128 bytes, so they never share a cache line. */
    private static final int TAIL = 16;
    private static final int HEAD = 32;
    private static final int POSITIONS_LENGTH = 48;

    private final long[] slots;
    private final int mask;
    private final int capacity;
    private final int wakeMask;
    private final AtomicLongArray positions = new AtomicLongArray(POSITIONS_LENGTH);
    private final AtomicLong dropped = new AtomicLong();
    /** Producers' cached view of the head (a plain field: a stale value only sends a producer to re-read the head). */
    private long headCache;
    private volatile Thread consumer;
    private volatile boolean consumerParked;

    /**
     * @param capacity the most events that may wait (≥ 1): beyond it {@link #offer} drops.
     */
    public MeteringQueue(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("metering queue capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        final int slotCount = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        this.mask = slotCount - 1;
        this.slots = new long[slotCount << SLOT_SHIFT];
        // Wake the consumer every 1/8 of the capacity (a power of two): at 1M events/s and the default 10,000
        // that is every ~1 ms, leaving 7/8 of the queue as headroom for the consumer's wake-up latency.
        this.wakeMask = Math.max(1, Integer.highestOneBit(Math.max(1, capacity / 8))) - 1;
    }

    /**
     * Queues one event; any thread; never blocks, never allocates.
     *
     * @return true when queued; false when the queue was full (the event is dropped and counted)
     */
    public boolean offer(final int type, final int tenant, final int agent, final boolean outcome, final long value, final long timestampNanos)
    {
        if (tryOffer(type, tenant, agent, outcome, value, timestampNanos))
        {
            return true;
        }
        countDrop();
        return false;
    }

    /** Counts one event dropped (after {@link #tryOffer} refused it and the caller gave up). */
    public void countDrop()
    {
        dropped.incrementAndGet();
    }

    /**
     * As {@link #offer}, but a full queue is not counted as a drop: the caller decides (it may help drain and retry).
     *
     * @return true when queued
     */
    public boolean tryOffer(final int type, final int tenant, final int agent, final boolean outcome, final long value, final long timestampNanos)
    {
        long t;
        do
        {
            t = positions.get(TAIL);
            if (t - headCache >= capacity)
            {
                final long h = positions.get(HEAD);
                headCache = h;
                if (t - h >= capacity)
                {
                    // Full means no position is claimed, so no wake-up mark is crossed: wake the consumer here.
                    wakeConsumer();
                    return false;
                }
            }
        }
        while (!positions.compareAndSet(TAIL, t, t + 1));
        final int base = (int)(t & mask) << SLOT_SHIFT;
        slots[base + TYPE_OFFSET] = type;
        slots[base + TENANT_OFFSET] = tenant;
        slots[base + AGENT_OFFSET] = agent;
        slots[base + OUTCOME_OFFSET] = outcome ? 1 : 0;
        slots[base + VALUE_OFFSET] = value;
        slots[base + TIMESTAMP_NS_OFFSET] = timestampNanos;
        SLOT.setRelease(slots, base + SEQUENCE_OFFSET, t + 1);
        if (((t + 1) & wakeMask) == 0)
        {
            wakeConsumer();
        }
        return true;
    }

    private void wakeConsumer()
    {
        if (consumerParked)
        {
            final Thread c = consumer;
            if (c != null)
            {
                LockSupport.unpark(c);
            }
        }
    }

    /**
     * Consumer only (one thread at a time): hands every published event to {@code sink} in batches of at most
     * {@code batchSize}, oldest first, until none is left or the next one is claimed but not yet published.
     *
     * @return how many events were drained
     */
    public long drain(final MeteringBatch batch, final MeteringSink sink, final int batchSize)
    {
        return drain(batch, sink, batchSize, Integer.MAX_VALUE);
    }

    /**
     * As {@link #drain(MeteringBatch, MeteringSink, int)}, but at most {@code maxBatches} batches.
     *
     * @return how many events were drained
     */
    public long drain(final MeteringBatch batch, final MeteringSink sink, final int batchSize, final int maxBatches)
    {
        long h = positions.get(HEAD);
        long total = 0;
        for (int batches = 0; batches < maxBatches; batches++)
        {
            int n = 0;
            while (n < batchSize && (long)SLOT.getAcquire(slots, ((int)((h + n) & mask) << SLOT_SHIFT) + SEQUENCE_OFFSET) == h + n + 1)
            {
                n++;
            }
            if (n == 0)
            {
                return total;
            }
            batch.wrap(slots, mask, h, n);
            try
            {
                sink.onBatch(batch);
            }
            finally
            {
                h += n;
                total += n;
                // Released only after the sink read the slots: producers may then reuse them.
                positions.lazySet(HEAD, h);
            }
        }
        return total;
    }

    /** The consumer registers itself so producers can wake it; {@code parked} says whether it is about to park. */
    void consumer(final Thread thread)
    {
        consumer = thread;
    }

    /** Consumer: announces it is about to park (true) or has woken (false). */
    void parked(final boolean parked)
    {
        consumerParked = parked;
    }

    /** @return events accepted since creation (the original's {@code events_queued}). */
    public long queued()
    {
        return positions.get(TAIL);
    }

    /** @return events handed to the sink since creation ({@code events_flushed}). */
    public long flushed()
    {
        return positions.get(HEAD);
    }

    /** @return events refused because the queue was full ({@code events_dropped}). */
    public long dropped()
    {
        return dropped.get();
    }

    /** @return events waiting now ({@code queue_size}). */
    public long size()
    {
        return Math.max(0, positions.get(TAIL) - positions.get(HEAD));
    }

    /** @return the most events that may wait. */
    public int capacity()
    {
        return capacity;
    }

    /** @return how often (in claimed positions) a producer checks whether to wake the consumer. */
    public int wakeInterval()
    {
        return wakeMask + 1;
    }
}
