package dev.eab.core.workflow;

/**
 * What a {@link Compensation} is told: the workflow instance, the step or node it undoes, the attempt
 * number (1-based, counted across a resume) and the result the step or node produced (null when it did
 * not complete: it failed, timed out or was cut off by a crash).
 */
public final class CompensationContext
{
    private final String workflowId;
    private final String name;
    private final int attempt;
    private final Object result;

    CompensationContext(final String workflowId, final String name, final int attempt, final Object result)
    {
        this.workflowId = workflowId;
        this.name = name;
        this.attempt = attempt;
        this.result = result;
    }

    /** @return the saga id, or the DAG run's id. */
    public String workflowId()
    {
        return workflowId;
    }

    /** @return the step's or node's name. */
    public String name()
    {
        return name;
    }

    /** @return this compensation attempt, from 1. */
    public int attempt()
    {
        return attempt;
    }

    /** @return what the step or node returned; null when it did not complete. */
    public Object result()
    {
        return result;
    }
}
