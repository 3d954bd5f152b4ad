package dev.eab.api;

/**
 * One entry of the MACI validation log: a violation the bus refused (on the message path or through
 * {@link MaciEnforcement#validateAction}).
 *
 * @param timestampMs   wall clock at the decision, epoch ms.
 * @param agentId       the acting agent.
 * @param action        the action attempted ({@link MaciAction#value()}), or the message type's value when it
 *                      maps to no action.
 * @param target        the target output id or target agent id, or null when none was named.
 * @param violationType {@code not_assigned}, {@code unmapped_type}, {@code role_violation}, {@code self_validation},
 *                      {@code cross_role} or {@code target_not_found}.
 * @param message       the rejection text (the typed exception's message).
 */
public record MaciLogEntry(long timestampMs, String agentId, String action, String target, String violationType, String message)
{
}
