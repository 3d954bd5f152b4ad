package dev.eab.api.exception;

import java.util.Map;

/**
 * Base of MACI role-separation failures (mirrors {@code MACIError}); these enforce
 * separation of powers and prevent Gödel bypass (an agent validating its own output).
 *
 * <p>Thrown, through its subclasses, when an agent acts outside its role, validates its own output,
 * breaks cross-role validation rules, or has no role assigned.
 */
public class MaciException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public MaciException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public MaciException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public MaciException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public MaciException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
