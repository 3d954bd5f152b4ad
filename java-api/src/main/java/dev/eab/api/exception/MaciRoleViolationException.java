package dev.eab.api.exception;

import java.util.List;

/**
 * Thrown when an agent attempts an action its MACI role does not permit
 * (mirrors {@code MACIRoleViolationError}).
 *
 * <p>The allowed roles are appended to the message only when there are any.
 */
public class MaciRoleViolationException extends MaciException
{
    private final String agentId;
    private final String role;
    private final String action;
    private final List<String> allowedRoles;

    /**
     * @param agentId      the agent.
     * @param role         its role, e.g. {@code "executive"}.
     * @param action       the action attempted, e.g. {@code "validate"}.
     * @param allowedRoles roles that may perform the action; copied; {@code null} means empty.
     */
    public MaciRoleViolationException(
        final String agentId,
        final String role,
        final String action,
        final List<String> allowedRoles)
    {
        final List<String> allowed = copyOf(allowedRoles);
        this.agentId = agentId;
        this.role = role;
        this.action = action;
        this.allowedRoles = allowed;
        super(
            "Agent '" + agentId + "' (" + role + ") cannot perform '" + action + "'"
                + (allowed.isEmpty() ? "" : " - allowed roles: " + String.join(", ", allowed)),
            detailsOf("agent_id", agentId, "role", role, "action", action, "allowed_roles", allowed));
    }

    /**
     * Without allowed roles.
     *
     * @param agentId the agent.
     * @param role    its role.
     * @param action  the action attempted.
     */
    public MaciRoleViolationException(final String agentId, final String role, final String action)
    {
        this(agentId, role, action, null);
    }

    /** @return the agent. */
    public String agentId()
    {
        return agentId;
    }

    /** @return its role. */
    public String role()
    {
        return role;
    }

    /** @return the action attempted. */
    public String action()
    {
        return action;
    }

    /** @return roles that may perform the action, unmodifiable, possibly empty. */
    public List<String> allowedRoles()
    {
        return allowedRoles;
    }
}
