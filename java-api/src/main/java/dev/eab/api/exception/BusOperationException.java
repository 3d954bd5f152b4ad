package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of bus-lifecycle and dispatch failures (mirrors {@code BusOperationError}).
 *
 * <p>Thrown, through its subclasses, when the bus is used before start or started twice, a handler
 * fails, or a ring or inbox is full under the REJECT backpressure policy.
 */
public class BusOperationException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public BusOperationException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public BusOperationException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public BusOperationException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public BusOperationException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
