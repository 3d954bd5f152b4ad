package dev.eab.api.exception;

/**
 * Thrown when critic reviews of a decision reach no consensus (mirrors {@code ReviewConsensusError}).
 */
public class ReviewConsensusException extends DeliberationException
{
    private final String decisionId;
    private final int approvalCount;
    private final int rejectionCount;
    private final int escalationCount;

    /**
     * @param decisionId      the decision.
     * @param approvalCount   approving reviews.
     * @param rejectionCount  rejecting reviews.
     * @param escalationCount escalating reviews.
     */
    public ReviewConsensusException(
        final String decisionId,
        final int approvalCount,
        final int rejectionCount,
        final int escalationCount)
    {
        super(
            "Review consensus not reached for '" + decisionId + "': " + approvalCount + " approvals, "
                + rejectionCount + " rejections, " + escalationCount + " escalations",
            detailsOf(
                "decision_id", decisionId,
                "approval_count", approvalCount,
                "rejection_count", rejectionCount,
                "escalation_count", escalationCount));
        this.decisionId = decisionId;
        this.approvalCount = approvalCount;
        this.rejectionCount = rejectionCount;
        this.escalationCount = escalationCount;
    }

    /** @return the decision. */
    public String decisionId()
    {
        return decisionId;
    }

    /** @return approving reviews. */
    public int approvalCount()
    {
        return approvalCount;
    }

    /** @return rejecting reviews. */
    public int rejectionCount()
    {
        return rejectionCount;
    }

    /** @return escalating reviews. */
    public int escalationCount()
    {
        return escalationCount;
    }
}
