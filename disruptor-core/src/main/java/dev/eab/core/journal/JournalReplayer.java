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
    /** Most replayed messages claimed and published as one ring batch. */
    private static final int MAX_BATCH = 256;

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
        // Filled from the read's columns: no PendingMessage or payload array per message.
        final PendingRecords messages = pending.pending();
        final int count = messages.size();
        final int batchMax = Math.max(1, Math.min(MAX_BATCH, ring.getBufferSize()));
        // The read maps handles to ids through one String per agent and run: the last lookup is reused by identity.
        final AgentCache senders = new AgentCache(registry);
        final AgentCache recipients = new AgentCache(registry);
        int i = 0;
        while (i < count)
        {
            // Claim a whole batch of slots at once (one cursor update for up to MAX_BATCH replayed messages).
            int routable = 0;
            int end = i;
            while (end < count && routable < batchMax)
            {
                if (recipients.get(messages.recipientId(end)) != null)
                {
                    routable++;
                }
                else
                {
                    unroutable++;
                }
                end++;
            }
            if (routable > 0)
            {
                final long hi = ring.next(routable);
                long seq = hi - routable + 1;
                for (int k = i; k < end; k++)
                {
                    final AgentRecord recipient = recipients.get(messages.recipientId(k));
                    if (recipient == null)
                    {
                        continue;
                    }
                    final boolean fits = EventSlots.fillReplay(ring.get(seq), messages, k, senders.get(messages.senderId(k)), recipient);
                    if (!fits)
                    {
                        journal.ack(messages.id(k), JournalRecordDescriptor.ACK_REJECTED);
                    }
                    seq++;
                    replayed++;
                }
                ring.publish(hi - routable + 1, hi);
            }
            i = end;
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

    /** The last id looked up and its record: replayed runs name few agents, so most lookups hit it. */
    private static final class AgentCache
    {
        private final AgentRegistry registry;
        private String lastId;
        private AgentRecord last;

        AgentCache(final AgentRegistry registry)
        {
            this.registry = registry;
        }

        AgentRecord get(final String id)
        {
            if (id == null)
            {
                return null;
            }
            if (id != lastId)
            {
                lastId = id;
                last = registry.byId(id);
            }
            return last;
        }
    }
}
