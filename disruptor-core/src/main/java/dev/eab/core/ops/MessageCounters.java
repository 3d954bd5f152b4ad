package dev.eab.core.ops;

import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.core.ops.metering.TenantSlots;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code eab_messages_total{tenant,type,priority,status}}: one counter per tenant slot × message type × priority ×
 * status in one primitive array, so counting a message is an index computation and one ordered store.
 *
 * <p>Single writer: the bus thread ({@link AtomicLongArray#lazySet}, no locks, no allocation). The Prometheus
 * collector reads it at scrape time from its own thread. The number of tenants is bounded by {@link TenantSlots}
 * (later tenants share "other"), so the array, and the number of series exported, is bounded too.
 */
public final class MessageCounters
{
    /** Status labels, by index. */
    public static final String[] STATUSES = {"accepted", "rejected"};
    public static final int ACCEPTED = 0;
    public static final int REJECTED = 1;

    private static final int TYPES = MessageType.values().length;
    private static final int PRIORITIES = Priority.values().length;
    private static final int PER_TENANT = TYPES * PRIORITIES * STATUSES.length;

    private final TenantSlots tenants;
    private final AtomicLongArray cells;

    public MessageCounters(final TenantSlots tenants)
    {
        this.tenants = tenants;
        this.cells = new AtomicLongArray(tenants.slots() * PER_TENANT);
    }

    /**
     * Bus thread: counts one message. Out-of-range values (a type or priority no enum has) are not counted: they
     * cannot come from the bus's own publishers, and a counter must never throw on the hot path.
     */
    public void count(final int tenantSlot, final int type, final int priority, final boolean rejected)
    {
        if (tenantSlot < 0 || tenantSlot >= tenants.slots() || type < 0 || type >= TYPES || priority < 0 || priority >= PRIORITIES)
        {
            return;
        }
        final int i = index(tenantSlot, type, priority, rejected ? REJECTED : ACCEPTED);
        cells.lazySet(i, cells.get(i) + 1);
    }

    /** @return the count of one series. */
    public long get(final int tenantSlot, final MessageType type, final Priority priority, final int status)
    {
        return cells.get(index(tenantSlot, type.ordinal(), priority.value(), status));
    }

    /** @return every message counted (all series summed). */
    public long total()
    {
        long sum = 0;
        for (int i = 0; i < cells.length(); i++)
        {
            sum += cells.get(i);
        }
        return sum;
    }

    /** Visits every non-zero series (scrape time, any thread). */
    public void forEachNonZero(final Visitor visitor)
    {
        final MessageType[] types = MessageType.values();
        final Priority[] priorities = Priority.values();
        for (int t = 0; t < tenants.slots(); t++)
        {
            for (int ty = 0; ty < TYPES; ty++)
            {
                for (int p = 0; p < PRIORITIES; p++)
                {
                    for (int s = 0; s < STATUSES.length; s++)
                    {
                        final long v = cells.get(index(t, ty, p, s));
                        if (v != 0)
                        {
                            visitor.visit(tenants.name(t), types[ty], priorities[p], STATUSES[s], v);
                        }
                    }
                }
            }
        }
    }

    /** @return the tenant slots the counters are indexed by. */
    public TenantSlots tenants()
    {
        return tenants;
    }

    private static int index(final int tenantSlot, final int type, final int priority, final int status)
    {
        return ((tenantSlot * TYPES + type) * PRIORITIES + priority) * STATUSES.length + status;
    }

    /** One series, for {@link #forEachNonZero}. */
    @FunctionalInterface
    public interface Visitor
    {
        void visit(String tenant, MessageType type, Priority priority, String status, long count);
    }
}
