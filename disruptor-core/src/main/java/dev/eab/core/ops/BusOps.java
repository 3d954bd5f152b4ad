package dev.eab.core.ops;

import dev.eab.api.BusConfiguration;
import dev.eab.core.ops.metering.Metering;
import dev.eab.core.ops.metering.MeteringConfig;
import dev.eab.core.ops.metering.TenantBudgets;
import dev.eab.core.ops.metering.TenantSlots;
import dev.eab.core.pipeline.PipelineMeter;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.validate.RejectionTexts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bus's ops state: the labelled message counters, the metering service and the tenant budgets, with the
 * {@link PipelineMeter} that feeds them from the bus thread. Built once per bus (counters survive a stop/start);
 * with {@code enableMetering} off there is no meter at all, so the hot path does none of this work.
 *
 * <p>Threads: {@link #meter()} runs on the bus thread; {@link #start()}/{@link #stop()} on the bus's lifecycle
 * thread; the getters from any thread.
 */
public final class BusOps implements AutoCloseable
{
    private final TenantSlots tenants;
    private final MessageCounters counters;
    private final Metering metering;
    private final TenantBudgets budgets;
    private final OpsMeter meter;
    private final Map<Integer, String> tenantNames = new ConcurrentHashMap<>();

    /**
     * @param texts the bus's rejection texts, told about the budgets so a refusal reads as the original's
     *              {@code RateLimitExceeded}
     */
    public BusOps(final BusConfiguration config, final MeteringConfig meteringConfig, final AgentRegistry registry, final RejectionTexts texts)
    {
        this.tenants = new TenantSlots(meteringConfig.maxTenants(), i -> tenantName(registry, i), registry::tenantIndex);
        final boolean on = config.enableMetering() && meteringConfig.enabled();
        this.counters = new MessageCounters(tenants);
        this.metering = on ? new Metering(meteringConfig, tenants, id ->
        {
            final AgentRecord r = registry.byId(id);
            return r == null ? -1 : r.handle();
        }) : null;
        this.budgets = new TenantBudgets(config.maxAgents(), meteringConfig.tenantBudgets());
        texts.tenantBudgets(budgets);
        // Budgets are governance, not accounting: they are enforced even with metering off.
        this.meter = on || budgets.any() ? new OpsMeter(tenants, counters, metering, budgets) : null;
    }

    private String tenantName(final AgentRegistry registry, final int index)
    {
        final String known = tenantNames.get(index);
        if (known != null)
        {
            return known;
        }
        for (final AgentRecord r : registry.all())
        {
            if (r.tenantIndex() >= 0 && r.tenantId() != null)
            {
                tenantNames.putIfAbsent(r.tenantIndex(), r.tenantId());
            }
        }
        return tenantNames.get(index);
    }

    /** @return the bus thread's meter, or null when neither metering nor budgets are on. */
    public PipelineMeter meter()
    {
        return meter;
    }

    /** @return whether messages are counted per tenant/type/priority/status (metering or budgets on). */
    public boolean countsMessages()
    {
        return meter != null;
    }

    /** Starts the metering flusher (with the bus). */
    public void start()
    {
        if (metering != null)
        {
            metering.start();
        }
    }

    /** Stops the metering flusher after draining everything (after the bus thread stopped). */
    public void stop()
    {
        if (metering != null)
        {
            metering.stop();
        }
    }

    @Override
    public void close()
    {
        stop();
    }

    public TenantSlots tenants() { return tenants; }
    public MessageCounters counters() { return counters; }
    /** @return the metering service, or null when metering is off. */
    public Metering metering() { return metering; }
    public TenantBudgets budgets() { return budgets; }
}
