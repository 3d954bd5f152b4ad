package dev.eab.core.governance;

import dev.eab.api.AgentMessage;
import dev.eab.api.OutcomeListener;

/**
 * A message the governance stage held, copied out of its ring slot (the only allocation governance makes, and
 * only on a hold): what a reviewer sees and what approval re-injects.
 *
 * @param message       the whole message ({@code send}), or for a zero-allocation message a copy of it (payload
 *                      bytes under {@code content.payload_bytes}) for reviewers
 * @param flyweight     true for a zero-allocation publisher's message (re-injected as one, with its payload)
 * @param senderId      the sender's agent id
 * @param recipientId   the recipient chosen when it was validated (capability routing included)
 * @param messageType   the type's ordinal
 * @param priority      the priority's value
 * @param correlationId the zero-allocation message's correlation id (0 for a send)
 * @param payload       the zero-allocation payload (empty for a send)
 * @param listener      the zero-allocation sender's listener (told the later outcome), or null; not persisted
 */
public record HeldMessage(
    AgentMessage message, boolean flyweight, String senderId, String recipientId, int messageType, int priority, long correlationId,
    byte[] payload, OutcomeListener listener)
{
}
