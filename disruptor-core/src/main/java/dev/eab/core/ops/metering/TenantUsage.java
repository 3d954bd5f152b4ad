package dev.eab.core.ops.metering;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Per-tenant aggregation of flushed metering events (the original aggregated usage per tenant before reporting it):
 * per tenant slot and event type, the number of events, how many had a positive outcome (compliant, allowed,
 * accepted, approved) and the sum of their values. An {@code AGENT_MESSAGE} is also the message's constitutional
 * validation (the bus validates every message it meters), so it counts under {@code CONSTITUTIONAL_VALIDATION} too,
 * compliant unless refused for its hash.
 *
 * <p>Single writer: the metering consumer ({@link #onBatch} runs on the flusher, serialised by {@link Metering}).
 * Readers on any thread see each counter atomically ({@link AtomicLongArray#lazySet}, no locks).
 */
public final class TenantUsage implements MeteringSink
{
    private static final int FIELDS = 3;
    private static final int COUNT = 0;
    private static final int POSITIVE = 1;
    private static final int VALUE_SUM = 2;
    /** Reject codes that mean the constitutional hash check failed ({@code RejectReason} HASH_MISSING, HASH_MISMATCH). */
    private static final long HASH_MISSING_CODE = 1;
    private static final long HASH_MISMATCH_CODE = 2;

    private final TenantSlots tenants;
    private final int types = MeteringEventType.count();
    private final AtomicLongArray cells;

    public TenantUsage(final TenantSlots tenants)
    {
        this.tenants = tenants;
        this.cells = new AtomicLongArray(tenants.slots() * types * FIELDS);
    }

    @Override
    public void onBatch(final MeteringBatch batch)
    {
        for (int i = 0; i < batch.size(); i++)
        {
            final int type = batch.typeCode(i);
            final int tenant = batch.tenant(i);
            if (type < 0 || type >= types || tenant < 0 || tenant >= tenants.slots())
            {
                continue;
            }
            add(tenant, type, batch.outcome(i), batch.value(i));
            if (type == MeteringEventType.AGENT_MESSAGE.ordinal())
            {
                final long code = batch.value(i);
                add(tenant, MeteringEventType.CONSTITUTIONAL_VALIDATION.ordinal(), code != HASH_MISSING_CODE && code != HASH_MISMATCH_CODE, 0);
            }
        }
    }

    private void add(final int tenant, final int type, final boolean positive, final long value)
    {
        final int base = (tenant * types + type) * FIELDS;
        cells.lazySet(base + COUNT, cells.get(base + COUNT) + 1);
        if (positive)
        {
            cells.lazySet(base + POSITIVE, cells.get(base + POSITIVE) + 1);
        }
        cells.lazySet(base + VALUE_SUM, cells.get(base + VALUE_SUM) + value);
    }

    /** @return events of {@code type} flushed for tenant slot {@code slot}. */
    public long count(final int slot, final MeteringEventType type)
    {
        return cells.get((slot * types + type.ordinal()) * FIELDS + COUNT);
    }

    /** @return those of them with a positive outcome. */
    public long positive(final int slot, final MeteringEventType type)
    {
        return cells.get((slot * types + type.ordinal()) * FIELDS + POSITIVE);
    }

    /** @return the sum of their values. */
    public long valueSum(final int slot, final MeteringEventType type)
    {
        return cells.get((slot * types + type.ordinal()) * FIELDS + VALUE_SUM);
    }

    /** @return the tenant slots these counters are indexed by. */
    public TenantSlots tenants()
    {
        return tenants;
    }

    /**
     * @return {tenant: {event type: {"events": n, "compliant": n, "compliance_rate": r}}} for tenants with any event;
     * compliance_rate is the original's compliance score (1.0 / 0.0 per event) averaged.
     */
    public Map<String, Object> snapshot()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        for (int slot = 0; slot < tenants.slots(); slot++)
        {
            final Map<String, Object> byType = new LinkedHashMap<>();
            for (final MeteringEventType type : MeteringEventType.values())
            {
                final long n = count(slot, type);
                if (n > 0)
                {
                    final long ok = positive(slot, type);
                    final Map<String, Object> t = new LinkedHashMap<>();
                    t.put("events", n);
                    t.put("compliant", ok);
                    t.put("compliance_rate", Math.round(ok * 1000.0 / n) / 1000.0);
                    byType.put(type.metricName(), t);
                }
            }
            if (!byType.isEmpty())
            {
                out.merge(tenants.name(slot), byType, (a, b) -> a);
            }
        }
        return out;
    }
}
