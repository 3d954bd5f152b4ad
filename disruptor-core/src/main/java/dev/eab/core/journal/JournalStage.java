package dev.eab.core.journal;

import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.Stage;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.resilience.BreakerGuard;
import dev.eab.core.resilience.FaultInjector;
import dev.eab.core.resilience.FaultPoint;

import java.util.List;

/**
 * The write-ahead step, between govern and route, on the bus thread: every accepted message is appended to
 * the {@link MessageJournal} before it is delivered (its index travels with the delivery, so the ack can
 * name it), and every rejection is appended as a decision (reason, no payload). Without a journal it does
 * nothing. A replayed message was journaled by the run that accepted it and is not appended again.
 *
 * <p>The zero-allocation path stays allocation-free: the slot's fields and payload bytes are written
 * straight into the memory-mapped queue, into one BATCH document per ring batch ({@link JournalRecordDescriptor}),
 * closed at {@link #endOfBatch()} before the batch is routed.
 */
public final class JournalStage implements Stage
{
    private static final int APPEND_POINT = FaultPoint.JOURNAL_APPEND.bit();
    private final MessageJournal journal;
    private final FaultInjector faults;
    private final BreakerGuard breaker;

    /** @param journal the journal, or null when journaling is off. */
    public JournalStage(final MessageJournal journal)
    {
        this(journal, new FaultInjector(), null);
    }

    /**
     * @param faults  the bus's chaos fault points ({@link FaultPoint#JOURNAL_APPEND})
     * @param breaker the {@code journal} breaker: failed appends are reported to it (health sees them); it never
     *                stops an append (there is no fallback: a message that cannot be journaled is rejected), or null
     */
    public JournalStage(final MessageJournal journal, final FaultInjector faults, final BreakerGuard breaker)
    {
        this.journal = journal;
        this.faults = faults;
        this.breaker = breaker;
    }

    @Override
    public void endOfBatch()
    {
        if (journal != null)
        {
            journal.endOfBatch();
        }
    }

    @Override
    public void afterHeldRoute()
    {
        journal.flushAcks();
    }

    /**
     * Always with a journal: the batch's records are one Chronicle document, readable (and so replayable after a
     * crash) only once it is closed at the end of the batch. Routing before that could let a dispatched handler or
     * a sender see a message whose record a {@code kill -9} would then lose, so under the page-cache policy too
     * nothing is delivered and no sender hears "accepted" before its batch is written (and, under SYNC_PER_BATCH,
     * msynced).
     */
    @Override
    public boolean holdsRouteUntilEndOfBatch()
    {
        return journal != null;
    }

    @Override
    public void onEvent(final MessageEvent e)
    {
        // A held message is not accepted for delivery yet: the deliberation store keeps it until it is decided. Once
        // approved it comes back replay-like but unjournaled, so it is journaled now: a crash before its delivery is
        // acknowledged redelivers it like any accepted message.
        if (journal == null || (e.isReplay() && !e.isReinjected()) || e.isHeld())
        {
            return;
        }
        if (breaker == null)
        {
            append(e);
            return;
        }
        try
        {
            append(e);
            breaker.success();
        }
        catch (final RuntimeException | Error t)
        {
            // Reported, then rethrown: the pipeline rejects the message (fail closed: not journaled, not delivered).
            breaker.failure(t);
            throw t;
        }
    }

    private void append(final MessageEvent e)
    {
        if (e.rejectCode() == 0 && faults.armed(APPEND_POINT))
        {
            faults.at(FaultPoint.JOURNAL_APPEND, e.sender(), e.recipient());
        }
        final AgentRecord sender = e.sender();
        if (e.rejectCode() != 0)
        {
            journal.appendRejection(e.rejectCode(), sender, e.recipient(), e.correlationId(), e.message() == null ? "" : e.message().messageId());
            return;
        }
        switch (e.kind())
        {
            case MessageEvent.KIND_FLYWEIGHT -> e.journalIndex(journal.appendFlyweight(sender, e.recipient(), e.messageType(), e.priority(),
                e.correlationId(), e.expiresAtMs(), e.payload(), e.payloadLength()));
            case MessageEvent.KIND_MESSAGE -> e.journalIndex(journal.appendMessage(sender, e.recipient(), e.message()));
            case MessageEvent.KIND_BROADCAST ->
            {
                final List<AgentRecord> recipients = e.broadcastRecipients();
                final long[] indexes = new long[recipients.size()];
                for (int i = 0; i < indexes.length; i++)
                {
                    final int code = e.broadcastCode(i);
                    if (code == 0)
                    {
                        indexes[i] = journal.appendMessage(sender, recipients.get(i), e.message());
                    }
                    else
                    {
                        indexes[i] = -1;
                        journal.appendRejection(code, sender, recipients.get(i), 0L, e.message().messageId());
                    }
                }
                e.broadcastJournalIndexes(indexes);
            }
            default ->
            {
                // No other kind carries a message.
            }
        }
    }
}
