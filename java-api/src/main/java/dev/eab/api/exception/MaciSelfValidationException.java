package dev.eab.api.exception;

/**
 * Thrown when an agent attempts to validate its own output, which MACI forbids to prevent Gödel bypass
 * (mirrors {@code MACISelfValidationError}).
 *
 * <p>The message names the action, e.g. {@code Agent 'a' cannot validate its own output (Gödel bypass
 * prevention)} for action {@code "validate"}; the details carry {@code prevention_type = "godel_bypass"}.
 */
public class MaciSelfValidationException extends MaciException
{
    /** The value of the {@code prevention_type} detail. */
    public static final String PREVENTION_TYPE = "godel_bypass";

    private final String agentId;
    private final String action;
    private final String outputId;

    /**
     * @param agentId  the agent.
     * @param action   the action attempted on its own output, e.g. {@code "validate"}.
     * @param outputId the output concerned, may be {@code null} (then, as when empty, not shown).
     */
    public MaciSelfValidationException(final String agentId, final String action, final String outputId)
    {
        super(
            "Agent '" + agentId + "' cannot " + action + " its own output (Gödel bypass prevention)"
                + (present(outputId) ? " [output: " + outputId + "]" : ""),
            detailsOf(
                "agent_id", agentId,
                "action", action,
                "output_id", outputId,
                "prevention_type", PREVENTION_TYPE));
        this.agentId = agentId;
        this.action = action;
        this.outputId = outputId;
    }

    /**
     * Without output id.
     *
     * @param agentId the agent.
     * @param action  the action attempted on its own output.
     */
    public MaciSelfValidationException(final String agentId, final String action)
    {
        this(agentId, action, null);
    }

    /** @return the agent. */
    public String agentId()
    {
        return agentId;
    }

    /** @return the action attempted. */
    public String action()
    {
        return action;
    }

    /** @return the output concerned, may be {@code null}. */
    public String outputId()
    {
        return outputId;
    }
}
