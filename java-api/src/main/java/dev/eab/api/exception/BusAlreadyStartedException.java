package dev.eab.api.exception;

/**
 * Thrown when starting a bus that is already running (mirrors {@code BusAlreadyStartedError}).
 */
public class BusAlreadyStartedException extends BusOperationException
{
    /** Creates the exception; it has no arguments and empty details. */
    public BusAlreadyStartedException()
    {
        super("Agent bus is already running", null);
    }
}
