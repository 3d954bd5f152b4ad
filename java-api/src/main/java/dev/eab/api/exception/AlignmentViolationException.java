package dev.eab.api.exception;

/**
 * Thrown when a message or action violates constitutional alignment
 * (mirrors {@code AlignmentViolationError}).
 */
public class AlignmentViolationException extends AgentBusException
{
    private final String reason;
    private final Double alignmentScore;
    private final String agentId;

    /**
     * @param reason         what is misaligned.
     * @param alignmentScore the alignment score, may be {@code null} (then not shown).
     * @param agentId        the agent concerned, may be {@code null}.
     */
    public AlignmentViolationException(final String reason, final Double alignmentScore, final String agentId)
    {
        super(
            "Constitutional alignment violation: " + reason
                + (alignmentScore != null ? " (score: " + alignmentScore + ")" : ""),
            detailsOf("reason", reason, "alignment_score", alignmentScore, "agent_id", agentId));
        this.reason = reason;
        this.alignmentScore = alignmentScore;
        this.agentId = agentId;
    }

    /**
     * Without score or agent.
     *
     * @param reason what is misaligned.
     */
    public AlignmentViolationException(final String reason)
    {
        this(reason, null, null);
    }

    /** @return what is misaligned. */
    public String reason()
    {
        return reason;
    }

    /** @return the alignment score, may be {@code null}. */
    public Double alignmentScore()
    {
        return alignmentScore;
    }

    /** @return the agent concerned, may be {@code null}. */
    public String agentId()
    {
        return agentId;
    }
}
