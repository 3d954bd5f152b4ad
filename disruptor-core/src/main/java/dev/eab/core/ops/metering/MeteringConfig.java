package dev.eab.core.ops.metering;

import dev.eab.api.TenantIds;
import dev.eab.api.exception.ConfigurationException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metering settings (the original's {@code MeteringConfig}, reference §4.4) plus our per-tenant budgets.
 *
 * @param enabled          false: hooks return false without counting (the original's disabled service)
 * @param maxQueueSize     events that may wait before new ones are dropped (default 10,000)
 * @param batchSize        events per sink call (default 100); a flush drains everything queued, batch by batch
 * @param flushIntervalMs  the longest the flusher sleeps (default 1,000 ms); it is woken sooner under load
 * @param maxTenants       tenants metered one by one; later tenants share the "other" slot (default 256)
 * @param tenantBudgets    per-tenant message budgets by normalised tenant id (empty: none)
 */
public record MeteringConfig(
    boolean enabled, int maxQueueSize, int batchSize, long flushIntervalMs, int maxTenants, Map<String, TenantBudget> tenantBudgets)
{
    public static final int DEFAULT_MAX_QUEUE_SIZE = 10_000;
    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 1_000;
    public static final int DEFAULT_MAX_TENANTS = 256;

    public MeteringConfig
    {
        if (maxQueueSize < 1)
        {
            throw new ConfigurationException("metering_max_queue_size", "must be >= 1, got " + maxQueueSize);
        }
        if (batchSize < 1)
        {
            throw new ConfigurationException("metering_batch_size", "must be >= 1, got " + batchSize);
        }
        if (flushIntervalMs < 1)
        {
            throw new ConfigurationException("metering_flush_interval_ms", "must be >= 1, got " + flushIntervalMs);
        }
        if (maxTenants < 1)
        {
            throw new ConfigurationException("metering_max_tenants", "must be >= 1, got " + maxTenants);
        }
        final Map<String, TenantBudget> budgets = new LinkedHashMap<>();
        for (final Map.Entry<String, TenantBudget> e : tenantBudgets.entrySet())
        {
            final String tenant = TenantIds.normalize(e.getKey());
            if (!TenantIds.isValid(tenant) || tenant == null)
            {
                throw new ConfigurationException("tenant_budget", TenantIds.invalidFormat(tenant));
            }
            budgets.put(tenant, e.getValue());
        }
        tenantBudgets = Map.copyOf(budgets);
    }

    /** @return the original's defaults, enabled, no budgets. */
    public static MeteringConfig defaults()
    {
        return new MeteringConfig(true, DEFAULT_MAX_QUEUE_SIZE, DEFAULT_BATCH_SIZE, DEFAULT_FLUSH_INTERVAL_MS, DEFAULT_MAX_TENANTS, Map.of());
    }

    /** @return these settings with per-tenant budgets. */
    public MeteringConfig withTenantBudgets(final Map<String, TenantBudget> budgets)
    {
        return new MeteringConfig(enabled, maxQueueSize, batchSize, flushIntervalMs, maxTenants, budgets);
    }

    /** @return these settings with another queue size. */
    public MeteringConfig withMaxQueueSize(final int size)
    {
        return new MeteringConfig(enabled, size, batchSize, flushIntervalMs, maxTenants, tenantBudgets);
    }

    /** @return these settings with another flush interval. */
    public MeteringConfig withFlushIntervalMs(final long ms)
    {
        return new MeteringConfig(enabled, maxQueueSize, batchSize, ms, maxTenants, tenantBudgets);
    }

    /** @return these settings enabled or disabled. */
    public MeteringConfig withEnabled(final boolean on)
    {
        return new MeteringConfig(on, maxQueueSize, batchSize, flushIntervalMs, maxTenants, tenantBudgets);
    }

    /**
     * Reads {@code EAB_METERING_QUEUE_SIZE}, {@code EAB_METERING_BATCH_SIZE}, {@code EAB_METERING_FLUSH_MS},
     * {@code EAB_METERING_MAX_TENANTS} and {@code EAB_TENANT_BUDGETS} ({@code tenant=messages/windowSeconds,...},
     * e.g. {@code acme=1000/60,beta=50/1}) over the defaults.
     *
     * @throws ConfigurationException for a malformed value
     */
    public static MeteringConfig fromEnvironment(final Map<String, String> env)
    {
        final MeteringConfig d = defaults();
        final Map<String, TenantBudget> budgets = new LinkedHashMap<>();
        final String spec = env.get("EAB_TENANT_BUDGETS");
        if (spec != null && !spec.isBlank())
        {
            for (final String item : spec.split(","))
            {
                final int eq = item.indexOf('=');
                if (eq <= 0)
                {
                    throw new ConfigurationException("EAB_TENANT_BUDGETS", "expected tenant=messages/windowSeconds, got '" + item.trim() + "'");
                }
                budgets.put(item.substring(0, eq).trim(), TenantBudget.parse(item.substring(eq + 1)));
            }
        }
        return new MeteringConfig(true,
            intOf(env, "EAB_METERING_QUEUE_SIZE", d.maxQueueSize()),
            intOf(env, "EAB_METERING_BATCH_SIZE", d.batchSize()),
            intOf(env, "EAB_METERING_FLUSH_MS", (int)d.flushIntervalMs()),
            intOf(env, "EAB_METERING_MAX_TENANTS", d.maxTenants()),
            budgets);
    }

    private static int intOf(final Map<String, String> env, final String key, final int fallback)
    {
        final String v = env.get(key);
        if (v == null || v.isBlank())
        {
            return fallback;
        }
        try
        {
            return Integer.parseInt(v.trim());
        }
        catch (final NumberFormatException e)
        {
            throw new ConfigurationException(key, "not an integer: '" + v + "'");
        }
    }
}
