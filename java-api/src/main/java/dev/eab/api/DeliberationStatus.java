package dev.eab.api;

/**
 * Where a held message's deliberation stands (the original's statuses, reference §3.5). A held item starts
 * {@link #UNDER_REVIEW} at once (the original waited for a {@link #PENDING} → UNDER_REVIEW step nothing made).
 * {@link #APPROVED}, {@link #REJECTED}, {@link #TIMED_OUT} and {@link #CONSENSUS_REACHED} are final.
 */
public enum DeliberationStatus
{
    PENDING("pending"),
    UNDER_REVIEW("under_review"),
    APPROVED("approved"),
    REJECTED("rejected"),
    TIMED_OUT("timed_out"),
    CONSENSUS_REACHED("consensus_reached");

    private final String value;

    DeliberationStatus(final String value)
    {
        this.value = value;
    }

    /** @return the lowercase wire value. */
    public String value()
    {
        return value;
    }

    /** @return true when no vote or decision can change this item any more. */
    public boolean isFinal()
    {
        return this != PENDING && this != UNDER_REVIEW;
    }
}
