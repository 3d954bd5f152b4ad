package dev.eab.api.exception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Thrown when an agent lacks capabilities an operation requires (mirrors {@code AgentCapabilityError}).
 *
 * <p>The missing capabilities are the required ones not available, without duplicates, in the order
 * they are required (the original used an unordered set).
 */
public class AgentCapabilityException extends AgentException
{
    private final String agentId;
    private final List<String> requiredCapabilities;
    private final List<String> availableCapabilities;
    private final List<String> missingCapabilities;

    /**
     * @param agentId               the agent.
     * @param requiredCapabilities  what the operation needs; copied; {@code null} means empty.
     * @param availableCapabilities what the agent has; copied; {@code null} means empty.
     */
    public AgentCapabilityException(
        final String agentId,
        final List<String> requiredCapabilities,
        final List<String> availableCapabilities)
    {
        final List<String> required = copyOf(requiredCapabilities);
        final List<String> available = copyOf(availableCapabilities);
        final List<String> missing = missing(required, available);
        this.agentId = agentId;
        this.requiredCapabilities = required;
        this.availableCapabilities = available;
        this.missingCapabilities = missing;
        super(
            "Agent '" + agentId + "' missing capabilities: " + String.join(", ", missing),
            detailsOf(
                "agent_id", agentId,
                "required_capabilities", required,
                "available_capabilities", available,
                "missing_capabilities", missing));
    }

    private static List<String> missing(final List<String> required, final List<String> available)
    {
        final Set<String> have = new HashSet<>(available);
        final Set<String> missing = new LinkedHashSet<>();
        for (final String capability : required)
        {
            if (!have.contains(capability))
            {
                missing.add(capability);
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(missing));
    }

    /** @return the agent. */
    public String agentId()
    {
        return agentId;
    }

    /** @return what the operation needs, unmodifiable. */
    public List<String> requiredCapabilities()
    {
        return requiredCapabilities;
    }

    /** @return what the agent has, unmodifiable. */
    public List<String> availableCapabilities()
    {
        return availableCapabilities;
    }

    /** @return required minus available, in required order, unmodifiable. */
    public List<String> missingCapabilities()
    {
        return missingCapabilities;
    }
}
