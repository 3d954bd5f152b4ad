package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageType;
import dev.eab.core.EnhancedAgentBus;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9: a scribbled tail (garbage over the last bytes of a queue file, as a crash or a bad disk can
 * leave) or a truncated one (a file cut short mid-record) never stops the next bus from starting and never
 * replays garbage: what precedes it is replayed, in order, and the cut is reported with a warning (a
 * record without its end marker, or unreadable bytes after the last whole record).
 */
class JournalTornTailTest
{
    private static final int MESSAGES = 50;
    private static final int SCRIBBLE_BYTES = 48;
    private static final int TRUNCATE_BYTES = 20;
    /** Held so the handler stays attached to the logger the journal reports with. */
    private static final Logger JOURNAL_LOG = Logger.getLogger(MessageJournal.class.getName());

    @Test
    void aScribbledTailIsCutAndWhatPrecedesItIsReplayed(@TempDir final Path dir) throws Exception
    {
        writeMessages(dir);
        scribbleOverTheTail(dir.resolve(JournalRecordDescriptor.MESSAGES_QUEUE));
        restartReplaysAnIntactPrefixAndWarns(dir);
    }

    @Test
    void aTruncatedTailIsCutAndWhatPrecedesItIsReplayed(@TempDir final Path dir) throws Exception
    {
        writeMessages(dir);
        final Path cycle = cycleFile(dir.resolve(JournalRecordDescriptor.MESSAGES_QUEUE));
        try (RandomAccessFile f = new RandomAccessFile(cycle.toFile(), "rw"))
        {
            // Cut inside the last record: its header survives, the end of its body does not.
            f.setLength(lastNonZeroByte(f) + 1 - TRUNCATE_BYTES);
        }
        restartReplaysAnIntactPrefixAndWarns(dir);
    }

    @Test
    void aRecordHeaderLeftNotCompleteByACrashIsCutWithAWarning(@TempDir final Path dir) throws Exception
    {
        writeMessages(dir);
        final Path queueDir = dir.resolve(JournalRecordDescriptor.MESSAGES_QUEUE);
        // Where the last record's header is, as Chronicle reads it (positions are file offsets).
        long header = -1;
        int length = 0;
        try (ChronicleQueue q = MessageJournal.readOnlyQueue(queueDir); ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    header = dc.wire().bytes().readPosition() - Integer.BYTES;
                    length = (int)dc.wire().bytes().readRemaining();
                }
            }
        }
        assertTrue(header > 0);
        try (RandomAccessFile f = new RandomAccessFile(cycleFile(queueDir).toFile(), "rw"))
        {
            // What a writer killed mid-record leaves: the header's NOT_COMPLETE bit set (little-endian int).
            f.seek(header);
            f.write(java.nio.ByteBuffer.allocate(Integer.BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0x8000_0000 | length).array());
        }
        final List<String> warnings = restartReplaysAnIntactPrefixAndWarns(dir);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("torn or corrupt record header")), warnings::toString);
    }

    private static void writeMessages(final Path dir) throws Exception
    {
        try (EnhancedAgentBus first = bus(dir))
        {
            first.start();
            for (int i = 0; i < MESSAGES; i++)
            {
                first.send(AgentMessage.builder().messageId("m-" + i).fromAgent("s").toAgent("r").tenantId("acme").messageType(MessageType.EVENT)
                    .content(Map.of("i", i, "text", "payload number " + i)).build()).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aCleanTailIsNotReported(@TempDir final Path dir) throws Exception
    {
        writeMessages(dir);
        final List<String> warnings = new ArrayList<>();
        final List<String> replayed = restart(dir, warnings);
        assertEquals(MESSAGES, replayed.size());
        assertEquals(List.of(), warnings);
    }

    private static List<String> restart(final Path dir, final List<String> warnings)
    {
        final Handler capture = new Handler()
        {
            @Override
            public void publish(final LogRecord record)
            {
                if (record.getLevel() == Level.WARNING)
                {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush()
            {
            }

            @Override
            public void close()
            {
            }
        };
        JOURNAL_LOG.addHandler(capture);
        final List<String> replayed = new ArrayList<>();
        try (EnhancedAgentBus next = bus(dir))
        {
            next.subscribe("r", m -> replayed.add(m.toMessage().messageId()), DeliveryMode.INLINE);
            next.start(); // must not throw, whatever the tail holds
            assertTrue(next.isRunning());
        }
        finally
        {
            JOURNAL_LOG.removeHandler(capture);
        }
        return replayed;
    }

    private static List<String> restartReplaysAnIntactPrefixAndWarns(final Path dir)
    {
        final List<String> warnings = new ArrayList<>();
        final List<String> replayed = restart(dir, warnings);
        assertFalse(replayed.isEmpty(), "the records before the damage are replayed");
        assertTrue(replayed.size() < MESSAGES, "the damaged last record is not replayed as garbage: " + replayed.size());
        for (int i = 0; i < replayed.size(); i++)
        {
            assertEquals("m-" + i, replayed.get(i), "a prefix, in order, intact");
        }
        assertFalse(warnings.isEmpty(), "the cut is reported");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("journal messages") && (w.contains("torn") || w.contains("cannot be read"))), warnings::toString);
        return warnings;
    }

    private static EnhancedAgentBus bus(final Path dir)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        return bus;
    }

    private static Path cycleFile(final Path queueDir) throws Exception
    {
        try (Stream<Path> files = Files.list(queueDir))
        {
            return files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
    }

    /** Queue files are preallocated with zeros: the written data ends at the last non-zero byte. */
    private static long lastNonZeroByte(final RandomAccessFile f) throws Exception
    {
        final byte[] buf = new byte[1 << 16];
        long lastNonZero = -1;
        for (long pos = 0; pos < f.length(); pos += buf.length)
        {
            f.seek(pos);
            final int n = f.read(buf);
            for (int i = 0; i < n; i++)
            {
                if (buf[i] != 0)
                {
                    lastNonZero = pos + i;
                }
            }
            if (lastNonZero >= 0 && lastNonZero < pos - (1 << 20))
            {
                break; // a megabyte of zeros past the data: the rest is preallocated space
            }
        }
        assertTrue(lastNonZero > SCRIBBLE_BYTES, "found the written data");
        return lastNonZero;
    }

    private static void scribbleOverTheTail(final Path queueDir) throws Exception
    {
        try (RandomAccessFile f = new RandomAccessFile(cycleFile(queueDir).toFile(), "rw"))
        {
            final long lastNonZero = lastNonZeroByte(f);
            final byte[] garbage = new byte[SCRIBBLE_BYTES];
            new java.util.Random(42).nextBytes(garbage);
            f.seek(lastNonZero + 1 - SCRIBBLE_BYTES);
            f.write(garbage);
        }
    }
}
