package dev.eab.api.exception;

/**
 * Thrown to the code that sent a held message (a saga step, a DAG node) when its deliberation ended in a
 * rejection: by a human reviewer, by judicial votes, or withdrawn because the sender stopped waiting. The message
 * was not delivered and never will be. Not in the original (its rejection only changed the item's status).
 */
public class DeliberationRejectedException extends DeliberationException
{
    private final String deliberationId;
    private final String messageId;
    private final String reviewer;
    private final String reasoning;

    /**
     * @param deliberationId the deliberation that rejected it.
     * @param messageId      the held message's id.
     * @param reviewer       who decided (the human reviewer, or empty when votes decided).
     * @param reasoning      the reviewer's reasoning, may be empty.
     */
    public DeliberationRejectedException(final String deliberationId, final String messageId, final String reviewer, final String reasoning)
    {
        super(
            "Deliberation '" + deliberationId + "' rejected message '" + messageId + "'"
                + (reviewer == null || reviewer.isEmpty() ? " by vote" : " (reviewer " + reviewer + ")")
                + (reasoning == null || reasoning.isEmpty() ? "" : ": " + reasoning),
            detailsOf(
                "deliberation_id", deliberationId,
                "message_id", messageId,
                "reviewer", reviewer == null ? "" : reviewer,
                "reasoning", reasoning == null ? "" : reasoning));
        this.deliberationId = deliberationId;
        this.messageId = messageId;
        this.reviewer = reviewer == null ? "" : reviewer;
        this.reasoning = reasoning == null ? "" : reasoning;
    }

    /** @return the deliberation that rejected the message. */
    public String deliberationId()
    {
        return deliberationId;
    }

    /** @return the held message's id. */
    public String messageId()
    {
        return messageId;
    }

    /** @return the human reviewer who rejected it, or empty when judicial votes did. */
    public String reviewer()
    {
        return reviewer;
    }

    /** @return the reviewer's reasoning, may be empty. */
    public String reasoning()
    {
        return reasoning;
    }
}
