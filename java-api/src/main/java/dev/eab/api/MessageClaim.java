package dev.eab.api;

/**
 * A claimed ring slot being filled by one publisher thread. Every claim must be published exactly
 * once (the ring cannot advance past an unpublished slot). Fields not set keep their defaults:
 * type COMMAND, priority NORMAL, the bus's constitutional hash, no expiry, empty payload.
 */
public interface MessageClaim
{
    MessageClaim to(int recipientHandle);

    MessageClaim type(MessageType type);

    MessageClaim priority(Priority priority);

    MessageClaim correlationId(long correlationId);

    /** Sets the claimed constitutional hash (copied; at most 16 characters are kept, length is checked). */
    MessageClaim constitutionalHash(CharSequence hash);

    /** Sets an expiry in epoch milliseconds; 0 for none. */
    MessageClaim expiresAtMs(long epochMs);

    /**
     * Copies the payload into the slot. A payload longer than the slot's capacity
     * ({@code payloadCapacityBytes}) is not copied: the message is rejected as MESSAGE_TOO_LARGE once
     * published; bad bounds (null {@code src}, negative or out-of-range offset/length) reject it as
     * VALIDATOR_ERROR. A claimed slot cannot be abandoned, so this never throws.
     */
    MessageClaim payload(byte[] src, int offset, int length);

    /**
     * MACI: names the output a VALIDATE-type message judges, by numeric id (another flyweight message's correlation
     * id, or a message whose id is that number in decimal). Checked when MACI is on; ignored otherwise.
     */
    MessageClaim targetOutput(long outputId);

    /** MACI: names the agent a VALIDATE-type message judges, by handle (-1: none). Checked when MACI is on. */
    MessageClaim targetAgent(int agentHandle);

    /** Makes the message visible to the bus. The claim must not be touched afterwards. */
    void publish();
}
