package dev.eab.core.workflow;

import java.time.Instant;

/**
 * One saga journal record, decoded (layout: {@link SagaRecordDescriptor}).
 *
 * @param type        the transition.
 * @param timestampNs wall clock, nanoseconds since the epoch.
 * @param stepIndex   the step, or -1 for saga-level records (SAGA_STARTED: the step count).
 * @param attempt     the attempt from 1, 0 when not an attempt.
 * @param code        the status code (SAGA_FINISHED) or the failure flags (*_FAILED), else 0.
 * @param sagaId      the saga instance.
 * @param name        the step's name, or the definition's name on saga-level records.
 * @param text        result, error, input or reason; may be null.
 */
public record SagaRecord(
    SagaTransition type, long timestampNs, int stepIndex, int attempt, int code, String sagaId, String name, String text)
{
    /** @return the timestamp as an instant. */
    public Instant timestamp()
    {
        return Instant.ofEpochSecond(0, timestampNs);
    }

    /** @param flag one of {@link SagaRecordDescriptor}'s FLAG_ constants. @return true when the record has it. */
    public boolean has(final int flag)
    {
        return (code & flag) != 0;
    }

    static long nowNs()
    {
        final Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
