package dev.eab.core.journal;

import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliveryMode;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageType;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.core.EnhancedAgentBus;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static dev.eab.core.journal.JournalRecordDescriptor.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 9, one Chronicle document per ring batch: records round-trip through BATCH documents (ids, payloads, order,
 * agents), a batch damaged inside (count, length, end marker) is cut whole with a warning and never replayed in part,
 * and a journal holding pre-batching single-record documents (with their index-named acks) still reads and replays
 * beside new batches, acks of either format clearing the right messages.
 */
class JournalBatchTest
{
    private static final long HANG_GUARD_S = 30;
    private static final int PAYLOAD_BYTES = 24;

    /** Publishes {@code n} messages to the handler-less "r" as fast as the ring takes them; @return once all were accepted. */
    private static void publish(final EnhancedAgentBus bus, final int n, final long firstCorrelationId) throws InterruptedException
    {
        final AtomicLong told = new AtomicLong();
        final MessagePublisher p = bus.publisher("s", new OutcomeListener()
        {
            @Override
            public void onDelivered(final long correlationId, final int recipient)
            {
                told.incrementAndGet();
            }

            @Override
            public void onRejected(final long correlationId, final RejectReason reason)
            {
                fail("rejected: " + reason);
            }
        });
        final int to = bus.getAgentInfo("r").handle();
        final byte[] payload = new byte[PAYLOAD_BYTES];
        for (int i = 0; i < n; i++)
        {
            final long c = firstCorrelationId + i;
            payload[0] = (byte)c;
            payload[PAYLOAD_BYTES - 1] = (byte)(c >>> 8);
            while (!p.tryPublish(to, MessageType.EVENT, c, payload, 0, PAYLOAD_BYTES))
            {
                Thread.onSpinWait();
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
        while (told.get() < n && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(n, told.get());
    }

    private static EnhancedAgentBus bus(final Path dir)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().journalDir(dir).inboxCapacity(1 << 16).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        return bus;
    }

    /** @return every document of a queue as (index, first int, length, file offset, batch count, batch first id). */
    private static List<long[]> documents(final Path queue)
    {
        final List<long[]> docs = new ArrayList<>();
        try (ChronicleQueue q = MessageJournal.readOnlyQueue(queue); ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return docs;
                    }
                    final Bytes<?> b = dc.wire().bytes();
                    final long at = b.readPosition();
                    final int first = b.readInt(at);
                    docs.add(new long[] {dc.index(), first, b.readRemaining(), at, first == TYPE_BATCH ? b.readInt(at + BATCH_COUNT_OFFSET) : 1,
                        first == TYPE_BATCH ? b.readLong(at + BATCH_FIRST_ID_OFFSET) : dc.index()});
                }
            }
        }
    }

    @Test
    void recordsRoundTripThroughBatchDocumentsWithIdsInOrder(@TempDir final Path dir) throws Exception
    {
        final int n = 20_000;
        try (EnhancedAgentBus first = bus(dir))
        {
            first.start();
            publish(first, n, 0);
            @SuppressWarnings("unchecked")
            final var j = (java.util.Map<String, Object>)first.getMetrics().get("journal");
            assertTrue((Long)j.get("batches") > 0 && (Long)j.get("batches") < n, "batched: " + j);
        }
        final List<long[]> docs = documents(dir.resolve(MESSAGES_QUEUE));
        assertTrue(docs.stream().allMatch(d -> d[1] == TYPE_BATCH), "every messages/ document is a batch");
        assertTrue(docs.size() < n, "fewer documents than messages: " + docs.size());
        final MessageJournal.Pending pending;
        try (MessageJournal journal = MessageJournal.open(dir, 16))
        {
            pending = journal.readPending();
        }
        assertEquals(List.of(), pending.warnings());
        assertEquals(n, pending.size());
        final PendingRecords p = pending.pending();
        long lastId = -1;
        for (int i = 0; i < n; i++)
        {
            assertTrue(p.id(i) > lastId, "ids ascend");
            lastId = p.id(i);
            assertEquals(i, p.correlationId(i));
            assertEquals("s", p.senderId(i));
            assertEquals("r", p.recipientId(i));
            assertEquals(MessageType.EVENT.ordinal(), p.messageType(i));
            final byte[] payload = new byte[p.payloadLength(i)];
            p.copyPayload(i, payload);
            assertEquals(PAYLOAD_BYTES, payload.length);
            assertEquals((byte)i, payload[0]);
            assertEquals((byte)(i >>> 8), payload[PAYLOAD_BYTES - 1]);
        }
        assertEquals(p.correlationId(17), pending.messages().get(17).correlationId(), "the object view agrees with the columns");
        // At least one document held many messages (the ring batches under a burst), and ids run on across documents.
        assertTrue(docs.stream().mapToLong(d -> d[4]).max().orElse(0) > 2, "some batch held several records");
        for (int d = 1; d < docs.size(); d++)
        {
            assertEquals(docs.get(d - 1)[5] + docs.get(d - 1)[4], docs.get(d)[5], "ids continue from document to document");
        }

        // The restart delivers each once, by id, and acks them: nothing is pending after it.
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        try (EnhancedAgentBus second = bus(dir))
        {
            second.subscribe("r", v -> assertTrue(seen.add(v.correlationId()), "once"), DeliveryMode.INLINE);
            second.start();
        }
        assertEquals(n, seen.size());
        try (MessageJournal journal = MessageJournal.open(dir, 16))
        {
            assertEquals(0, journal.readPending().size());
        }
        final JournalInspector.Stats stats = JournalInspector.stats(dir);
        assertEquals(n, stats.recordsByType().get("flyweight"), "stats counts records, not documents");
        assertTrue(stats.documents() < stats.recordsByType().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aBatchWithADamagedCountIsCutWholeWithAWarning(@TempDir final Path dir) throws Exception
    {
        damageTheLastBatchAndRestart(dir, (doc, f) -> {
            f.seek(doc[3] + Integer.BYTES);
            f.write(le(MAX_BATCH_RECORDS + 7));
        });
    }

    @Test
    void aBatchWithARecordLengthPastItsEndIsCutWholeWithAWarning(@TempDir final Path dir) throws Exception
    {
        damageTheLastBatchAndRestart(dir, (doc, f) -> {
            f.seek(doc[3] + BATCH_HEADER_LENGTH);
            f.write(le(1 << 30));
        });
    }

    @Test
    void aBatchWhoseLastRecordLostItsEndMarkerIsCutWholeWithAWarning(@TempDir final Path dir) throws Exception
    {
        damageTheLastBatchAndRestart(dir, (doc, f) -> {
            // The last int of the document is the last record's end marker.
            f.seek(doc[3] + doc[2] - Integer.BYTES);
            f.write(le(0x0BAD_0BAD));
        });
    }

    interface Damage
    {
        void apply(long[] doc, RandomAccessFile file) throws Exception;
    }

    /**
     * Two bursts; then the last batch (several records) is damaged in place. The restart replays exactly the messages
     * of the earlier documents (no record of the damaged batch, even its whole ones) and warns.
     */
    private static void damageTheLastBatchAndRestart(final Path dir, final Damage damage) throws Exception
    {
        try (EnhancedAgentBus first = bus(dir))
        {
            first.start();
            publish(first, 2_000, 0);
        }
        final Path queue = dir.resolve(MESSAGES_QUEUE);
        final List<long[]> docs = documents(queue);
        final long[] last = docs.get(docs.size() - 1);
        final int lastDocCount;
        final long before;
        try (MessageJournal journal = MessageJournal.open(dir, 16))
        {
            final MessageJournal.Pending p = journal.readPending();
            before = java.util.stream.IntStream.range(0, p.size()).filter(i -> p.pending().id(i) < last[5]).count();
            lastDocCount = p.size() - (int)before;
        }
        assertTrue(lastDocCount >= 1, "the last document holds messages");
        try (RandomAccessFile f = new RandomAccessFile(cycleFile(queue).toFile(), "rw"))
        {
            damage.apply(last, f);
        }
        final List<String> warnings = new ArrayList<>();
        final List<Long> replayed = new ArrayList<>();
        final java.util.logging.Logger log = java.util.logging.Logger.getLogger(MessageJournal.class.getName());
        final java.util.logging.Handler capture = new java.util.logging.Handler()
        {
            @Override
            public void publish(final java.util.logging.LogRecord r)
            {
                warnings.add(r.getMessage());
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
        log.addHandler(capture);
        try (EnhancedAgentBus next = bus(dir))
        {
            next.subscribe("r", v -> replayed.add(v.correlationId()), DeliveryMode.INLINE);
            next.start();
            assertTrue(next.isRunning());
        }
        finally
        {
            log.removeHandler(capture);
        }
        assertEquals(before, replayed.size(), "exactly the records of the whole documents before the damaged batch");
        for (int i = 0; i < replayed.size(); i++)
        {
            assertEquals(i, replayed.get(i), "a prefix, in order");
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("journal messages") && w.contains("batch")), warnings::toString);
    }

    @Test
    void preBatchingSingleRecordDocumentsStillReadBesideBatches(@TempDir final Path dir) throws Exception
    {
        // What a journal written before batching holds: one record per document, acks naming document indexes.
        final long[] old = new long[4];
        try (ChronicleQueue q = MessageJournal.queue(dir.resolve(MESSAGES_QUEUE)); ExcerptAppender a = q.createAppender())
        {
            write(a, b -> b.writeInt(TYPE_RUN_START).writeLong(1L).writeLong(1L));
            write(a, b -> b.writeInt(TYPE_AGENT).writeInt(0).writeUtf8("s").writeUtf8("acme"));
            write(a, b -> b.writeInt(TYPE_AGENT).writeInt(1).writeUtf8("r").writeUtf8("acme"));
            for (int i = 0; i < old.length; i++)
            {
                final long c = 1_000 + i;
                write(a, b -> {
                    b.writeInt(TYPE_FLYWEIGHT).writeInt(0).writeInt(1).writeInt(MessageType.EVENT.ordinal()).writeInt(0).writeLong(c).writeLong(0L)
                        .writeLong(2L).writeInt(3).write(new byte[] {7, 8, (byte)c}).writeInt(RECORD_END);
                });
                old[i] = a.lastIndexAppended();
            }
            // Old ACK_BATCH in messages/ names the first by its document index.
            write(a, b -> b.writeInt(TYPE_ACK_BATCH).writeInt(1).writeLong(3L).writeLong(old[0]).writeInt(ACK_DELIVERED));
        }
        try (ChronicleQueue q = MessageJournal.queue(dir.resolve(ACKS_QUEUE)); ExcerptAppender a = q.createAppender())
        {
            // Old single ACK in acks/ names the second.
            write(a, b -> b.writeInt(TYPE_ACK).writeLong(old[1]).writeInt(ACK_DELIVERED).writeLong(4L));
        }
        // A new run appends batches after them (its messages stay unacked: no handler).
        try (EnhancedAgentBus newer = bus(dir))
        {
            newer.start();
            publish(newer, 50, 0);
        }
        final List<long[]> docs = documents(dir.resolve(MESSAGES_QUEUE));
        assertNotEquals(TYPE_BATCH, docs.get(0)[1], "old documents first");
        assertEquals(TYPE_BATCH, docs.get(docs.size() - 1)[1], "batches after");
        try (MessageJournal journal = MessageJournal.open(dir, 16))
        {
            final MessageJournal.Pending p = journal.readPending();
            assertEquals(List.of(), p.warnings());
            assertEquals(2 + 50, p.size());
            assertEquals(old[2], p.pending().id(0), "an old record's id is its document index");
            assertTrue(p.pending().id(2) > old[3], "the new run's ids are above the old ones");
            assertEquals(1_002, p.pending().correlationId(0));
            assertEquals(1_003, p.pending().correlationId(1));
            assertEquals("s", p.pending().senderId(0));
            final byte[] payload = new byte[3];
            p.pending().copyPayload(1, payload);
            assertArrayEquals(new byte[] {7, 8, (byte)1_003}, payload);
            assertEquals(0, p.pending().correlationId(2));
        }
        // The restart replays old and new alike and acks them in the new format (ids): nothing is left.
        final List<Long> replayed = new ArrayList<>();
        try (EnhancedAgentBus next = bus(dir))
        {
            next.subscribe("r", v -> replayed.add(v.correlationId()), DeliveryMode.INLINE);
            next.start();
        }
        assertEquals(52, replayed.size());
        assertEquals(List.of(1_002L, 1_003L, 0L), replayed.subList(0, 3));
        try (MessageJournal journal = MessageJournal.open(dir, 16))
        {
            assertEquals(0, journal.readPending().size(), "acks by id cleared the old records too");
        }
        final JournalInspector.Stats stats = JournalInspector.stats(dir);
        assertEquals(4 + 50, stats.recordsByType().get("flyweight"));
        assertEquals(1, stats.recordsByType().get("ack"));
        assertTrue(stats.recordsByType().get("ack_batch") >= 2, "the old one and the replay's: " + stats.recordsByType());
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        JournalInspector.dump(dir, JournalInspector.Filter.ALL, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        final String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("id=s:1002"), text);
        assertTrue(text.contains(Long.toHexString(old[0]) + "=delivered"), "old acks are shown by the id they name: " + text);
    }

    @Test
    void aRecordWhoseWriteFailsIsCutOffAndTheBatchBeforeItStaysWhole(@TempDir final Path dir)
    {
        final byte[] payload = {1, 2, 3};
        try (MessageJournal journal = MessageJournal.open(dir, 16))
        {
            journal.beginRun();
            for (int i = 0; i < 3; i++)
            {
                journal.appendFlyweight(null, null, 1, 0, i, 0L, payload, payload.length);
            }
            // A MESSAGE record fails mid-write (its header is written, then the encode throws).
            assertThrows(NullPointerException.class, () -> journal.appendMessage(null, null, null));
            journal.appendFlyweight(null, null, 1, 0, 3, 0L, payload, payload.length);
            journal.endOfBatch();
            // The first record of a batch fails: no empty batch is left behind.
            assertThrows(NullPointerException.class, () -> journal.appendMessage(null, null, null));
            journal.appendFlyweight(null, null, 1, 0, 4, 0L, payload, payload.length);
            journal.endOfBatch();
            journal.endRun();
            final MessageJournal.Pending p = journal.readPending();
            assertEquals(List.of(), p.warnings());
            assertEquals(5, p.size());
            for (int i = 0; i < 5; i++)
            {
                assertEquals(i, p.pending().correlationId(i));
                assertTrue(i == 0 || p.pending().id(i) == p.pending().id(i - 1) + 1, "no id is lost to the failed records");
            }
        }
        final List<long[]> docs = documents(dir.resolve(MESSAGES_QUEUE));
        assertTrue(docs.stream().allMatch(d -> d[1] == TYPE_BATCH && d[4] >= 1), "only whole, non-empty batches");
    }

    interface Writer
    {
        void write(Bytes<?> b);
    }

    private static void write(final ExcerptAppender a, final Writer w)
    {
        try (DocumentContext dc = a.writingDocument())
        {
            w.write(dc.wire().bytes());
        }
    }

    private static byte[] le(final int v)
    {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static Path cycleFile(final Path queueDir) throws Exception
    {
        try (Stream<Path> files = Files.list(queueDir))
        {
            final List<Path> cycles = files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
            assertEquals(1, cycles.size(), "one cycle file");
            return cycles.get(0);
        }
    }
}
