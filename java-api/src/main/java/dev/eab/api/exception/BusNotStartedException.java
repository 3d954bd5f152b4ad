package dev.eab.api.exception;

/**
 * Thrown when an operation needs a started bus but the bus is not running
 * (mirrors {@code BusNotStartedError}).
 */
public class BusNotStartedException extends BusOperationException
{
    private final String operation;

    /**
     * @param operation the operation attempted.
     */
    public BusNotStartedException(final String operation)
    {
        super("Agent bus not started for operation: " + operation, detailsOf("operation", operation));
        this.operation = operation;
    }

    /** @return the operation attempted. */
    public String operation()
    {
        return operation;
    }
}
