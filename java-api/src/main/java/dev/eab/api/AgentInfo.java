package dev.eab.api;

import java.util.Set;

/**
 * A registered agent.
 *
 * @param agentId      the agent's id.
 * @param agentType    free-form type, "worker" by default.
 * @param capabilities what it can do (used by capability routing and policy).
 * @param tenantId     normalised tenant (lowercase, trimmed), or null for none.
 * @param maciRole     its MACI role, or null.
 * @param handle       the bus's small-integer handle for the zero-allocation publisher.
 */
public record AgentInfo(String agentId, String agentType, Set<String> capabilities, String tenantId, MaciRole maciRole, int handle)
{
    public AgentInfo
    {
        capabilities = Set.copyOf(capabilities);
    }
}
