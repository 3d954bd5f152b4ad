package dev.eab.core.resilience;

/**
 * Where the bus injects chaos faults itself: each is one volatile read on the hot path when nothing is active
 * ({@link FaultInjector#armed}). Every fault fails closed: a fault in validation, a native call that fails twice
 * over, a journal append or routing rejects the message (VALIDATOR_ERROR, the sender is told); a fault at handler
 * delivery fails that delivery (status FAILED, the sender is told). Nothing unvalidated is delivered.
 */
public enum FaultPoint
{
    /** The validate stage, after the verdict (a fault rejects). */
    VALIDATION("validation"),
    /** The native validator's and native scanner's downcalls (a fault is a failed call: breaker + Java twin). */
    NATIVE_CALL("native_call"),
    /** The write-ahead append of an accepted message (a fault rejects: not journaled, not delivered). */
    JOURNAL_APPEND("journal_append"),
    /** Routing to a recipient (a fault, or a partition, rejects; the journal records it refused). */
    ROUTING("routing"),
    /** The hand-over to the recipient's handler or inbox (a fault fails the delivery). */
    HANDLER_DELIVERY("handler_delivery"),
    /** The wall clock the validate stage checks expiry against (skewed by CLOCK_SKEW). */
    CLOCK("clock"),
    /** The governance stage (impact scoring, deliberation hold), when governance is on (a fault rejects). */
    GOVERNANCE("governance");

    private final String label;

    FaultPoint(final String label)
    {
        this.label = label;
    }

    /** @return the name used in scenarios and the admin API */
    public String label()
    {
        return label;
    }

    /** @return this point's bit in {@link FaultInjector}'s armed mask */
    public int bit()
    {
        return 1 << ordinal();
    }

    /** @return the point named {@code label} (either spelling: {@code native_call} or {@code NATIVE_CALL}), or null */
    public static FaultPoint byLabel(final String label)
    {
        for (final FaultPoint p : values())
        {
            if (p.label.equalsIgnoreCase(label) || p.name().equalsIgnoreCase(label))
            {
                return p;
            }
        }
        return null;
    }
}
