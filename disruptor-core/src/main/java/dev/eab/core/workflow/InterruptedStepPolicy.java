package dev.eab.core.workflow;

/**
 * What {@link SagaCoordinator#resume} does with a step that was running when the process died, so whose
 * effect is unknown. Declared per step, because only the step's author knows whether running it again is
 * safe.
 */
public enum InterruptedStepPolicy
{
    /**
     * The cut-off attempt counts as a failed attempt; the step is run again if its {@link RetryPolicy} has
     * attempts left (its action must then be idempotent), else it fails as if its last attempt had failed.
     */
    RETRY,

    /**
     * The step fails at once and the saga compensates, the step's own compensation first (it was
     * registered before the step ran). This applies to optional steps too: an unknown effect is rolled back.
     */
    COMPENSATE
}
