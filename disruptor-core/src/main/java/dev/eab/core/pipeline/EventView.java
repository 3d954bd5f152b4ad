package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.api.MessageView;
import dev.eab.api.Priority;

/**
 * The reusable {@link MessageView} handed to INLINE handlers: points at the current ring slot, valid
 * only during the handler call. One instance, owned by the bus thread; allocation-free accessors.
 */
final class EventView implements MessageView
{
    private MessageEvent event;
    private int recipientHandle;

    EventView wrap(final MessageEvent e, final int recipient)
    {
        this.event = e;
        this.recipientHandle = recipient;
        return this;
    }

    void release()
    {
        event = null;
    }

    @Override public int senderHandle() { return event.sender == null ? event.senderHandle : event.sender.handle(); }
    @Override public int recipientHandle() { return recipientHandle; }

    @Override
    public MessageType messageType()
    {
        return event.kind == MessageEvent.KIND_FLYWEIGHT ? MessageType.fromOrdinal(event.messageType) : event.message.messageType();
    }

    @Override
    public Priority priority()
    {
        return event.kind == MessageEvent.KIND_FLYWEIGHT ? Priority.fromValue(event.priority) : event.message.priority();
    }

    @Override public long correlationId() { return event.kind == MessageEvent.KIND_FLYWEIGHT ? event.correlationId : 0L; }
    @Override public int payloadLength() { return event.kind == MessageEvent.KIND_FLYWEIGHT ? event.payloadLength : 0; }

    @Override
    public byte payloadByte(final int index)
    {
        if (index < 0 || index >= payloadLength())
        {
            throw new IndexOutOfBoundsException(index);
        }
        return event.payload[index];
    }

    @Override
    public int copyPayload(final byte[] dst, final int offset)
    {
        final int n = payloadLength();
        System.arraycopy(event.payload, 0, dst, offset, n);
        return n;
    }

    @Override
    public AgentMessage toMessage()
    {
        return event.kind == MessageEvent.KIND_FLYWEIGHT ? FlyweightMessages.materialize(event, event.recipient) : event.message;
    }
}
