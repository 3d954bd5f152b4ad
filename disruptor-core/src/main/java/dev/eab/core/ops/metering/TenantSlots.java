package dev.eab.core.ops.metering;

import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * Maps the bus's interned tenant ids (registry tenant indexes, assigned 0, 1, 2, ... as tenants first register) to
 * a bounded range of metering/metrics slots, so per-tenant counters are primitive arrays of a fixed size:
 * slot 0 is {@value #DEFAULT_TENANT} (no tenant, or one no agent registered in: the original's default), slots
 * 1..{@code maxTenants} are tenant indexes 0..maxTenants−1, and the last slot, {@value #OTHER_TENANT}, aggregates
 * every tenant past the bound. Immutable; any thread.
 */
public final class TenantSlots
{
    /** The original's tenant when none is given. */
    public static final String DEFAULT_TENANT = "default";
    /** The slot of tenants past {@code maxTenants}. */
    public static final String OTHER_TENANT = "other";

    private final int maxTenants;
    private final IntFunction<String> tenantName;
    private final ToIntFunction<String> tenantIndex;

    /**
     * @param maxTenants  tenants tracked one by one (≥ 1)
     * @param tenantName  the tenant id of a bus tenant index, or null when unknown (cold: called at scrape time)
     * @param tenantIndex the bus tenant index of a tenant id, negative when none (called by the string hooks)
     */
    public TenantSlots(final int maxTenants, final IntFunction<String> tenantName, final ToIntFunction<String> tenantIndex)
    {
        if (maxTenants < 1)
        {
            throw new IllegalArgumentException("maxTenants must be >= 1, got " + maxTenants);
        }
        this.maxTenants = maxTenants;
        this.tenantName = tenantName;
        this.tenantIndex = tenantIndex;
    }

    /** @return the slot of a bus tenant index (any int: negative means none). Allocation-free. */
    public int slotOf(final int busTenantIndex)
    {
        if (busTenantIndex < 0)
        {
            return 0;
        }
        return busTenantIndex < maxTenants ? busTenantIndex + 1 : maxTenants + 1;
    }

    /** @return the slot of a tenant id (null or blank: the default tenant). */
    public int slotOfTenant(final String tenantId)
    {
        return tenantId == null || tenantId.isBlank() ? 0 : slotOf(tenantIndex.applyAsInt(tenantId));
    }

    /** @return how many slots exist (maxTenants + 2). */
    public int slots()
    {
        return maxTenants + 2;
    }

    /** @return the label of a slot. */
    public String name(final int slot)
    {
        if (slot <= 0)
        {
            return DEFAULT_TENANT;
        }
        if (slot > maxTenants)
        {
            return OTHER_TENANT;
        }
        final String name = tenantName.apply(slot - 1);
        return name == null ? "tenant-" + (slot - 1) : name;
    }
}
