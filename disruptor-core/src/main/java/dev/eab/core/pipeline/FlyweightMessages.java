package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.route.AgentMessageView;

import java.util.Arrays;
import java.util.Map;

/** Copies a flyweight ring slot out into an {@link AgentMessage}, for inboxes (which outlive the slot). */
final class FlyweightMessages
{
    private FlyweightMessages()
    {
    }

    static AgentMessage materialize(final MessageEvent e, final AgentRecord recipient)
    {
        final String senderId = e.sender == null ? "" : e.sender.agentId();
        return AgentMessage.builder()
            .messageId(senderId + ":" + e.correlationId)
            .fromAgent(senderId)
            .toAgent(recipient.agentId())
            .tenantId(recipient.tenantId())
            .messageType(MessageType.fromOrdinal(e.messageType))
            .priority(Priority.fromValue(e.priority))
            .content(Map.of(
                AgentMessageView.PAYLOAD_BYTES_KEY, Arrays.copyOf(e.payload, e.payloadLength),
                AgentMessageView.CORRELATION_ID_KEY, e.correlationId))
            .metadata(Map.of("sender_handle", e.senderHandle))
            .build();
    }
}
