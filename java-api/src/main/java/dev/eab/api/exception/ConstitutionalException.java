package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of constitutional-compliance failures (mirrors {@code ConstitutionalError}).
 *
 * <p>Thrown, through its subclasses, when a message or action fails constitutional checks: a wrong
 * constitutional hash ({@link ConstitutionalHashMismatchException}) or failed validation
 * ({@link ConstitutionalValidationException}).
 */
public class ConstitutionalException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public ConstitutionalException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public ConstitutionalException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public ConstitutionalException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public ConstitutionalException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
