package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of deliberation-layer failures (mirrors {@code DeliberationError}).
 *
 * <p>Thrown, through its subclasses, when a deliberation times out, signatures cannot be collected, or
 * reviewers reach no consensus.
 */
public class DeliberationException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public DeliberationException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public DeliberationException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public DeliberationException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public DeliberationException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
