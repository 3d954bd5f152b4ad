package dev.eab.core.route;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.api.MessageView;
import dev.eab.api.Priority;

/** A {@link dev.eab.api.MessageView} over a whole {@link AgentMessage}, for dispatched delivery. */
public final class AgentMessageView implements MessageView
{
    /** Content key holding a flyweight message's payload when copied out of the ring. */
    public static final String PAYLOAD_BYTES_KEY = "payload_bytes";
    /** Content key holding a flyweight message's correlation id. */
    public static final String CORRELATION_ID_KEY = "correlation_id";

    private final AgentMessage message;
    private final int senderHandle;
    private final int recipientHandle;
    private final byte[] payload;

    /** A view whose sender handle is read from {@code metadata["sender_handle"]} (-1 when absent). */
    public AgentMessageView(final AgentMessage message, final int recipientHandle)
    {
        this(message, message.metadata().get("sender_handle") instanceof Number n ? n.intValue() : -1, recipientHandle);
    }

    public AgentMessageView(final AgentMessage message, final int senderHandle, final int recipientHandle)
    {
        this.message = message;
        this.senderHandle = senderHandle;
        this.recipientHandle = recipientHandle;
        this.payload = message.content().get(PAYLOAD_BYTES_KEY) instanceof byte[] b ? b : null;
    }

    @Override
    public int senderHandle()
    {
        return senderHandle;
    }

    @Override public int recipientHandle() { return recipientHandle; }
    @Override public MessageType messageType() { return message.messageType(); }
    @Override public Priority priority() { return message.priority(); }

    @Override
    public long correlationId()
    {
        return message.content().get(CORRELATION_ID_KEY) instanceof Number n ? n.longValue() : 0L;
    }

    @Override public int payloadLength() { return payload == null ? 0 : payload.length; }
    @Override public byte payloadByte(final int index) { return payload[index]; }

    @Override
    public int copyPayload(final byte[] dst, final int offset)
    {
        if (payload == null)
        {
            return 0;
        }
        System.arraycopy(payload, 0, dst, offset, payload.length);
        return payload.length;
    }

    @Override public AgentMessage toMessage() { return message; }
}
