package dev.eab.core.ops;

import dev.eab.api.RejectReason;
import dev.eab.core.ops.metering.Metering;
import dev.eab.core.ops.metering.MeteringEventType;
import dev.eab.core.ops.metering.TenantBudgets;
import dev.eab.core.ops.metering.TenantSlots;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.PipelineMeter;
import dev.eab.core.registry.AgentRecord;

/**
 * The ops surface's per-message work on the bus thread, all of it primitive and allocation-free: the tenant budget
 * check after validation, then, once the message has its outcome, one {@link MessageCounters} store and one
 * {@code AGENT_MESSAGE} metering event (a CAS and a few stores into the pre-allocated {@code MeteringQueue}).
 * Everything else (aggregation, Prometheus exposition, JSON) happens on other threads, later.
 *
 * <p>Bus thread only (the budgets' arrays are its own).
 */
public final class OpsMeter implements PipelineMeter
{
    private final TenantSlots tenants;
    private final MessageCounters counters;
    private final Metering metering;
    private final TenantBudgets budgets;
    private final boolean budgeted;

    /**
     * @param metering the metering service, or null (counters only)
     * @param budgets  per-tenant budgets, or null
     */
    public OpsMeter(final TenantSlots tenants, final MessageCounters counters, final Metering metering, final TenantBudgets budgets)
    {
        this.tenants = tenants;
        this.counters = counters;
        this.metering = metering;
        this.budgets = budgets;
        this.budgeted = budgets != null && budgets.any();
    }

    @Override
    public void admit(final MessageEvent e)
    {
        if (!budgeted)
        {
            return;
        }
        final AgentRecord sender = e.sender();
        if (sender == null)
        {
            return;
        }
        final long retryAfterMs = budgets.tryAcquire(sender.tenantIndex(), sender.tenantId(), e.publishedNanos());
        if (retryAfterMs > 0)
        {
            e.refuse(RejectReason.TENANT_BUDGET_EXCEEDED.code(), retryAfterMs);
        }
    }

    @Override
    public void processed(final MessageEvent e, final boolean rejected)
    {
        final AgentRecord sender = e.sender();
        final int slot = tenants.slotOf(sender == null ? -1 : sender.tenantIndex());
        counters.count(slot, e.messageType(), e.priority(), rejected);
        if (metering != null)
        {
            metering.record(MeteringEventType.AGENT_MESSAGE, slot, sender == null ? -1 : sender.handle(), !rejected, e.rejectCode(),
                e.publishedNanos());
        }
    }
}
