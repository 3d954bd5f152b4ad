package dev.eab.api.exception;

/**
 * Thrown when an operation needs the OPA client before it has been initialised
 * (mirrors {@code OPANotInitializedError}).
 */
public class OpaNotInitializedException extends PolicyException
{
    private final String operation;

    /**
     * @param operation the operation that needed the client.
     */
    public OpaNotInitializedException(final String operation)
    {
        super("OPA client not initialized for operation: " + operation, detailsOf("operation", operation));
        this.operation = operation;
    }

    /** @return the operation that needed the client. */
    public String operation()
    {
        return operation;
    }
}
