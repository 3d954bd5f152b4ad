package dev.eab.api.exception;

/**
 * Thrown when an operation needs an agent's MACI role but none is assigned
 * (mirrors {@code MACIRoleNotAssignedError}).
 */
public class MaciRoleNotAssignedException extends MaciException
{
    private final String agentId;
    private final String operation;

    /**
     * @param agentId   the agent without a role.
     * @param operation the operation that needed it.
     */
    public MaciRoleNotAssignedException(final String agentId, final String operation)
    {
        super(
            "Agent '" + agentId + "' has no MACI role assigned for operation: " + operation,
            detailsOf("agent_id", agentId, "operation", operation));
        this.agentId = agentId;
        this.operation = operation;
    }

    /** @return the agent without a role. */
    public String agentId()
    {
        return agentId;
    }

    /** @return the operation that needed it. */
    public String operation()
    {
        return operation;
    }
}
