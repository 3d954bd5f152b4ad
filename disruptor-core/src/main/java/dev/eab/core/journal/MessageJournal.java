package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.registry.AgentRecord;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import static dev.eab.core.journal.JournalRecordDescriptor.*;

/**
 * The write-ahead journal: real Chronicle Queue files under one directory (layouts in
 * {@link JournalRecordDescriptor}). The bus thread appends every decision before routing (single writer
 * of {@code messages/}: no lock contention, no allocation in steady state); acknowledgements made on other
 * threads go through one ack writer thread into {@code acks/}, batched.
 *
 * <p>Durability: records are in the OS page cache when the append returns, so they survive the death of
 * the process (even {@code kill -9}), not of the machine.
 *
 * <p>Threading: {@link #beginRun()}, the {@code append*} methods, {@link #ackOnBusThread} and
 * {@link #endRun()} on the bus thread only (a Chronicle appender belongs to one thread; each run of the bus
 * has its own bus thread, so each run opens and closes its appender there); {@link #ack} from any thread;
 * {@link #readPending()} before a run starts.
 */
public final class MessageJournal implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(MessageJournal.class.getName());
    private static final int ACK_QUEUE_CAPACITY = 1 << 16;
    private static final int ACK_BATCH = 1024;

    private final Path dir;
    private final ChronicleQueue messages;
    private final ChronicleQueue acks;
    private final boolean[] agentJournaled;
    private final AckWriter ackWriter;
    // Bus thread only.
    private ExcerptAppender appender;
    private boolean runStarted;
    private long appended;

    private MessageJournal(final Path dir, final int maxAgents)
    {
        this.dir = dir;
        this.messages = queue(dir.resolve(MESSAGES_QUEUE));
        this.acks = queue(dir.resolve(ACKS_QUEUE));
        this.agentJournaled = new boolean[maxAgents];
        this.ackWriter = new AckWriter(acks);
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}.
     *
     * @throws UncheckedIOException when the directory cannot be created.
     */
    public static MessageJournal open(final Path dir, final int maxAgents)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create the journal directory " + dir, e);
        }
        final MessageJournal journal = new MessageJournal(dir, maxAgents);
        journal.ackWriter.start();
        return journal;
    }

    static ChronicleQueue queue(final Path path)
    {
        return SingleChronicleQueueBuilder.binary(path).rollCycle(RollCycles.FAST_DAILY).build();
    }

    /** A queue opened for reading only (offline tools: never writes, never creates files). */
    static ChronicleQueue readOnlyQueue(final Path path)
    {
        return SingleChronicleQueueBuilder.binary(path).rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
    }

    public Path directory()
    {
        return dir;
    }

    /** Bus thread: opens this run's appender; the RUN_START record is written with the first record. */
    public void beginRun()
    {
        appender = messages.createAppender();
        runStarted = false;
        java.util.Arrays.fill(agentJournaled, false);
    }

    /** Bus thread, as it ends: closes this run's appender. */
    public void endRun()
    {
        final ExcerptAppender a = appender;
        appender = null;
        if (a != null)
        {
            a.close();
        }
    }

    /** @return records appended by the bus thread since open. */
    public long appended()
    {
        return appended;
    }

    /** Bus thread: an accepted zero-allocation message. @return its index. */
    public long appendFlyweight(
        final AgentRecord sender, final AgentRecord recipient, final int messageType, final int priority, final long correlationId,
        final long expiresAtMs, final byte[] payload, final int payloadLength)
    {
        ensureAgents(sender, recipient);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeInt(TYPE_FLYWEIGHT).writeInt(handleOf(sender)).writeInt(handleOf(recipient)).writeInt(messageType).writeInt(priority);
            b.writeLong(correlationId).writeLong(expiresAtMs).writeLong(System.currentTimeMillis()).writeInt(payloadLength);
            b.write(payload, 0, payloadLength);
            b.writeInt(RECORD_END);
        }
        appended++;
        return appender.lastIndexAppended();
    }

    /** Bus thread: an accepted {@code send} (or one recipient of a broadcast). @return its index. */
    public long appendMessage(final AgentRecord sender, final AgentRecord recipient, final AgentMessage message)
    {
        ensureAgents(sender, recipient);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeInt(TYPE_MESSAGE).writeInt(handleOf(sender)).writeInt(handleOf(recipient)).writeLong(System.currentTimeMillis());
            MessageCodec.encode(message, b);
            b.writeInt(RECORD_END);
        }
        appended++;
        return appender.lastIndexAppended();
    }

    /** Bus thread: a rejection, as a decision (reason, no payload). */
    public void appendRejection(
        final int reasonCode, final AgentRecord sender, final AgentRecord recipient, final long correlationId, final String messageId)
    {
        ensureAgents(sender, recipient);
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> b = dc.wire().bytes();
            b.writeInt(TYPE_REJECTED).writeInt(reasonCode).writeInt(handleOf(sender)).writeInt(handleOf(recipient)).writeLong(correlationId);
            b.writeLong(System.currentTimeMillis()).writeUtf8(messageId == null ? "" : messageId);
            appended++;
        }
    }

    /** Bus thread: an acknowledgement made on the bus thread (INLINE handler, a route-time refusal). */
    public void ackOnBusThread(final long index, final int status)
    {
        if (index < 0)
        {
            return;
        }
        startRunIfNeeded();
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().writeInt(TYPE_ACK).writeLong(index).writeInt(status).writeLong(System.currentTimeMillis());
            appended++;
        }
    }

    /** Any thread: an acknowledgement, written by the ack writer thread (waits when 64 Ki acks are queued). */
    public void ack(final long index, final int status)
    {
        if (index >= 0)
        {
            ackWriter.offer(index, status);
        }
    }

    private void ensureAgents(final AgentRecord sender, final AgentRecord recipient)
    {
        startRunIfNeeded();
        ensureAgent(sender);
        ensureAgent(recipient);
    }

    private void startRunIfNeeded()
    {
        if (!runStarted)
        {
            runStarted = true;
            final long now = System.currentTimeMillis();
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().writeInt(TYPE_RUN_START).writeLong(now).writeLong(now);
            }
        }
    }

    /** The first record of a run that names a handle is preceded by the handle's agent id and tenant. */
    private void ensureAgent(final AgentRecord r)
    {
        if (r == null || agentJournaled[r.handle()])
        {
            return;
        }
        agentJournaled[r.handle()] = true;
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().writeInt(TYPE_AGENT).writeInt(r.handle()).writeUtf8(r.agentId()).writeUtf8(r.tenantId() == null ? "" : r.tenantId());
        }
    }

    private static int handleOf(final AgentRecord r)
    {
        return r == null ? -1 : r.handle();
    }

    /**
     * Reads both queues and returns the accepted messages no ACK names, in journal order, with their
     * agents resolved to ids through their run's AGENT records. A record that cannot be read (a torn or
     * scribbled tail after a crash) ends the read of its queue there, with a warning: garbage is never
     * replayed, and it never stops the bus from starting.
     */
    public Pending readPending()
    {
        return readPending(messages, acks);
    }

    /** {@link #readPending()} over queues opened elsewhere (the offline tools open them read-only). */
    static Pending readPending(final ChronicleQueue messages, final ChronicleQueue acks)
    {
        final LongHashSet acked = new LongHashSet(1024);
        final List<String> warnings = new ArrayList<>();
        readQueue(acks, "acks", warnings, (index, b) -> {
            if (b.readInt() == TYPE_ACK)
            {
                acked.add(b.readLong());
            }
        });
        // Acks written by the bus thread sit in messages/ after their message: collect them in a first pass
        // (its read problems are the second pass's too: reported once, there).
        readQueue(messages, "messages", null, (index, b) -> {
            if (b.readInt() == TYPE_ACK)
            {
                acked.add(b.readLong());
            }
        });
        final List<PendingMessage> pending = new ArrayList<>();
        final Map<Integer, String> agents = new HashMap<>();
        final long[] records = new long[1];
        readQueue(messages, "messages", warnings, (index, b) -> {
            records[0]++;
            final int type = b.readInt();
            switch (type)
            {
                case TYPE_RUN_START -> agents.clear();
                case TYPE_AGENT -> agents.put(b.readInt(), b.readUtf8());
                case TYPE_FLYWEIGHT, TYPE_MESSAGE ->
                {
                    if (!acked.contains(index))
                    {
                        pending.add(decodeAccepted(type, index, b, agents));
                    }
                }
                default ->
                {
                    // REJECTED and ACK: decisions, nothing to redeliver.
                }
            }
        });
        return new Pending(pending, records[0], acked.size(), warnings);
    }

    /**
     * Reads the rest of an accepted record (FLYWEIGHT or MESSAGE; its type already read), with its run's
     * handles mapped to agent ids (null for a handle the run never named).
     */
    static PendingMessage decodeAccepted(final int type, final long index, final Bytes<?> b, final Map<Integer, String> agentIds)
    {
        final String sender = agentIds.get(b.readInt());
        final String recipient = agentIds.get(b.readInt());
        if (type == TYPE_MESSAGE)
        {
            b.readLong(); // journaled at
            final AgentMessage message = MessageCodec.decode(b);
            checkEnd(b, index);
            return PendingMessage.message(index, sender, recipient, message);
        }
        final int messageType = b.readInt();
        final int priority = b.readInt();
        final long correlationId = b.readLong();
        final long expiresAtMs = b.readLong();
        b.readLong(); // journaled at
        final byte[] payload = new byte[b.readInt()];
        b.read(payload);
        checkEnd(b, index);
        return PendingMessage.flyweight(index, sender, recipient, messageType, priority, correlationId, expiresAtMs, payload);
    }

    private static void checkEnd(final Bytes<?> b, final long index)
    {
        if (b.readRemaining() < Integer.BYTES || b.readInt() != RECORD_END)
        {
            throw new JournalFormatException("record at index " + Long.toHexString(index) + " is not whole (no end marker): a torn or corrupt tail");
        }
    }

    /** What a restart finds: accepted messages without an ack, in journal order. */
    public record Pending(List<PendingMessage> messages, long records, int acks, List<String> warnings)
    {
    }

    interface RecordReader
    {
        void read(long index, Bytes<?> bytes);
    }

    static void readQueue(final ChronicleQueue q, final String name, final List<String> warnings, final RecordReader reader)
    {
        java.io.File lastFile = null;
        long lastEnd = -1;
        try (ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument(true))
                {
                    if (!dc.isPresent())
                    {
                        // Also where a torn or scribbled record header stands: Chronicle's tailer reads it as
                        // "not written yet". Bytes after the last whole document tell the two apart.
                        if (warnings != null && lastFile != null)
                        {
                            final long garbageAt = TornTail.firstNonZeroByte(lastFile.toPath(), lastEnd);
                            if (garbageAt >= 0)
                            {
                                warn(warnings, "journal " + name + ": unreadable bytes at offset " + garbageAt + " of " + lastFile +
                                    " after the last whole record (ends at " + lastEnd + "): a torn or corrupt record header (a crash " +
                                    "mid-write, or damage); the queue is cut there and nothing after it is replayed");
                            }
                        }
                        return;
                    }
                    lastFile = t.currentFile();
                    lastEnd = dc.wire().bytes().readLimit();
                    if (!dc.isData())
                    {
                        continue;
                    }
                    final long index = dc.index();
                    try
                    {
                        reader.read(index, dc.wire().bytes());
                    }
                    catch (final RuntimeException e)
                    {
                        warn(warnings, "journal " + name + ": record at index " + Long.toHexString(index) + " cannot be read (" +
                            ThrowableText.describe(e) + "); the rest of the queue is ignored");
                        return;
                    }
                }
            }
        }
        catch (final RuntimeException e)
        {
            warn(warnings, "journal " + name + ": reading stopped: " + ThrowableText.describe(e));
        }
    }

    /** Reports a read problem: logged and collected, unless the caller reads without reporting (null). */
    private static void warn(final List<String> warnings, final String warning)
    {
        if (warnings != null)
        {
            warnings.add(warning);
            LOG.warning(warning);
        }
    }

    @Override
    public void close()
    {
        ackWriter.close();
        messages.close();
        acks.close();
    }

    /** Writes acknowledgements made off the bus thread, in batches, on its own thread (the acks queue's single writer). */
    private static final class AckWriter implements Runnable
    {
        private final ChronicleQueue queue;
        private final BlockingQueue<long[]> pending = new ArrayBlockingQueue<>(ACK_QUEUE_CAPACITY);
        private final Thread thread = Thread.ofPlatform().daemon().name("eab-journal-acks").unstarted(this);
        private volatile boolean running = true;

        AckWriter(final ChronicleQueue queue)
        {
            this.queue = queue;
        }

        void start()
        {
            thread.start();
        }

        void offer(final long index, final int status)
        {
            try
            {
                pending.put(new long[] {index, status});
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                // Not written: the message stays pending and is redelivered after a restart (at-least-once).
            }
        }

        @Override
        public void run()
        {
            final List<long[]> batch = new ArrayList<>(ACK_BATCH);
            try (ExcerptAppender appender = queue.createAppender())
            {
                while (running || !pending.isEmpty())
                {
                    final long[] first = pending.poll(10, TimeUnit.MILLISECONDS);
                    if (first == null)
                    {
                        continue;
                    }
                    batch.add(first);
                    pending.drainTo(batch, ACK_BATCH - 1);
                    final long now = System.currentTimeMillis();
                    for (final long[] a : batch)
                    {
                        try (DocumentContext dc = appender.writingDocument())
                        {
                            dc.wire().bytes().writeInt(TYPE_ACK).writeLong(a[0]).writeInt((int)a[1]).writeLong(now);
                        }
                    }
                    batch.clear();
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
            catch (final RuntimeException e)
            {
                LOG.severe("journal ack writer stopped: " + ThrowableText.withStackTrace(e) + " (unwritten acks mean redelivery after a restart)");
            }
        }

        void close()
        {
            running = false;
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
