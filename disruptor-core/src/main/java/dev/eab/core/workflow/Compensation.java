package dev.eab.core.workflow;

/**
 * Undoes what a saga step or a DAG node did. Returning normally means undone; throwing anything means this
 * attempt failed (it is retried under the compensation's {@link RetryPolicy}).
 *
 * <p>Must be idempotent and must tolerate "nothing to undo": a saga step's compensation is registered
 * before the step runs, so it also runs for a step that failed or was cut off half-way, and after a crash
 * a compensation that was running is run again.
 */
@FunctionalInterface
public interface Compensation
{
    /**
     * @param context which workflow, step or node, attempt, and the step's result if it had one.
     * @throws Exception when this attempt could not undo the effect.
     */
    void compensate(CompensationContext context) throws Exception;
}
