package dev.eab.core.route;

/**
 * Records that a journaled message was handed out (its handler ran, or it was received), failed, or was
 * refused after it was journaled, so a restart does not redeliver it. Implemented by the journal; a no-op
 * without one. Status values are {@link dev.eab.core.journal.JournalRecordDescriptor}'s {@code ACK_*}.
 */
@FunctionalInterface
public interface Acknowledger
{
    Acknowledger NONE = (journalIndex, status) -> { };

    /** @param journalIndex the message's journal index; ignored when negative (not journaled). */
    void ack(long journalIndex, int status);
}
