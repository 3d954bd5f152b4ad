package dev.eab.api;

import java.util.List;

/**
 * The bus's MACI facade ({@link AgentBus#maci()}): output provenance, the original's
 * {@code validate_action}, and the bounded validation log. Thread-safe.
 *
 * <p>On the message path the bus enforces MACI itself (when {@link BusConfiguration#enableMaci()}); this
 * facade is for outputs produced outside the bus, for checks before acting, and for reviewers (who produced
 * the output a vote is about).
 */
public interface MaciEnforcement
{
    /** @return true when the bus enforces MACI on every message. */
    boolean enabled();

    /** @return true in strict mode (unknown role, unmapped type, unknown target: rejected). */
    boolean strictMode();

    /**
     * Records that {@code agentId} produced {@code outputId} (messages the bus accepts are recorded by message id
     * automatically). Kept after the agent unregisters.
     *
     * @throws dev.eab.api.exception.AgentNotRegisteredException when the agent is not registered.
     */
    void recordOutput(String agentId, String outputId);

    /**
     * @return the agent that produced {@code outputId} (a message id or a recorded output), or null when unknown (never
     * recorded, forgotten at the bound, or recorded by more than one agent: then no voter can be cleared as "not the
     * producer", and a caller enforcing that rule should refuse).
     */
    String producerOf(String outputId);

    /**
     * The original's {@code MACIEnforcer.validate_action}: checks that {@code agentId} may perform {@code action}, and
     * for {@link MaciAction#VALIDATE} that it may validate the target agent and the target output (either may be
     * null). Violations are logged and thrown as typed exceptions.
     *
     * @throws dev.eab.api.exception.MaciRoleNotAssignedException      no role (strict), or unknown target (strict).
     * @throws dev.eab.api.exception.MaciRoleViolationException        the role lacks the action.
     * @throws dev.eab.api.exception.MaciSelfValidationException       the target is the agent or its own output.
     * @throws dev.eab.api.exception.MaciCrossRoleValidationException  the target's role may not be validated by it.
     */
    void validateAction(String agentId, MaciAction action, String targetOutputId, String targetAgentId);

    /** @return the validation log, oldest first (bounded: the oldest entries are dropped first). */
    List<MaciLogEntry> validationLog();

    /** Empties the validation log. */
    void clearValidationLog();
}
