package dev.eab.api;

/**
 * The zero-allocation send path for latency-critical senders: claim a ring slot, write fields,
 * publish. Outcomes go to the {@link OutcomeListener} given when the publisher was created.
 *
 * <p>Not thread-safe: one publisher per sending thread. In steady state nothing here allocates.
 * <pre>{@code
 * MessageClaim c = publisher.tryClaim();
 * if (c != null) { c.to(recipientHandle).type(MessageType.COMMAND).correlationId(n).payload(buf, 0, len).publish(); }
 * }</pre>
 */
public interface MessagePublisher
{
    /** @return the sender's handle this publisher sends as. */
    int senderHandle();

    /**
     * Claims the next ring slot.
     *
     * @return the claim to fill and {@link MessageClaim#publish()}, or null when the ring is full
     * (nothing was claimed; try again or shed load).
     */
    MessageClaim tryClaim();

    /**
     * Claims and publishes a message in one call. A payload the slot cannot hold is refused as on the
     * claim path (see {@link MessageClaim#payload}): published, then rejected through the listener.
     *
     * @return false when the ring is full (nothing was published).
     */
    boolean tryPublish(int recipientHandle, MessageType type, long correlationId, byte[] payload, int offset, int length);
}
