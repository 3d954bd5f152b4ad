package dev.eab.core.ops.metering;

/**
 * The original's metering hooks (reference §4.4, {@code MeteringHooks}), one event type each. The ordinal is
 * stored in a queue slot ({@link MeteringEventDescriptor#TYPE_OFFSET}), so never reorder.
 */
public enum MeteringEventType
{
    /** {@code on_constitutional_validation}: STANDARD tier, compliance 1.0 when valid. */
    CONSTITUTIONAL_VALIDATION("constitutional_validation"),
    /** {@code on_agent_message}: one per message the bus processed (the bus thread meters it). */
    AGENT_MESSAGE("agent_message"),
    /** {@code on_policy_evaluation}: ENHANCED tier, compliance 1.0 when the decision is "allow". */
    POLICY_EVALUATION("policy_evaluation"),
    /** {@code on_deliberation_request}: a message held for deliberation. */
    DELIBERATION_REQUEST("deliberation_request"),
    /** {@code on_hitl_approval}: a human reviewer's decision. */
    HITL_APPROVAL("hitl_approval");

    private static final MeteringEventType[] VALUES = values();

    private final String metricName;

    MeteringEventType(final String metricName)
    {
        this.metricName = metricName;
    }

    /** @return the snake_case label used in metrics and JSON. */
    public String metricName()
    {
        return metricName;
    }

    /** @return the type stored as {@code code}, or null for a code no type has. */
    public static MeteringEventType fromCode(final int code)
    {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    /** @return how many types exist, for arrays indexed by ordinal. */
    public static int count()
    {
        return VALUES.length;
    }
}
