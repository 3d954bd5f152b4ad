package dev.eab.core.workflow;

/** Where one saga step ended up (the original's step statuses). */
public enum StepStatus
{
    /** Never started (the saga stopped before it). */
    PENDING,
    /** Running (seen only in a journal that a crash cut off). */
    EXECUTING,
    /** Completed; not compensated. */
    COMPLETED,
    /** Failed all its attempts (or was cut off under {@link InterruptedStepPolicy#COMPENSATE}); has no compensation or it did not run. */
    FAILED,
    /** Its compensation was running (seen only in a journal that a crash cut off). */
    COMPENSATING,
    /** Its compensation succeeded. */
    COMPENSATED,
    /** Its compensation failed all its attempts. */
    COMPENSATION_FAILED
}
