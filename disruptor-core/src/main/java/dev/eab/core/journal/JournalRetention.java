package dev.eab.core.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Reclaims disk: deletes whole cycle files of the journal's two queues whose cycle ended more than the
 * retention ago. Never the current cycle, never a {@code messages/} cycle at or after the oldest one still
 * needed (the cycle of the oldest unacknowledged message's RUN_START record, since replay maps its handles
 * through that run's AGENT records), and never an {@code acks/} cycle at or after the oldest kept
 * {@code messages/} cycle (its acks may name kept messages: without them those would be redelivered).
 *
 * <p>Runs with the needed index from a fresh {@link MessageJournal#readPending()} scan; a scan that races
 * live traffic can only see too many messages as unacknowledged, which keeps more, never less.
 */
final class JournalRetention
{
    private static final String CYCLE_SUFFIX = ".cq4";

    private JournalRetention()
    {
    }

    /** What one pass deleted. */
    record Result(List<Path> deleted, long bytes)
    {
    }

    /**
     * @param oldestNeededIndex the Chronicle index of the oldest document replay needs (-1: none).
     */
    static Result reclaim(final ChronicleQueue messages, final ChronicleQueue acks, final long retentionMs, final long nowMs,
        final long oldestNeededIndex)
    {
        final List<Path> deleted = new ArrayList<>();
        final long[] bytes = {0};
        final SingleChronicleQueue m = (SingleChronicleQueue)messages;
        final int cutoff = cutoffCycle(m, retentionMs, nowMs);
        final int needed = oldestNeededIndex < 0 ? Integer.MAX_VALUE : m.rollCycle().toCycle(oldestNeededIndex);
        final int keptMessagesFrom = delete(m, Math.min(Math.min(cutoff, needed), m.cycle()), deleted, bytes);
        final SingleChronicleQueue a = (SingleChronicleQueue)acks;
        delete(a, Math.min(Math.min(cutoffCycle(a, retentionMs, nowMs), keptMessagesFrom), a.cycle()), deleted, bytes);
        return new Result(deleted, bytes[0]);
    }

    /** @return the first cycle that has not ended {@code retentionMs} before {@code nowMs}. */
    private static int cutoffCycle(final SingleChronicleQueue q, final long retentionMs, final long nowMs)
    {
        final RollCycle rc = q.rollCycle();
        final long t = nowMs - retentionMs - q.epoch();
        // Cycle c ends at (c + 1) * length: it has ended by t when c + 1 <= t / length.
        return (int)Math.max(0, Math.floorDiv(t, (long)rc.lengthInMillis()));
    }

    /** Deletes the queue's cycle files below {@code below}; @return the first cycle kept. */
    private static int delete(final SingleChronicleQueue q, final int below, final List<Path> deleted, final long[] bytes)
    {
        final int first = q.firstCycle();
        final int last = q.lastCycle();
        if (first == Integer.MAX_VALUE || last == Integer.MIN_VALUE || first > last)
        {
            return below;
        }
        int keptFrom = Integer.MAX_VALUE;
        final RollCycle rc = q.rollCycle();
        final DateTimeFormatter names = DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC);
        for (final long c : q.listCyclesBetween(first, last))
        {
            if (c >= below)
            {
                keptFrom = (int)Math.min(keptFrom, c);
                continue;
            }
            final Path file = q.file().toPath().resolve(names.format(Instant.ofEpochMilli(c * rc.lengthInMillis() + q.epoch())) + CYCLE_SUFFIX);
            try
            {
                final long size = Files.size(file);
                if (Files.deleteIfExists(file))
                {
                    deleted.add(file);
                    bytes[0] += size;
                }
            }
            catch (final IOException e)
            {
                // Missing or undeletable: try again on the next pass.
                keptFrom = (int)Math.min(keptFrom, c);
            }
        }
        if (!deleted.isEmpty())
        {
            q.refreshDirectoryListing();
        }
        return keptFrom == Integer.MAX_VALUE ? below : keptFrom;
    }
}
