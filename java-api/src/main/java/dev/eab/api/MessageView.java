package dev.eab.api;

/**
 * A read-only flyweight over a message being delivered. On the inline path it points into a ring
 * slot and is reused for the next message: valid only during {@link MessageHandler#onMessage}.
 * Accessors do not allocate; {@link #toMessage()} may.
 */
public interface MessageView
{
    /** @return the sender's handle. */
    int senderHandle();

    /** @return the recipient's handle (this agent). */
    int recipientHandle();

    MessageType messageType();

    Priority priority();

    /** @return the sender's correlation id on the zero-allocation path, 0 otherwise. */
    long correlationId();

    /** @return the payload length in bytes (zero-allocation path), 0 for map messages. */
    int payloadLength();

    /** @return one payload byte. */
    byte payloadByte(int index);

    /** Copies the payload into {@code dst} at {@code offset}; @return bytes copied. */
    int copyPayload(byte[] dst, int offset);

    /**
     * @return the message as an {@link AgentMessage}: the original object for messages sent with
     * {@code send}, a new one (payload in content["payload_bytes"]) for flyweight messages.
     */
    AgentMessage toMessage();
}
