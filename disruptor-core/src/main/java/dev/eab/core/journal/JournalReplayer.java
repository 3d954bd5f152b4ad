package dev.eab.core.journal;

import com.lmax.disruptor.RingBuffer;
import dev.eab.core.pipeline.EventSlots;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Redelivers what the journal holds as accepted but never acknowledged: each pending message goes into
 * the ring as a replay event (validate and journal skip it; route delivers it with its journal index and
 * message id; its ack is written as for any delivery), and the call returns once the bus thread has
 * routed them all. Run by the bus's {@code start()} before it accepts sends: at-least-once delivery.
 */
public final class JournalReplayer
{
    private static final long WAIT_PARK_NS = 50_000;

    private JournalReplayer()
    {
    }

    /**
     * What a replay did.
     *
     * @param replayed   messages redelivered.
     * @param unroutable messages whose recipient is not registered (they stay pending for the next start).
     * @param pending    what the journal read, with its warnings.
     */
    public record Result(long replayed, long unroutable, MessageJournal.Pending pending)
    {
    }

    /**
     * @param ring      the started ring, before any sender may publish (no sends are accepted yet).
     * @param timeoutMs how long to wait for the bus thread to route the replayed messages.
     */
    public static Result replay(final MessageJournal journal, final RingBuffer<MessageEvent> ring, final AgentRegistry registry, final long timeoutMs)
    {
        final MessageJournal.Pending pending = journal.readPending();
        journal.replayRead();
        long replayed = 0;
        long unroutable = 0;
        for (final PendingMessage p : pending.messages())
        {
            final AgentRecord recipient = p.recipientId() == null ? null : registry.byId(p.recipientId());
            if (recipient == null)
            {
                unroutable++;
                continue;
            }
            final long seq = ring.next();
            final boolean fits = EventSlots.fillReplay(ring.get(seq), p, p.senderId() == null ? null : registry.byId(p.senderId()), recipient);
            ring.publish(seq);
            if (!fits)
            {
                journal.ack(p.index(), JournalRecordDescriptor.ACK_REJECTED);
            }
            replayed++;
        }
        // The bus is not RUNNING yet, so wait on the ring itself: its consumer's sequence advances per event.
        final long last = ring.getCursor();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (ring.getMinimumGatingSequence() < last && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(WAIT_PARK_NS);
        }
        return new Result(replayed, unroutable, pending);
    }
}
