package dev.eab.core.workflow;

/**
 * A saga's status. The journal stores {@link #code()}, never the ordinal, so reordering cannot change old
 * records. A {@link SagaResult} only ever holds a terminal status.
 */
public enum SagaStatus
{
    /** Defined, not started. */
    PENDING(0, false),
    /** Running its steps. */
    EXECUTING(1, false),
    /** Every required step completed (optional ones may have failed). */
    COMPLETED(2, true),
    /** Running compensations (never a final status). */
    COMPENSATING(3, false),
    /** A required step failed and every registered compensation succeeded. */
    COMPENSATED(4, true),
    /**
     * The saga's own machinery failed (the journal could not be written, something outside any step or
     * compensation threw): compensations were still run, best effort; see the errors. Resuming from the
     * journal finishes what the journal recorded.
     */
    FAILED(5, true),
    /** A required step failed and at least one compensation failed all its attempts. */
    PARTIALLY_COMPENSATED(6, true);

    private final int code;
    private final boolean terminal;

    SagaStatus(final int code, final boolean terminal)
    {
        this.code = code;
        this.terminal = terminal;
    }

    /** @return the stable code stored in the journal. */
    public int code()
    {
        return code;
    }

    /** @return true for the statuses a finished saga can have. */
    public boolean isTerminal()
    {
        return terminal;
    }

    /**
     * @param code a journaled code.
     * @return the status, or null when no status has this code.
     */
    public static SagaStatus ofCode(final int code)
    {
        for (final SagaStatus s : values())
        {
            if (s.code == code)
            {
                return s;
            }
        }
        return null;
    }
}
