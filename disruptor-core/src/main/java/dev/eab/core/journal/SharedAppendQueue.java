package dev.eab.core.journal;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.nio.file.Path;

/**
 * A daily-rolled Chronicle queue with one appender that several threads use, their appends serialised by the
 * owner (the appender's single-thread check is off): the shape of the small governance and workflow logs
 * ({@code DeliberationStore}, {@code SagaJournal}).
 *
 * @param queue    the queue (the owner closes it)
 * @param appender its appender
 */
public record SharedAppendQueue(SingleChronicleQueue queue, ExcerptAppender appender)
{
    /**
     * Opens (or creates) the queue in {@code directory}; a failure after the queue was built closes it.
     *
     * @throws RuntimeException Chronicle's, as thrown: the caller wraps it in its own typed exception.
     */
    public static SharedAppendQueue open(final Path directory)
    {
        final SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
        try
        {
            final ExcerptAppender appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
            return new SharedAppendQueue(queue, appender);
        }
        catch (final RuntimeException | Error e)
        {
            queue.close();
            throw e;
        }
    }
}
