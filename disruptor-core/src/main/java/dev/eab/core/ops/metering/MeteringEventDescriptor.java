package dev.eab.core.ops.metering;

/**
 * The layout of one metering event in {@link MeteringQueue}'s slot array: {@value #SLOT_LONGS} longs (one
 * 64-byte cache line) per slot, so two producers filling neighbouring slots never share a line. Every field
 * is a primitive: an event is written without allocating anything.
 *
 * <pre>
 *  long 0  sequence     the slot's publication mark: the queue position it holds, once fully written
 *  long 1  type         {@link MeteringEventType} ordinal
 *  long 2  tenant       the metering tenant slot ({@link TenantSlots}): 0 = "default"
 *  long 3  agent        the agent's bus handle, or -1
 *  long 4  outcome      1 = compliant / allowed / accepted / approved, 0 = not
 *  long 5  value        the hook's measure: latency ns, impact score × 1e6, reviewer response ms, or a reject code
 *  long 6  timestamp    System.nanoTime() when the event was made
 *  long 7  (spare)
 * </pre>
 */
public final class MeteringEventDescriptor
{
    /** Longs per slot. */
    public static final int SLOT_LONGS = 8;
    /** log2 of {@link #SLOT_LONGS}. */
    public static final int SLOT_SHIFT = 3;
    public static final int SEQUENCE_OFFSET = 0;
    public static final int TYPE_OFFSET = 1;
    public static final int TENANT_OFFSET = 2;
    public static final int AGENT_OFFSET = 3;
    public static final int OUTCOME_OFFSET = 4;
    public static final int VALUE_OFFSET = 5;
    public static final int TIMESTAMP_NS_OFFSET = 6;

    private MeteringEventDescriptor()
    {
    }
}
