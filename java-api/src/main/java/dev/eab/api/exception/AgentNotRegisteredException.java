package dev.eab.api.exception;

/**
 * Thrown when an operation needs a registered agent that the bus does not know
 * (mirrors {@code AgentNotRegisteredError}).
 */
public class AgentNotRegisteredException extends AgentException
{
    private final String agentId;
    private final String operation;

    /**
     * @param agentId   the unknown agent.
     * @param operation the operation that needed it, may be {@code null} (then, as when empty, not shown).
     */
    public AgentNotRegisteredException(final String agentId, final String operation)
    {
        super(
            "Agent '" + agentId + "' is not registered" + (present(operation) ? " (required for " + operation + ")" : ""),
            detailsOf("agent_id", agentId, "operation", operation));
        this.agentId = agentId;
        this.operation = operation;
    }

    /**
     * Without operation.
     *
     * @param agentId the unknown agent.
     */
    public AgentNotRegisteredException(final String agentId)
    {
        this(agentId, null);
    }

    /** @return the unknown agent. */
    public String agentId()
    {
        return agentId;
    }

    /** @return the operation that needed it, may be {@code null}. */
    public String operation()
    {
        return operation;
    }
}
