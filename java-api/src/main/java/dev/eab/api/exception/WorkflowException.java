package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of saga and DAG workflow failures that are not a step's own failure: the saga journal cannot be
 * written or read, a saga to resume is unknown or no longer matches its definition.
 *
 * <p>A step or node that fails is not an exception to the caller: it is reported in the workflow's result
 * (status, failed step, errors). This type is thrown only when the workflow machinery itself cannot go on.
 */
public class WorkflowException extends AgentBusException
{
    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public WorkflowException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     * @param cause   the underlying failure, may be {@code null}.
     */
    public WorkflowException(final String message, final Map<String, Object> details, final Throwable cause)
    {
        super(message, details, DEFAULT_CONSTITUTIONAL_HASH, cause);
    }

    /**
     * Convenience for the engine: details from alternating keys and values.
     *
     * @param message       the message.
     * @param keysAndValues alternating String keys and values (values may be {@code null}).
     * @return the exception.
     */
    public static WorkflowException of(final String message, final Object... keysAndValues)
    {
        return new WorkflowException(message, detailsOf(keysAndValues));
    }
}
