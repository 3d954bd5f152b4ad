package dev.eab.core.ops.metering;

import static dev.eab.core.ops.metering.MeteringEventDescriptor.*;

/**
 * A read-only flyweight over up to {@code batchSize} consecutive events of a {@link MeteringQueue}, valid only
 * during {@link MeteringSink#onBatch}: a sink copies what it keeps. Consumer thread only.
 */
public final class MeteringBatch
{
    private long[] slots;
    private int mask;
    private long first;
    private int size;

    void wrap(final long[] slots, final int mask, final long first, final int size)
    {
        this.slots = slots;
        this.mask = mask;
        this.first = first;
        this.size = size;
    }

    /** @return events in this batch. */
    public int size() { return size; }
    /** @return the queue position of the first event (0-based since the queue was made). */
    public long firstPosition() { return first; }
    /** @return event {@code i}'s type. */
    public MeteringEventType type(final int i) { return MeteringEventType.fromCode((int)get(i, TYPE_OFFSET)); }
    /** @return event {@code i}'s type code ({@link MeteringEventType} ordinal). */
    public int typeCode(final int i) { return (int)get(i, TYPE_OFFSET); }
    /** @return event {@code i}'s metering tenant slot ({@link TenantSlots}). */
    public int tenant(final int i) { return (int)get(i, TENANT_OFFSET); }
    /** @return event {@code i}'s agent handle, or -1. */
    public int agent(final int i) { return (int)get(i, AGENT_OFFSET); }
    /** @return whether event {@code i} was compliant / allowed / accepted / approved. */
    public boolean outcome(final int i) { return get(i, OUTCOME_OFFSET) != 0; }
    /** @return event {@code i}'s measure (see {@link MeteringEventDescriptor}). */
    public long value(final int i) { return get(i, VALUE_OFFSET); }
    /** @return when event {@code i} was made, {@code System.nanoTime()} ns. */
    public long timestampNanos(final int i) { return get(i, TIMESTAMP_NS_OFFSET); }

    private long get(final int i, final int offset)
    {
        if (i < 0 || i >= size)
        {
            throw new IndexOutOfBoundsException("event " + i + " of a batch of " + size);
        }
        return slots[((int)((first + i) & mask) << SLOT_SHIFT) + offset];
    }
}
