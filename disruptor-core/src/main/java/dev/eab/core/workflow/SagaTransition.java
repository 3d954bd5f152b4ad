package dev.eab.core.workflow;

/**
 * The kinds of record in the saga journal, one per transition. {@link #code()} is what the record holds
 * (stable; never the ordinal).
 */
public enum SagaTransition
{
    /** A saga instance began: name = the definition's name, step = its step count, text = the input. */
    SAGA_STARTED(1),
    /** A step attempt is about to run (written before it runs: write-ahead). This registers the step's compensation. */
    STEP_STARTED(2),
    /** A step attempt completed: text = its result. */
    STEP_COMPLETED(3),
    /** A step attempt failed: text = why; flags say whether it was the last attempt and whether it timed out. */
    STEP_FAILED(4),
    /** Forward execution stopped and compensation begins: step = the failed step (-1: none), text = why. */
    SAGA_COMPENSATING(5),
    /** A compensation attempt is about to run. */
    COMPENSATION_STARTED(6),
    /** A compensation attempt succeeded. */
    COMPENSATION_DONE(7),
    /** A compensation attempt failed: text = why; flags as for {@link #STEP_FAILED}. */
    COMPENSATION_FAILED(8),
    /** The saga finished: code = {@link SagaStatus#code()}. */
    SAGA_FINISHED(9);

    private final int code;

    SagaTransition(final int code)
    {
        this.code = code;
    }

    /** @return the code stored in the record. */
    public int code()
    {
        return code;
    }

    /**
     * @param code a stored code.
     * @return the transition, or null when unknown.
     */
    public static SagaTransition ofCode(final int code)
    {
        for (final SagaTransition t : values())
        {
            if (t.code == code)
            {
                return t;
            }
        }
        return null;
    }
}
