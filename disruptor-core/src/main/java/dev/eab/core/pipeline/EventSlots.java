package dev.eab.core.pipeline;

import com.lmax.disruptor.EventFactory;
import dev.eab.api.AgentMessage;
import dev.eab.api.ValidationResult;
import dev.eab.core.journal.PendingMessage;
import dev.eab.core.registry.AgentRecord;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Creates ring slots and fills them for the convenient ({@code send}/{@code broadcast}) path. */
public final class EventSlots
{
    private EventSlots()
    {
    }

    /** @return a factory of slots each holding {@code payloadCapacity} payload bytes. */
    public static EventFactory<MessageEvent> factory(final int payloadCapacity)
    {
        return () -> new MessageEvent(payloadCapacity);
    }

    /**
     * Fills a claimed slot with a message redelivered from the journal: already validated and journaled, so
     * it only passes through routing, keeping its journal index (and id). Nobody waits on its outcome.
     *
     * @return false when a zero-allocation payload no longer fits the slot (the payload capacity shrank).
     */
    public static boolean fillReplay(final MessageEvent e, final PendingMessage p, final AgentRecord sender, final AgentRecord recipient)
    {
        e.replay = true;
        e.journalIndex = p.index();
        e.sender = sender;
        e.recipient = recipient;
        e.senderHandle = sender == null ? -1 : sender.handle();
        e.recipientHandle = recipient.handle();
        e.messageType = p.messageType();
        e.priority = p.priority();
        e.correlationId = p.correlationId();
        e.expiresAtMs = p.expiresAtMs();
        e.presetReject = 0;
        e.listener = null;
        e.broadcastFuture = null;
        e.publishedNanos = System.nanoTime();
        if (p.isFlyweight())
        {
            e.kind = MessageEvent.KIND_FLYWEIGHT;
            e.message = null;
            e.future = null;
            if (p.payload().length > e.payload.length)
            {
                // Refused like an oversized claim: validated as a new message, rejected by its preset code.
                e.replay = false;
                e.presetReject = dev.eab.api.RejectReason.MESSAGE_TOO_LARGE.code();
                e.payloadLength = 0;
                return false;
            }
            System.arraycopy(p.payload(), 0, e.payload, 0, p.payload().length);
            e.payloadLength = p.payload().length;
        }
        else
        {
            e.kind = MessageEvent.KIND_MESSAGE;
            e.message = p.message();
            e.future = new CompletableFuture<>();
        }
        return true;
    }

    /** Fills a claimed slot with a whole message; the publisher then publishes the sequence. */
    public static void fillMessage(
        final MessageEvent e, final byte kind, final AgentMessage message, final CompletableFuture<ValidationResult> future,
        final CompletableFuture<Map<String, ValidationResult>> broadcastFuture)
    {
        e.kind = kind;
        e.message = message;
        e.future = future;
        e.broadcastFuture = broadcastFuture;
        e.messageType = message.messageType().ordinal();
        e.priority = message.priority().value();
        e.correlationId = 0;
        e.presetReject = 0;
        e.listener = null;
        e.publishedNanos = System.nanoTime();
    }

    /**
     * {@link #fillReplay(MessageEvent, PendingMessage, AgentRecord, AgentRecord)} from entry {@code i} of a journal
     * read's columns: a zero-allocation message's payload is copied from the read's chunk straight into the slot, with
     * no object per message.
     *
     * @return false when a zero-allocation payload no longer fits the slot (the payload capacity shrank).
     */
    public static boolean fillReplay(
        final MessageEvent e, final dev.eab.core.journal.PendingRecords p, final int i, final AgentRecord sender, final AgentRecord recipient)
    {
        e.replay = true;
        e.journalIndex = p.id(i);
        e.sender = sender;
        e.recipient = recipient;
        e.senderHandle = sender == null ? -1 : sender.handle();
        e.recipientHandle = recipient.handle();
        e.messageType = p.messageType(i);
        e.priority = p.priority(i);
        e.correlationId = p.correlationId(i);
        e.expiresAtMs = p.expiresAtMs(i);
        e.presetReject = 0;
        e.listener = null;
        e.broadcastFuture = null;
        e.publishedNanos = System.nanoTime();
        if (p.isFlyweight(i))
        {
            e.kind = MessageEvent.KIND_FLYWEIGHT;
            e.message = null;
            e.future = null;
            final int length = p.payloadLength(i);
            if (length > e.payload.length)
            {
                e.replay = false;
                e.presetReject = dev.eab.api.RejectReason.MESSAGE_TOO_LARGE.code();
                e.payloadLength = 0;
                return false;
            }
            p.copyPayload(i, e.payload);
            e.payloadLength = length;
        }
        else
        {
            e.kind = MessageEvent.KIND_MESSAGE;
            e.message = p.message(i);
            e.future = new CompletableFuture<>();
        }
        return true;
    }

    /**
     * Fills a claimed slot with a held message a deliberation approved: validated and governed when it was sent,
     * so, like a replay, it only passes through routing, keeping its message id. A zero-allocation sender's
     * listener is told the delivery.
     *
     * @return false when a zero-allocation payload no longer fits the slot (then it is refused, as in a replay).
     */
    public static boolean fillApproved(
        final MessageEvent e, final PendingMessage p, final AgentRecord sender, final AgentRecord recipient, final dev.eab.api.OutcomeListener listener)
    {
        final boolean fits = fillReplay(e, p, sender, recipient);
        e.listener = p.isFlyweight() ? listener : null;
        e.reinjected = e.replay;
        return fits;
    }

    /** @return the outcome future of a whole message's slot (null for a zero-allocation one); read before publishing. */
    public static CompletableFuture<ValidationResult> futureOf(final MessageEvent e)
    {
        return e.future;
    }

    /** @return a zero-allocation message copied out of its slot (what a held one is kept as); allocates. */
    public static AgentMessage copyFlyweight(final MessageEvent e)
    {
        return FlyweightMessages.materialize(e, e.recipient);
    }
}
