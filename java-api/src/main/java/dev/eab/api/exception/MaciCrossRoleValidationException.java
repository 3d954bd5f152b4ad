package dev.eab.api.exception;

/**
 * Thrown when one agent may not validate another because of their MACI roles
 * (mirrors {@code MACICrossRoleValidationError}).
 */
public class MaciCrossRoleValidationException extends MaciException
{
    private final String validatorAgent;
    private final String validatorRole;
    private final String targetAgent;
    private final String targetRole;
    private final String reason;

    /**
     * @param validatorAgent the validating agent.
     * @param validatorRole  its role.
     * @param targetAgent    the agent whose output was to be validated.
     * @param targetRole     its role.
     * @param reason         why this is not allowed.
     */
    public MaciCrossRoleValidationException(
        final String validatorAgent,
        final String validatorRole,
        final String targetAgent,
        final String targetRole,
        final String reason)
    {
        super(
            "Cross-role validation error: " + validatorAgent + " (" + validatorRole + ") cannot validate "
                + targetAgent + " (" + targetRole + "): " + reason,
            detailsOf(
                "validator_agent", validatorAgent,
                "validator_role", validatorRole,
                "target_agent", targetAgent,
                "target_role", targetRole,
                "reason", reason));
        this.validatorAgent = validatorAgent;
        this.validatorRole = validatorRole;
        this.targetAgent = targetAgent;
        this.targetRole = targetRole;
        this.reason = reason;
    }

    /** @return the validating agent. */
    public String validatorAgent()
    {
        return validatorAgent;
    }

    /** @return the validator's role. */
    public String validatorRole()
    {
        return validatorRole;
    }

    /** @return the agent whose output was to be validated. */
    public String targetAgent()
    {
        return targetAgent;
    }

    /** @return the target's role. */
    public String targetRole()
    {
        return targetRole;
    }

    /** @return why this is not allowed. */
    public String reason()
    {
        return reason;
    }
}
