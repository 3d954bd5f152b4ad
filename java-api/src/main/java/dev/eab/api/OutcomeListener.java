package dev.eab.api;

/**
 * Told the outcome of each message sent through a {@link MessagePublisher}, on the bus thread:
 * implementations must be quick, must not block, and should not allocate.
 */
public interface OutcomeListener
{
    /** The message was validated and handed to the recipient. */
    void onDelivered(long correlationId, int recipientHandle);

    /** The message was refused; it was not delivered. */
    void onRejected(long correlationId, RejectReason reason);

    /** The recipient's handler threw; the message had been validated. */
    default void onHandlerFailed(final long correlationId, final Throwable error)
    {
    }

    /**
     * The message scored at or above its tenant's impact threshold and is held for deliberation: not delivered
     * (yet). If it is approved it is delivered later and {@link #onDelivered} follows; if it is rejected or times
     * out, {@link #onRejected} follows with {@link RejectReason#DELIBERATION_REJECTED}.
     */
    default void onHeld(final long correlationId)
    {
    }
}
