package dev.eab.core.journal;

import dev.eab.api.AgentMessage;

/**
 * An accepted message the journal holds no acknowledgement for: redelivered after a restart, keeping its
 * journal index (and, for a {@code send}, its message id). Agents are ids (handles do not survive a restart);
 * null when the run's records did not name them.
 *
 * @param message the whole message ({@code send}/{@code broadcast}), or null for a zero-allocation message.
 */
public record PendingMessage(
    long index, String senderId, String recipientId, AgentMessage message, int messageType, int priority, long correlationId, long expiresAtMs,
    byte[] payload)
{
    static PendingMessage flyweight(
        final long index, final String sender, final String recipient, final int messageType, final int priority, final long correlationId,
        final long expiresAtMs, final byte[] payload)
    {
        return new PendingMessage(index, sender, recipient, null, messageType, priority, correlationId, expiresAtMs, payload);
    }

    static PendingMessage message(final long index, final String sender, final String recipient, final AgentMessage message)
    {
        return new PendingMessage(index, sender, recipient, message, message.messageType().ordinal(), message.priority().value(), 0L, 0L, null);
    }

    /** @return true for a zero-allocation publisher's message (payload bytes, no {@link AgentMessage}). */
    public boolean isFlyweight()
    {
        return message == null;
    }
}
