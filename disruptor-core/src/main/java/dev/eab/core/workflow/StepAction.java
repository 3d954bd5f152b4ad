package dev.eab.core.workflow;

/**
 * The forward work of a saga step. Returning normally completes the step with the returned text as its
 * result (journaled, handed to later steps and to the step's compensation; null is allowed); throwing
 * anything, or running past the step's timeout, fails this attempt.
 *
 * <p>Results are text so that the journal can hold them and a resumed saga can hand later steps exactly
 * what the earlier run produced (encode structured results as JSON or the like).
 */
@FunctionalInterface
public interface StepAction
{
    /**
     * @param context the saga, the step, the attempt, earlier results and the bus.
     * @return the step's result, may be null.
     * @throws Exception when this attempt failed.
     */
    String execute(StepContext context) throws Exception;
}
