package dev.eab.api.exception;

/**
 * Thrown when a deliberation is not decided within its timeout (mirrors {@code DeliberationTimeoutError}).
 */
public class DeliberationTimeoutException extends DeliberationException
{
    private final String decisionId;
    private final long timeoutSeconds;
    private final int pendingReviews;
    private final int pendingSignatures;

    /**
     * @param decisionId        the decision under deliberation.
     * @param timeoutSeconds    the timeout that elapsed, in seconds.
     * @param pendingReviews    reviews still outstanding.
     * @param pendingSignatures signatures still outstanding.
     */
    public DeliberationTimeoutException(
        final String decisionId,
        final long timeoutSeconds,
        final int pendingReviews,
        final int pendingSignatures)
    {
        super(
            "Deliberation '" + decisionId + "' timed out after " + timeoutSeconds + "s",
            detailsOf(
                "decision_id", decisionId,
                "timeout_seconds", timeoutSeconds,
                "pending_reviews", pendingReviews,
                "pending_signatures", pendingSignatures));
        this.decisionId = decisionId;
        this.timeoutSeconds = timeoutSeconds;
        this.pendingReviews = pendingReviews;
        this.pendingSignatures = pendingSignatures;
    }

    /**
     * With nothing pending.
     *
     * @param decisionId     the decision under deliberation.
     * @param timeoutSeconds the timeout that elapsed, in seconds.
     */
    public DeliberationTimeoutException(final String decisionId, final long timeoutSeconds)
    {
        this(decisionId, timeoutSeconds, 0, 0);
    }

    /** @return the decision under deliberation. */
    public String decisionId()
    {
        return decisionId;
    }

    /** @return the timeout that elapsed, in seconds. */
    public long timeoutSeconds()
    {
        return timeoutSeconds;
    }

    /** @return reviews still outstanding. */
    public int pendingReviews()
    {
        return pendingReviews;
    }

    /** @return signatures still outstanding. */
    public int pendingSignatures()
    {
        return pendingSignatures;
    }
}
