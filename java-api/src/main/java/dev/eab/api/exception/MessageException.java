package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of message-processing failures (mirrors {@code MessageError}).
 *
 * <p>Thrown, through its subclasses, when a message is invalid, cannot be delivered or routed, times out,
 * or its sender exceeds a rate limit.
 */
public class MessageException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public MessageException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public MessageException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public MessageException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public MessageException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
