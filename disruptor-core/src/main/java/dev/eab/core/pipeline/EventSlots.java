package dev.eab.core.pipeline;

import com.lmax.disruptor.EventFactory;
import dev.eab.api.AgentMessage;
import dev.eab.api.ValidationResult;

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
}
