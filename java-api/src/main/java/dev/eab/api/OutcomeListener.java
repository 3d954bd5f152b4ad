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
}
