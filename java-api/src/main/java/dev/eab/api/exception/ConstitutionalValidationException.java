package dev.eab.api.exception;

import java.util.List;

/**
 * Thrown when constitutional validation of a message or action fails for any reason other than a hash
 * mismatch (mirrors {@code ConstitutionalValidationError}).
 */
public class ConstitutionalValidationException extends ConstitutionalException
{
    private final List<String> validationErrors;
    private final String agentId;
    private final String actionType;

    /**
     * @param validationErrors what failed; copied; {@code null} means empty.
     * @param agentId          the agent concerned, may be {@code null}.
     * @param actionType       the action concerned, may be {@code null}.
     */
    public ConstitutionalValidationException(
        final List<String> validationErrors,
        final String agentId,
        final String actionType)
    {
        final List<String> errors = copyOf(validationErrors);
        this.validationErrors = errors;
        this.agentId = agentId;
        this.actionType = actionType;
        super(
            "Constitutional validation failed: " + String.join("; ", errors),
            detailsOf("validation_errors", errors, "agent_id", agentId, "action_type", actionType));
    }

    /**
     * Without agent or action.
     *
     * @param validationErrors what failed; copied; {@code null} means empty.
     */
    public ConstitutionalValidationException(final List<String> validationErrors)
    {
        this(validationErrors, null, null);
    }

    /** @return the validation errors, unmodifiable. */
    public List<String> validationErrors()
    {
        return validationErrors;
    }

    /** @return the agent concerned, may be {@code null}. */
    public String agentId()
    {
        return agentId;
    }

    /** @return the action concerned, may be {@code null}. */
    public String actionType()
    {
        return actionType;
    }
}
