package dev.eab.core.pipeline;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.OutcomeListener;
import dev.eab.api.Priority;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.BusNotStartedException;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.validate.HashEncoding;

import java.util.function.BooleanSupplier;

/**
 * The zero-allocation publisher: the publisher object is also the claim flyweight, bound to one ring
 * sequence between {@link #tryClaim()} and {@link #publish()}. Single-threaded by contract (one per
 * sending thread).
 *
 * <p>Shutdown handshake: {@link #active} is set (volatile) before the bus's running flag is read, and
 * the bus sets its flag before reading every publisher's {@code active}; so either this claim sees the
 * bus stopping, or the bus waits for this claim to be published and processed.
 */
public final class RingMessagePublisher implements MessagePublisher, MessageClaim
{
    private final RingBuffer<MessageEvent> ring;
    private final BusMetrics metrics;
    private final int senderHandle;
    private final OutcomeListener listener;
    private final BooleanSupplier running;
    private final byte[] defaultHash;
    private volatile boolean active;
    /**
     * Clears {@link #active} with a release store: the shutdown handshake needs the set to be a full (volatile)
     * store ordered before the running check, but the bus only waits for the clear, which needs no fence; a
     * volatile clear cost a second StoreLoad fence per message on the publishing thread.
     */
    private static final java.lang.invoke.VarHandle ACTIVE;

    static
    {
        try
        {
            ACTIVE = java.lang.invoke.MethodHandles.lookup().findVarHandle(RingMessagePublisher.class, "active", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }
    private MessageEvent event;
    private long sequence = -1;

    public RingMessagePublisher(
        final RingBuffer<MessageEvent> ring, final int senderHandle, final OutcomeListener listener, final BooleanSupplier running,
        final byte[] defaultHash, final BusMetrics metrics)
    {
        this.metrics = metrics;
        this.ring = ring;
        this.senderHandle = senderHandle;
        this.listener = listener;
        this.running = running;
        this.defaultHash = defaultHash.clone();
    }

    @Override
    public int senderHandle()
    {
        return senderHandle;
    }

    /** @return true while a claim is open (between claim and publish). */
    public boolean isActive()
    {
        return active;
    }

    @Override
    public MessageClaim tryClaim()
    {
        if (sequence >= 0)
        {
            throw new IllegalStateException("previous claim not published");
        }
        active = true;
        if (!running.getAsBoolean())
        {
            active = false;
            throw new BusNotStartedException("publish");
        }
        final long seq;
        try
        {
            seq = ring.tryNext();
        }
        catch (final InsufficientCapacityException e)
        {
            ACTIVE.setRelease(this, false);
            metrics.onBackpressure();
            return null;
        }
        sequence = seq;
        final MessageEvent ev = ring.get(seq);
        event = ev;
        ev.kind = MessageEvent.KIND_FLYWEIGHT;
        ev.senderHandle = senderHandle;
        ev.recipientHandle = -1;
        ev.messageType = MessageType.COMMAND.ordinal();
        ev.priority = Priority.NORMAL.value();
        ev.correlationId = 0;
        ev.expiresAtMs = 0;
        System.arraycopy(defaultHash, 0, ev.hash, 0, defaultHash.length);
        ev.hashLength = defaultHash.length;
        ev.payloadLength = 0;
        ev.presetReject = 0;
        ev.maciTargetAgent = -1;
        ev.maciHasTargetOutput = false;
        ev.maciTargetOutput = 0;
        ev.listener = listener;
        return this;
    }

    @Override
    public boolean tryPublish(
        final int recipientHandle, final MessageType type, final long correlationId, final byte[] payload, final int offset, final int length)
    {
        // An oversized or out-of-bounds payload is refused like on the claim path: rejected through the
        // listener and counted, so both forms of publishing report the same outcome for the same message.
        final MessageClaim c = tryClaim();
        if (c == null)
        {
            return false;
        }
        c.to(recipientHandle).type(type).correlationId(correlationId).payload(payload, offset, length).publish();
        return true;
    }

    @Override
    public MessageClaim targetOutput(final long outputId)
    {
        event.maciHasTargetOutput = true;
        event.maciTargetOutput = outputId;
        return this;
    }

    @Override
    public MessageClaim targetAgent(final int agentHandle)
    {
        event.maciTargetAgent = agentHandle;
        return this;
    }

    @Override
    public MessageClaim to(final int recipientHandle)
    {
        event.recipientHandle = recipientHandle;
        return this;
    }

    @Override
    public MessageClaim type(final MessageType type)
    {
        if (type == null)
        {
            // Never throw while a slot is claimed (see payload): refuse the message instead.
            event.presetReject = RejectReason.VALIDATOR_ERROR.code();
            return this;
        }
        event.messageType = type.ordinal();
        return this;
    }

    @Override
    public MessageClaim priority(final Priority priority)
    {
        if (priority == null)
        {
            event.presetReject = RejectReason.VALIDATOR_ERROR.code();
            return this;
        }
        event.priority = priority.value();
        return this;
    }

    @Override
    public MessageClaim correlationId(final long correlationId)
    {
        event.correlationId = correlationId;
        return this;
    }

    @Override
    public MessageClaim constitutionalHash(final CharSequence hash)
    {
        // A null hash is recorded as missing (rejected HASH_MISSING), never thrown with a slot claimed.
        event.hashLength = HashEncoding.encode(hash, event.hash);
        return this;
    }

    @Override
    public MessageClaim expiresAtMs(final long epochMs)
    {
        event.expiresAtMs = epochMs;
        return this;
    }

    @Override
    public MessageClaim payload(final byte[] src, final int offset, final int length)
    {
        final MessageEvent ev = event;
        if (length > ev.payload.length)
        {
            // The slot is claimed and must be published: refuse the message instead of throwing.
            ev.presetReject = RejectReason.MESSAGE_TOO_LARGE.code();
            ev.payloadLength = 0;
            return this;
        }
        if (src == null || length < 0 || offset < 0 || offset > src.length - length)
        {
            // Bad bounds: throwing here would leave the claimed slot unpublished and stall the ring for
            // every publisher, so the message is refused as a failed check instead (fail closed).
            ev.presetReject = RejectReason.VALIDATOR_ERROR.code();
            ev.payloadLength = 0;
            return this;
        }
        System.arraycopy(src, offset, ev.payload, 0, length);
        ev.payloadLength = length;
        return this;
    }

    @Override
    public void publish()
    {
        final long seq = sequence;
        if (seq < 0)
        {
            throw new IllegalStateException("nothing claimed");
        }
        event.publishedNanos = System.nanoTime();
        event = null;
        sequence = -1;
        ring.publish(seq);
        ACTIVE.setRelease(this, false);
    }
}
