package dev.eab.core.ops.metering;

import dev.eab.api.TenantIds;

import java.util.function.ToIntFunction;

/**
 * The original's {@code MeteringHooks} (reference §4.4): one call per governance event, from any thread; each
 * returns at once (true when queued) and never throws. The tenant defaults to {@value TenantSlots#DEFAULT_TENANT}.
 * The bus thread does not use these (they resolve strings): it meters each message with primitives through
 * {@link Metering#record}.
 */
public final class MeteringHooks
{
    private static final double SCORE_SCALE = 1_000_000.0;

    private final Metering metering;
    private final TenantSlots tenants;
    private final ToIntFunction<String> agentHandles;

    MeteringHooks(final Metering metering, final TenantSlots tenants, final ToIntFunction<String> agentHandles)
    {
        this.metering = metering;
        this.tenants = tenants;
        this.agentHandles = agentHandles;
    }

    /** {@code on_constitutional_validation}: STANDARD tier, compliance 1.0 when valid. */
    public boolean onConstitutionalValidation(final String tenantId, final String agentId, final boolean valid, final long latencyNanos)
    {
        return record(MeteringEventType.CONSTITUTIONAL_VALIDATION, tenantId, agentId, valid, latencyNanos);
    }

    /** {@code on_agent_message}: a message sent outside the bus's own pipeline (the pipeline meters its own). */
    public boolean onAgentMessage(final String tenantId, final String fromAgent, final boolean accepted)
    {
        return record(MeteringEventType.AGENT_MESSAGE, tenantId, fromAgent, accepted, 0);
    }

    /** {@code on_policy_evaluation}: ENHANCED tier, compliance 1.0 when {@code decision} is "allow". */
    public boolean onPolicyEvaluation(final String tenantId, final String agentId, final String decision, final long latencyNanos)
    {
        return record(MeteringEventType.POLICY_EVALUATION, tenantId, agentId, "allow".equalsIgnoreCase(decision), latencyNanos);
    }

    /** {@code on_deliberation_request}: a message held for deliberation with its impact score (0..1). */
    public boolean onDeliberationRequest(final String tenantId, final String agentId, final double impactScore)
    {
        return record(MeteringEventType.DELIBERATION_REQUEST, tenantId, agentId, true, Math.round(impactScore * SCORE_SCALE));
    }

    /** {@code on_hitl_approval}: a human reviewer's decision and how long it took. */
    public boolean onHitlApproval(final String tenantId, final String agentId, final boolean approved, final long responseMs)
    {
        return record(MeteringEventType.HITL_APPROVAL, tenantId, agentId, approved, responseMs);
    }

    private boolean record(final MeteringEventType type, final String tenantId, final String agentId, final boolean outcome, final long value)
    {
        try
        {
            final int slot = tenants.slotOfTenant(TenantIds.normalize(tenantId));
            final int agent = agentId == null ? -1 : agentHandles.applyAsInt(agentId);
            return metering.record(type, slot, agent, outcome, value, System.nanoTime());
        }
        catch (final RuntimeException e)
        {
            // A hook never fails its caller: metering is accounting, not governance.
            return false;
        }
    }
}
