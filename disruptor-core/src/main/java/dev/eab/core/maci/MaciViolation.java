package dev.eab.core.maci;

import dev.eab.api.MaciAction;
import dev.eab.api.MaciRole;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.MaciCrossRoleValidationException;
import dev.eab.api.exception.MaciException;
import dev.eab.api.exception.MaciRoleNotAssignedException;
import dev.eab.api.exception.MaciRoleViolationException;
import dev.eab.api.exception.MaciSelfValidationException;

/**
 * Turns a MACI reason code and the facts behind it into the typed exception with the original's text
 * (reference §2.5) and the validation log's violation type. Cold path only (rejections, log queries).
 */
public final class MaciViolation
{
    /** The reason the original names "Role constraint violation". */
    public static final String ROLE_CONSTRAINT = "Role constraint violation";

    private MaciViolation()
    {
    }

    /** @return the validation log's name for a MACI reason (the original's log labels). */
    public static String type(final RejectReason reason)
    {
        return switch (reason)
        {
            case MACI_ROLE_NOT_ASSIGNED -> "not_assigned";
            case MACI_UNMAPPED_TYPE -> "unmapped_type";
            case MACI_ROLE_VIOLATION -> "role_violation";
            case MACI_SELF_VALIDATION -> "self_validation";
            case MACI_CROSS_ROLE -> "cross_role";
            case MACI_TARGET_NOT_FOUND -> "target_not_found";
            default -> throw new IllegalArgumentException("not a MACI reason: " + reason);
        };
    }

    /**
     * @param agentId      the acting agent.
     * @param role         its role, or null.
     * @param action       the action, or null when the message type maps to none.
     * @param typeValue    the message type's value (for an unmapped type), or the action's value.
     * @param targetKind   {@link MaciLogBook#TARGET_AGENT}, {@link MaciLogBook#TARGET_OUTPUT} or {@link MaciLogBook#TARGET_NONE}.
     * @param target       the target agent id or output id, or null.
     * @param targetAgent  the agent whose role was judged (the target agent, or the output's producer), or null.
     * @param targetRole   that agent's role, or null.
     * @return the typed exception (never thrown here).
     */
    public static MaciException exception(
        final RejectReason reason, final String agentId, final MaciRole role, final MaciAction action, final String typeValue,
        final int targetKind, final String target, final String targetAgent, final MaciRole targetRole)
    {
        final String actionName = action == null ? typeValue : action.value();
        return switch (reason)
        {
            case MACI_ROLE_NOT_ASSIGNED -> new MaciRoleNotAssignedException(agentId, actionName);
            case MACI_UNMAPPED_TYPE -> new MaciException("Agent '" + agentId + "' (" + (role == null ? "none" : role.value()) +
                ") cannot send '" + typeValue + "': Unknown type (no MACI action is mapped to it; strict mode)",
                java.util.Map.of("agent_id", agentId, "message_type", typeValue));
            case MACI_ROLE_VIOLATION -> new MaciRoleViolationException(agentId, role == null ? "none" : role.value(), actionName,
                MaciTables.allowedRoles(action));
            case MACI_SELF_VALIDATION -> new MaciSelfValidationException(agentId, actionName,
                targetKind == MaciLogBook.TARGET_OUTPUT ? target : null);
            case MACI_CROSS_ROLE -> new MaciCrossRoleValidationException(agentId, role == null ? "none" : role.value(),
                targetAgent == null ? String.valueOf(target) : targetAgent, targetRole == null ? "none" : targetRole.value(), ROLE_CONSTRAINT);
            case MACI_TARGET_NOT_FOUND -> targetKind == MaciLogBook.TARGET_AGENT
                ? new MaciRoleNotAssignedException(String.valueOf(target), "validate_target")
                : new MaciException("Target output '" + target + "' not found: its producer is unknown (strict mode)",
                    java.util.Map.of("output_id", String.valueOf(target), "agent_id", agentId));
            default -> throw new IllegalArgumentException("not a MACI reason: " + reason);
        };
    }
}
