package dev.eab.api.exception;

import java.util.Map;

/**
 * Thrown when a governance operation fails (mirrors {@code GovernanceError}).
 *
 * <p>Thrown directly for generic governance failures; {@link ImpactAssessmentException} covers impact
 * assessment.
 */
public class GovernanceException extends AgentBusException
{
    /**
     * @param message the message.
     */
    public GovernanceException(final String message)
    {
        super(message);
    }

    /**
     * @param message the message.
     * @param details extra context; copied; {@code null} means empty.
     */
    public GovernanceException(final String message, final Map<String, Object> details)
    {
        super(message, details);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     */
    public GovernanceException(final String message, final Map<String, Object> details, final String constitutionalHash)
    {
        super(message, details, constitutionalHash);
    }

    /**
     * @param message            the message.
     * @param details            extra context; copied; {@code null} means empty.
     * @param constitutionalHash the hash in force; {@code null} means the default.
     * @param cause              the underlying failure, may be {@code null}.
     */
    public GovernanceException(
        final String message,
        final Map<String, Object> details,
        final String constitutionalHash,
        final Throwable cause)
    {
        super(message, details, constitutionalHash, cause);
    }
}
