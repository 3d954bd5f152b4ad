package dev.eab.api.exception;

/**
 * Thrown when registering an agent id that is already registered
 * (mirrors {@code AgentAlreadyRegisteredError}).
 */
public class AgentAlreadyRegisteredException extends AgentException
{
    private final String agentId;

    /**
     * @param agentId the agent registered twice.
     */
    public AgentAlreadyRegisteredException(final String agentId)
    {
        super("Agent '" + agentId + "' is already registered", detailsOf("agent_id", agentId));
        this.agentId = agentId;
    }

    /** @return the agent registered twice. */
    public String agentId()
    {
        return agentId;
    }
}
