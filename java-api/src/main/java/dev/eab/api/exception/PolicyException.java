package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of policy and OPA failures (mirrors {@code PolicyError}).
 *
 * <p>Thrown, through its subclasses, when a policy cannot be found or evaluated, or the OPA client is
 * unreachable or not initialised.
 */
public class PolicyException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public PolicyException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public PolicyException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public PolicyException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public PolicyException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
