package dev.eab.core.journal;

import dev.eab.api.AgentMessage;
import dev.eab.api.JournalFlush;
import dev.eab.api.JournalOptions;
import dev.eab.api.JournalRollCycle;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.registry.AgentRecord;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

import static dev.eab.core.journal.JournalRecordDescriptor.*;

/**
 * The write-ahead journal: real Chronicle Queue files under one directory (layouts in
 * {@link JournalRecordDescriptor}). The bus thread appends every decision before routing (single writer
 * of {@code messages/}: no lock contention, no allocation in steady state); acknowledgements made on other
 * threads go through one ack writer thread into {@code acks/}, batched.
 *
 * <p>Durability ({@link JournalOptions}): records are in the OS page cache when the append returns, so they
 * survive the death of the process (even {@code kill -9}), not of the machine; with
 * {@link JournalFlush#SYNC_PER_BATCH} the bus thread also {@code msync}s at the end of each ring batch and
 * the ack writer after each ack batch. A pretoucher thread keeps the pages ahead of the tail touched, and a
 * reclaimer deletes cycle files past the retention ({@link JournalRetention}).
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
    private static final long PRETOUCH_INTERVAL_MS = 10;
    /** Records per index entry in new cycle files (existing files keep the spacing their header names). */
    static final int INDEX_SPACING = 16;
    private static final long MAX_RECLAIM_INTERVAL_MS = 60_000;

    private final Path dir;
    private final ChronicleQueue messages;
    private final ChronicleQueue acks;
    private final boolean[] agentJournaled;
    private final AckWriter ackWriter;
    private final JournalOptions options;
    private final boolean syncPerBatch;
    private final Thread housekeeper;
    private final JournalPretoucher pretoucher;
    private volatile boolean open = true;
    /** Cycle files reclaimed and their bytes, by the housekeeper (or a direct {@link #reclaim} call). */
    private volatile long reclaimedFiles;
    private volatile long reclaimedBytes;
    /** Set by the bus thread before it replays; the housekeeper reclaims only after that (never racing the replay's read). */
    private volatile long oldestNeededIndex = Long.MIN_VALUE;
    /** Written by the bus thread after each msync (read by tests and metrics). */
    private volatile long syncs;
    private volatile long syncedAccepted;
    /** FLYWEIGHT and MESSAGE records appended (bus thread). */
    private long acceptedAppended;
    // Bus thread only.
    private final long[] busAckIndexes = new long[MAX_ACK_BATCH];
    private final int[] busAckStatuses = new int[MAX_ACK_BATCH];
    private int busAcks;
    private boolean unsynced;
    private ExcerptAppender appender;
    private boolean runStarted;
    private long appended;
    /** The open BATCH document of this ring batch (bus thread), or null; see {@link #beginRecord()}. */
    private DocumentContext batch;
    private Bytes<?> batchBytes;
    private long batchStart;
    /** The id the next record gets (bus thread; set by {@link #beginRun()}). */
    private long nextId;
    /** When the open BATCH document was opened: its records' journaledAtMs / ackedAtMs (bus thread). */
    private long batchNowMs;
    private int batchCount;
    /** Where the record being written keeps its length (bus thread). */
    private long recordLengthAt;
    /** BATCH documents closed by the bus thread since open. */
    private volatile long batchesWritten;

    private MessageJournal(final Path dir, final int maxAgents, final JournalOptions options)
    {
        this.dir = dir;
        this.options = options;
        this.syncPerBatch = options.flush() == JournalFlush.SYNC_PER_BATCH;
        this.messages = queue(dir.resolve(MESSAGES_QUEUE), options.rollCycle());
        this.acks = queue(dir.resolve(ACKS_QUEUE), options.rollCycle());
        this.agentJournaled = new boolean[maxAgents];
        this.ackWriter = new AckWriter(acks, syncPerBatch);
        this.pretoucher = options.pretouch() ? new JournalPretoucher((net.openhft.chronicle.queue.impl.single.SingleChronicleQueue)messages) : null;
        this.housekeeper = options.pretouch() || options.retentionMs() > 0
            ? Thread.ofPlatform().daemon().name("eab-journal-housekeeper").unstarted(this::houseKeep) : null;
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}.
     *
     * @throws UncheckedIOException when the directory cannot be created.
     */
    public static MessageJournal open(final Path dir, final int maxAgents)
    {
        return open(dir, maxAgents, JournalOptions.DEFAULTS);
    }

    /**
     * Opens (creating if needed) the journal in {@code dir}, flushing, rolling and keeping files as {@code options} say.
     *
     * @throws UncheckedIOException when the directory cannot be created.
     */
    public static MessageJournal open(final Path dir, final int maxAgents, final JournalOptions options)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create the journal directory " + dir, e);
        }
        final MessageJournal journal = new MessageJournal(dir, maxAgents, options);
        journal.ackWriter.start();
        if (journal.housekeeper != null)
        {
            journal.housekeeper.start();
        }
        return journal;
    }

    static ChronicleQueue queue(final Path path)
    {
        return queue(path, JournalRollCycle.DAILY);
    }

    /** A journal queue with the journal's roll cycle and index settings (public for the benchmarks' baseline). */
    public static ChronicleQueue queue(final Path path, final JournalRollCycle rollCycle)
    {
        final RollCycle cycle = rollCycle(rollCycle);
        final SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(path).rollCycle(cycle);
        // Every append costs Chronicle a scan from the last index entry to the write position (StoreAppender.resetPosition
        // -> lastSequenceNumber): with the roll cycles' spacing of 256 that averaged 128 headers read per record, the
        // largest part of the journal's cost (JFR, saturation). A sparser index array count with a denser spacing keeps
        // the same messages per cycle (count^2 x spacing) at a few headers per append.
        final long perCycle = (long)cycle.defaultIndexCount() * cycle.defaultIndexCount() * cycle.defaultIndexSpacing();
        final int exponent = Long.numberOfTrailingZeros(perCycle / INDEX_SPACING);
        if (cycle.defaultIndexSpacing() > INDEX_SPACING && Long.bitCount(perCycle) == 1 && exponent % 2 == 0)
        {
            b.indexSpacing(INDEX_SPACING).indexCount(1 << (exponent / 2));
        }
        return b.build();
    }

    /** The Chronicle roll cycle for a configured one (an existing queue keeps the cycle its metadata names). */
    static RollCycle rollCycle(final JournalRollCycle c)
    {
        return switch (c)
        {
            case SECONDLY -> TestRollCycles.TEST_SECONDLY;
            case FIVE_MINUTELY -> RollCycles.FIVE_MINUTELY;
            case TEN_MINUTELY -> RollCycles.TEN_MINUTELY;
            case TWENTY_MINUTELY -> RollCycles.TWENTY_MINUTELY;
            case HALF_HOURLY -> RollCycles.HALF_HOURLY;
            case HOURLY -> RollCycles.FAST_HOURLY;
            case TWO_HOURLY -> RollCycles.TWO_HOURLY;
            case FOUR_HOURLY -> RollCycles.FOUR_HOURLY;
            case SIX_HOURLY -> RollCycles.SIX_HOURLY;
            case DAILY -> RollCycles.FAST_DAILY;
            case WEEKLY -> RollCycles.WEEKLY;
        };
    }

    /** @return the options this journal was opened with. */
    public JournalOptions options()
    {
        return options;
    }

    /** @return true under {@link JournalFlush#SYNC_PER_BATCH}: routing waits for the batch's msync. */
    public boolean syncsPerBatch()
    {
        return syncPerBatch;
    }

    /** @return msyncs of {@code messages/} by the bus thread since open. */
    public long syncs()
    {
        return syncs;
    }

    /** @return how many accepted messages (FLYWEIGHT and MESSAGE records) the bus thread had appended at its last msync. */
    public long syncedAccepted()
    {
        return syncedAccepted;
    }

    /**
     * Bus thread, under {@link JournalFlush#SYNC_PER_BATCH} after a held batch was routed: writes the acks its
     * routing made (one ACK_BATCH record), synced with the next batch. A crash before that loses acks, not messages.
     */
    public void flushAcks()
    {
        flushBusAcks();
        closeBatch();
    }

    /** @return BATCH documents the bus thread wrote to {@code messages/} since open (records per document = appended / this). */
    public long batchesWritten()
    {
        return batchesWritten;
    }

    /** @return cycle files deleted by retention since open. */
    public long reclaimedFiles()
    {
        return reclaimedFiles;
    }

    /** @return pages the pretoucher touched ahead of the tail since open (0 with pretouching off). */
    public long pagesPretouched()
    {
        return pretoucher == null ? 0 : pretoucher.pagesTouched();
    }

    /** @return bytes (apparent file sizes) deleted by retention since open. */
    public long reclaimedBytes()
    {
        return reclaimedBytes;
    }

    /**
     * Bus thread, at the end of each ring batch: with {@link JournalFlush#SYNC_PER_BATCH}, {@code msync}s what
     * the batch appended (one synchronous disk write per batch, not per message); otherwise nothing.
     */
    public void endOfBatch()
    {
        flushBusAcks();
        closeBatch();
        if (unsynced)
        {
            unsynced = false;
            try
            {
                appender.sync();
                syncedAccepted = acceptedAppended;
                syncs = syncs + 1;
            }
            catch (final RuntimeException e)
            {
                // The records are in the page cache all the same; the bus thread must live on.
                LOG.severe("journal: msync failed (" + ThrowableText.describe(e) + "): the last batch is in the page cache only");
            }
        }
    }

    /**
     * Deletes cycle files past the retention that replay does not need (see {@link JournalRetention}); a
     * fresh scan of both queues says which are needed. Safe beside a running bus. Nothing when retention is 0.
     *
     * @return how many files were deleted.
     */
    public int reclaim(final long nowMs)
    {
        if (options.retentionMs() <= 0)
        {
            return 0;
        }
        // Read without reporting: beside a live bus, the record being written looks like a torn tail.
        final long needed = readPending(messages, acks, null).oldestNeededIndex();
        final JournalRetention.Result r = JournalRetention.reclaim(messages, acks, options.retentionMs(), nowMs, needed);
        if (!r.deleted().isEmpty())
        {
            reclaimedFiles += r.deleted().size();
            reclaimedBytes += r.bytes();
            LOG.info("journal: retention deleted " + r.deleted().size() + " cycle file(s), " + r.bytes() + " bytes: " + r.deleted());
        }
        return r.deleted().size();
    }

    /**
     * The housekeeper thread: touches the pages ahead of the messages queue's tail every
     * {@value #PRETOUCH_INTERVAL_MS} ms ({@link JournalPretoucher}), so the bus thread does not take
     * first-touch page faults, and runs retention
     * once per roll cycle (at least every {@value #MAX_RECLAIM_INTERVAL_MS} ms).
     */
    private void houseKeep()
    {
        final long reclaimEveryMs = Math.max(PRETOUCH_INTERVAL_MS, Math.min(MAX_RECLAIM_INTERVAL_MS, options.rollCycle().lengthMs()));
        long nextReclaim = 0;
        boolean pretouch = pretoucher != null;
        while (open)
        {
            if (pretouch)
            {
                try
                {
                    pretoucher.touch();
                }
                catch (final IOException | RuntimeException e)
                {
                    pretouch = false;
                    LOG.warning("journal: pretouching stopped (" + ThrowableText.describe(e) + "); appends take their own page faults");
                }
            }
            final long now = System.currentTimeMillis();
            if (options.retentionMs() > 0 && now >= nextReclaim && oldestNeededIndex != Long.MIN_VALUE)
            {
                nextReclaim = now + reclaimEveryMs;
                try
                {
                    reclaim(now);
                }
                catch (final RuntimeException e)
                {
                    LOG.warning("journal: retention pass failed (" + ThrowableText.describe(e) + "); files are kept, next pass in " +
                        reclaimEveryMs + " ms");
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PRETOUCH_INTERVAL_MS));
        }
        if (pretoucher != null)
        {
            pretoucher.unmap();
        }
    }

    /** Called once the first start's replay has read the journal: retention may run from now on. */
    public void replayRead()
    {
        oldestNeededIndex = 0;
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
        nextId = firstIdOfRun(messages, System.currentTimeMillis());
        appender = messages.createAppender();
        runStarted = false;
        java.util.Arrays.fill(agentJournaled, false);
    }

    /**
     * The first record id of a run: one past the last id in {@code messages/}, and at least {@code nowMs << RUN_ID_SHIFT}
     * (ids keep growing after retention deleted every earlier file). A last document that is not a whole batch (it could
     * not be replayed past anyway) counts by its Chronicle index.
     */
    static long firstIdOfRun(final ChronicleQueue queue, final long nowMs)
    {
        long last = -1;
        try (ExcerptTailer t = queue.createTailer().direction(net.openhft.chronicle.queue.TailerDirection.BACKWARD).toEnd())
        {
            try (DocumentContext dc = t.readingDocument())
            {
                if (dc.isPresent() && dc.isData())
                {
                    last = dc.index();
                    final Bytes<?> b = dc.wire().bytes();
                    final long start = b.readPosition();
                    if (b.readLimit() - start >= BATCH_HEADER_LENGTH && b.readInt(start) == TYPE_BATCH)
                    {
                        final int count = b.readInt(start + BATCH_COUNT_OFFSET);
                        final long first = b.readLong(start + BATCH_FIRST_ID_OFFSET);
                        if (count >= 1 && count <= MAX_BATCH_RECORDS && first >= 0 && first < Long.MAX_VALUE - MAX_BATCH_RECORDS)
                        {
                            last = first + count - 1;
                        }
                    }
                }
            }
        }
        return Math.max(last + 1, nowMs << RUN_ID_SHIFT);
    }

    /** Bus thread, as it ends: closes this run's appender. */
    public void endRun()
    {
        if (appender != null)
        {
            flushBusAcks();
            closeBatch();
        }
        final ExcerptAppender a = appender;
        appender = null;
        if (a != null)
        {
            if (unsynced)
            {
                unsynced = false;
                a.sync();
            }
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
        final long id = beginRecord();
        try
        {
            final Bytes<?> b = batchBytes;
            b.writeInt(TYPE_FLYWEIGHT).writeInt(handleOf(sender)).writeInt(handleOf(recipient)).writeInt(messageType).writeInt(priority);
            b.writeLong(correlationId).writeLong(expiresAtMs).writeLong(batchNowMs).writeInt(payloadLength);
            b.write(payload, 0, payloadLength);
            b.writeInt(RECORD_END);
        }
        catch (final RuntimeException | Error e)
        {
            abandonRecord();
            throw e;
        }
        endRecord();
        acceptedAppended++;
        return id;
    }

    /** Bus thread: an accepted {@code send} (or one recipient of a broadcast). @return its index. */
    public long appendMessage(final AgentRecord sender, final AgentRecord recipient, final AgentMessage message)
    {
        ensureAgents(sender, recipient);
        final long id = beginRecord();
        try
        {
            final Bytes<?> b = batchBytes;
            b.writeInt(TYPE_MESSAGE).writeInt(handleOf(sender)).writeInt(handleOf(recipient)).writeLong(batchNowMs);
            MessageCodec.encode(message, b);
            b.writeInt(RECORD_END);
        }
        catch (final RuntimeException | Error e)
        {
            abandonRecord();
            throw e;
        }
        endRecord();
        acceptedAppended++;
        return id;
    }

    /** Bus thread: a rejection, as a decision (reason, no payload). */
    public void appendRejection(
        final int reasonCode, final AgentRecord sender, final AgentRecord recipient, final long correlationId, final String messageId)
    {
        ensureAgents(sender, recipient);
        beginRecord();
        try
        {
            final Bytes<?> b = batchBytes;
            b.writeInt(TYPE_REJECTED).writeInt(reasonCode).writeInt(handleOf(sender)).writeInt(handleOf(recipient)).writeLong(correlationId);
            b.writeLong(batchNowMs).writeUtf8(messageId == null ? "" : messageId);
        }
        catch (final RuntimeException | Error e)
        {
            abandonRecord();
            throw e;
        }
        endRecord();
    }

    /**
     * Bus thread: an acknowledgement made on the bus thread (INLINE handler, a route-time refusal), buffered and
     * written as one ACK_BATCH record at the end of the ring batch (or when {@code MAX_ACK_BATCH} are buffered).
     * A crash before that record is written loses the acks, not the messages: they are redelivered (at-least-once).
     */
    public void ackOnBusThread(final long index, final int status)
    {
        if (index < 0)
        {
            return;
        }
        busAckIndexes[busAcks] = index;
        busAckStatuses[busAcks] = status;
        if (++busAcks == MAX_ACK_BATCH)
        {
            flushBusAcks();
        }
    }

    private void flushBusAcks()
    {
        final int n = busAcks;
        if (n == 0)
        {
            return;
        }
        busAcks = 0;
        startRunIfNeeded();
        beginRecord();
        final Bytes<?> b = batchBytes;
        b.writeInt(TYPE_ACK_BATCH).writeInt(n).writeLong(batchNowMs);
        for (int i = 0; i < n; i++)
        {
            b.writeLong(busAckIndexes[i]).writeInt(busAckStatuses[i]);
        }
        endRecord();
    }

    /**
     * Bus thread: starts a record in this ring batch's BATCH document, opening the document first when none is open
     * (one Chronicle document, so one header, one index update and one lock, per batch instead of per record).
     *
     * @return the new record's id (the batch's first id plus its slot; see {@link JournalRecordDescriptor}).
     */
    private long beginRecord()
    {
        if (batch == null)
        {
            final DocumentContext dc = appender.writingDocument();
            batch = dc;
            batchBytes = dc.wire().bytes();
            batchStart = batchBytes.writePosition();
            batchCount = 0;
            // One clock read per document: a record's journaledAtMs is when its batch was opened (the batch lasts one
            // ring batch, at most 1,024 events), not a clock read per record.
            batchNowMs = System.currentTimeMillis();
            batchBytes.writeInt(TYPE_BATCH).writeInt(0).writeLong(nextId);
        }
        recordLengthAt = batchBytes.writePosition();
        batchBytes.writeInt(0);
        return nextId + batchCount;
    }

    /** Bus thread: ends the record {@link #beginRecord()} started (its length filled in); closes a full document. */
    private void endRecord()
    {
        final Bytes<?> b = batchBytes;
        final long end = b.writePosition();
        b.writeInt(recordLengthAt, (int)(end - recordLengthAt - RECORD_LENGTH_FIELD));
        appended++;
        unsynced = syncPerBatch;
        if (++batchCount == MAX_BATCH_RECORDS || end - batchStart >= MAX_BATCH_BYTES)
        {
            closeBatch();
        }
    }

    /** Bus thread: a record that failed mid-write is cut off: the document ends with the records before it. */
    private void abandonRecord()
    {
        batchBytes.writePosition(recordLengthAt);
        if (batchCount == 0)
        {
            // Nothing whole in it: no empty batch is written.
            batch.rollbackOnClose();
        }
        closeBatch();
    }

    /** Bus thread: writes the open BATCH document's count and commits it (the records become readable together). */
    private void closeBatch()
    {
        final DocumentContext dc = batch;
        if (dc == null)
        {
            return;
        }
        batch = null;
        final Bytes<?> b = batchBytes;
        batchBytes = null;
        b.writeInt(batchStart + BATCH_COUNT_OFFSET, batchCount);
        nextId += batchCount;
        if (pretoucher != null)
        {
            pretoucher.tail(b.writePosition());
        }
        dc.close();
        batchesWritten = batchesWritten + 1;
    }

    /** @return times the ack writer went to sleep idle (tests). */
    long ackWriterSleeps()
    {
        return ackWriter.sleeps;
    }

    /** @return true while the ack writer is asleep or about to sleep (tests). */
    boolean ackWriterAsleep()
    {
        return ackWriter.sleeping;
    }

    /** @return acks the ack writer has written (tests). */
    long ackWriterWritten()
    {
        return ackWriter.written;
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
            beginRecord();
            batchBytes.writeInt(TYPE_RUN_START).writeLong(now).writeLong(now);
            endRecord();
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
        beginRecord();
        batchBytes.writeInt(TYPE_AGENT).writeInt(r.handle()).writeUtf8(r.agentId()).writeUtf8(r.tenantId() == null ? "" : r.tenantId());
        endRecord();
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
        return readPending(messages, acks, new ArrayList<>());
    }

    /**
     * One forward pass over {@code messages/} (after the small {@code acks/} queue): an accepted record no ack
     * read so far names is decoded into the pending list at once, with its list position kept by index; an
     * ACK or ACK_BATCH record met later in {@code messages/} clears the entries it names. That suffices because
     * the bus thread writes its acks after the message they name (in {@code messages/}, in ring order), and
     * every other ack is in {@code acks/}, read first. The list is then compacted in journal order.
     *
     * @param warnings where read problems go (and are logged), or null to read without reporting.
     */
    private static Pending readPending(final ChronicleQueue messages, final ChronicleQueue acks, final List<String> warnings)
    {
        final LongHashSet acked = new LongHashSet(1024);
        readRecords(acks, "acks", warnings, (document, index, b) -> {
            final int type = b.readInt();
            if (type == TYPE_ACK)
            {
                acked.add(b.readLong());
            }
            else if (type == TYPE_ACK_BATCH)
            {
                readAckBatch(b, acked, null);
            }
        });
        final PendingRecords pending = new PendingRecords();
        final AgentNames agents = new AgentNames();
        final long[] records = new long[1];
        // The document index of the RUN_START of the current run (what retention must keep for the run's pending entries).
        final long[] runStart = {-1};
        readRecords(messages, "messages", warnings, (document, index, b) -> {
            records[0]++;
            final int type = b.readInt();
            switch (type)
            {
                case TYPE_RUN_START ->
                {
                    agents.clear();
                    runStart[0] = document;
                }
                case TYPE_AGENT -> agents.put(b.readInt(), b.readUtf8());
                case TYPE_FLYWEIGHT ->
                {
                    if (!acked.contains(index))
                    {
                        pending.addFlyweight(index, b, agents, runStart[0] < 0 ? document : runStart[0]);
                    }
                }
                case TYPE_MESSAGE ->
                {
                    if (!acked.contains(index))
                    {
                        pending.addMessage(decodeAccepted(type, index, b, agents), runStart[0] < 0 ? document : runStart[0]);
                    }
                }
                case TYPE_ACK ->
                {
                    final long ackedIndex = b.readLong();
                    acked.add(ackedIndex);
                    pending.clear(ackedIndex);
                }
                case TYPE_ACK_BATCH -> readAckBatch(b, acked, pending);
                default ->
                {
                    // REJECTED: a decision, nothing to redeliver.
                }
            }
        });
        pending.compact();
        final long oldestNeeded = pending.size() == 0 ? -1 : pending.runStart(0);
        return new Pending(pending, records[0], acked.size(), warnings == null ? List.of() : warnings, oldestNeeded);
    }

    /** A run's handle → agent id, in an array indexed by handle (no boxing on the replay's read). */
    private static final class AgentNames implements java.util.function.IntFunction<String>
    {
        private String[] names = new String[64];

        void put(final int handle, final String id)
        {
            if (handle < 0)
            {
                return;
            }
            if (handle >= names.length)
            {
                names = java.util.Arrays.copyOf(names, Math.max(handle + 1, names.length * 2));
            }
            names[handle] = id;
        }

        void clear()
        {
            java.util.Arrays.fill(names, null);
        }

        @Override
        public String apply(final int handle)
        {
            return handle >= 0 && handle < names.length ? names[handle] : null;
        }
    }

    /** Reads an ACK_BATCH record (type read): each record id into {@code acked}, and out of the pending list when given. */
    private static void readAckBatch(final Bytes<?> b, final LongHashSet acked, final PendingRecords pending)
    {
        final int n = b.readInt();
        b.readLong(); // acked at
        for (int i = 0; i < n; i++)
        {
            final long index = b.readLong();
            b.readInt(); // status
            acked.add(index);
            if (pending != null)
            {
                pending.clear(index);
            }
        }
    }

    /**
     * Reads the rest of an accepted record (FLYWEIGHT or MESSAGE; its type already read), with its run's
     * handles mapped to agent ids (null for a handle the run never named).
     */
    static PendingMessage decodeAccepted(final int type, final long index, final Bytes<?> b, final Map<Integer, String> agentIds)
    {
        return decodeAccepted(type, index, b, (java.util.function.IntFunction<String>)agentIds::get);
    }

    /** {@link #decodeAccepted(int, long, Bytes, Map)} with the run's handles resolved by {@code agentIds} (null when unnamed). */
    static PendingMessage decodeAccepted(final int type, final long index, final Bytes<?> b, final java.util.function.IntFunction<String> agentIds)
    {
        final String sender = agentIds.apply(b.readInt());
        final String recipient = agentIds.apply(b.readInt());
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

    static void checkEnd(final Bytes<?> b, final long index)
    {
        if (b.readRemaining() < Integer.BYTES || b.readInt() != RECORD_END)
        {
            throw new JournalFormatException("record at index " + Long.toHexString(index) + " is not whole (no end marker): a torn or corrupt tail");
        }
    }

    /**
     * What a restart finds: accepted messages without an ack, in journal order; {@code oldestNeededIndex} is
     * the Chronicle index of the first document replay needs (the RUN_START of the oldest pending message's run), -1 when none is pending.
     */
    public static final class Pending
    {
        private final PendingRecords records;
        private final long recordsRead;
        private final int acks;
        private final List<String> warnings;
        private final long oldestNeededIndex;

        Pending(final PendingRecords records, final long recordsRead, final int acks, final List<String> warnings, final long oldestNeededIndex)
        {
            this.records = records;
            this.recordsRead = recordsRead;
            this.acks = acks;
            this.warnings = warnings;
            this.oldestNeededIndex = oldestNeededIndex;
        }

        /** @return the pending records in columns (what replay reads; no object per message). */
        public PendingRecords pending()
        {
            return records;
        }

        /** @return how many messages are pending. */
        public int size()
        {
            return records.size();
        }

        /** @return the pending messages as objects, in journal order (allocates one per message: tools and tests). */
        public List<PendingMessage> messages()
        {
            final List<PendingMessage> list = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++)
            {
                list.add(records.toPendingMessage(i));
            }
            return list;
        }

        /** @return records read from {@code messages/}. */
        public long records()
        {
            return recordsRead;
        }

        /** @return distinct acknowledged record ids read. */
        public int acks()
        {
            return acks;
        }

        public List<String> warnings()
        {
            return warnings;
        }

        /** @return the Chronicle index of the first document replay needs (its run's RUN_START), -1 when none is pending. */
        public long oldestNeededIndex()
        {
            return oldestNeededIndex;
        }
    }

    interface RecordReader
    {
        void read(long index, Bytes<?> bytes);
    }

    /** What {@link #readRecords} hands each record: its document's Chronicle index, its id and its bytes. */
    interface JournalRecordReader
    {
        void read(long documentIndex, long recordId, Bytes<?> bytes);
    }

    /**
     * {@link #readQueue} over a journal queue's records rather than its documents: a BATCH document is checked whole
     * ({@link #checkBatch}) and then handed out record by record, each with its id and its bytes limited to it; any
     * other document is one record (slot 0). A batch that fails the check ends the read before any of its records.
     */
    static void readRecords(final ChronicleQueue q, final String name, final List<String> warnings, final JournalRecordReader reader)
    {
        readQueue(q, name, warnings, (index, b) -> {
            final long start = b.readPosition();
            final long limit = b.readLimit();
            if (limit - start < Integer.BYTES || b.readInt(start) != TYPE_BATCH)
            {
                reader.read(index, index, b);
                return;
            }
            final int count = checkBatch(index, b, start, limit);
            final long firstId = b.readLong(start + BATCH_FIRST_ID_OFFSET);
            long at = start + BATCH_HEADER_LENGTH;
            try
            {
                for (int slot = 0; slot < count; slot++)
                {
                    final int length = b.readInt(at);
                    final long recordStart = at + RECORD_LENGTH_FIELD;
                    b.readLimit(recordStart + length);
                    b.readPosition(recordStart);
                    reader.read(index, firstId + slot, b);
                    b.readLimit(limit);
                    at = recordStart + length;
                }
            }
            finally
            {
                b.readLimit(limit);
                b.readPosition(limit);
            }
        });
    }

    /**
     * Checks a BATCH document before any of its records is read: a count in range, every record length inside the
     * document, and every accepted record ending with {@link JournalRecordDescriptor#RECORD_END}.
     *
     * @return the record count.
     * @throws JournalFormatException when the document is not a whole batch (scribbled or otherwise damaged).
     */
    static int checkBatch(final long index, final Bytes<?> b, final long start, final long limit)
    {
        if (limit - start < BATCH_HEADER_LENGTH)
        {
            throw new JournalFormatException("batch at index " + Long.toHexString(index) + " has no record count");
        }
        final int count = b.readInt(start + BATCH_COUNT_OFFSET);
        final long firstId = b.readLong(start + BATCH_FIRST_ID_OFFSET);
        if (firstId < 0 || firstId > Long.MAX_VALUE - MAX_BATCH_RECORDS)
        {
            throw new JournalFormatException("batch at index " + Long.toHexString(index) + " has a first record id out of range (" + firstId +
                "): a damaged batch");
        }
        if (count < 1 || count > MAX_BATCH_RECORDS)
        {
            throw new JournalFormatException("batch at index " + Long.toHexString(index) + " names " + count + " records (1.." +
                MAX_BATCH_RECORDS + "): a damaged batch");
        }
        long at = start + BATCH_HEADER_LENGTH;
        for (int slot = 0; slot < count; slot++)
        {
            final int length = at + RECORD_LENGTH_FIELD <= limit ? b.readInt(at) : -1;
            final long recordStart = at + RECORD_LENGTH_FIELD;
            if (length < Integer.BYTES || recordStart + length > limit)
            {
                throw new JournalFormatException("batch at index " + Long.toHexString(index) + ": record " + slot + " of " + count +
                    " does not fit in the document (length " + length + "): a damaged batch");
            }
            final int type = b.readInt(recordStart);
            if ((type == TYPE_FLYWEIGHT || type == TYPE_MESSAGE) &&
                (length < 2 * Integer.BYTES || b.readInt(recordStart + length - Integer.BYTES) != RECORD_END))
            {
                throw new JournalFormatException("batch at index " + Long.toHexString(index) + ": record " + slot + " of " + count +
                    " is not whole (no end marker): a damaged batch");
            }
            at = recordStart + length;
        }
        return count;
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
        open = false;
        if (housekeeper != null)
        {
            housekeeper.interrupt();
            try
            {
                housekeeper.join(TimeUnit.SECONDS.toMillis(5));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        ackWriter.close();
        messages.close();
        acks.close();
    }

    /**
     * Writes acknowledgements made off the bus thread on its own thread (the acks queue's single writer): what
     * producers put in the lock-free {@link AckRing} is drained in queue order and written as one ACK_BATCH
     * record per drain (at most {@link JournalRecordDescriptor#MAX_ACK_BATCH} acks), then synced under
     * {@link JournalFlush#SYNC_PER_BATCH}. Allocation-free in steady state.
     *
     * <p>Idle: it polls every {@value #IDLE_PARK_NS} ns for {@value #IDLE_POLLS_BEFORE_SLEEP} empty polls after the
     * last ack (a steady stream of acks wakes no one), then sleeps until an {@link #offer} wakes it. It used to poll
     * every 200 µs forever: ~3,700 wake-ups a second on a bus whose handlers never ack (inline delivery), each one
     * taking a core from the bus thread or a producer for a context switch on a 2-vCPU host (stop 11, the demo).
     */
    private static final class AckWriter implements Runnable
    {
        private static final long IDLE_PARK_NS = 200_000;
        private static final int IDLE_POLLS_BEFORE_SLEEP = 50;
        /** Longest sleep: a bound in case of a bug in the wake-up, never needed by the protocol below. */
        private static final long SLEEP_NS = TimeUnit.SECONDS.toNanos(1);
        private final ChronicleQueue queue;
        private final boolean syncPerBatch;
        private final AckRing pending = new AckRing(ACK_QUEUE_CAPACITY);
        private final long[] indexes = new long[MAX_ACK_BATCH];
        private final int[] statuses = new int[MAX_ACK_BATCH];
        private final Thread thread = Thread.ofPlatform().daemon().name("eab-journal-acks").unstarted(this);
        private volatile boolean running = true;
        /**
         * Set by the writer before its last look at the ring, read by producers after their claim (both volatile,
         * so one of the two sees the other): an ack claimed meanwhile is either seen by that look or wakes the sleep.
         */
        private volatile boolean sleeping;
        /** Written by the writer thread only: how often it went to sleep, and acks it wrote (read by tests). */
        private volatile long sleeps;
        private volatile long written;

        AckWriter(final ChronicleQueue queue, final boolean syncPerBatch)
        {
            this.queue = queue;
            this.syncPerBatch = syncPerBatch;
        }

        void start()
        {
            thread.start();
        }

        void offer(final long index, final int status)
        {
            // Never lost while the journal is open: a full ring waits for the writer (back-pressure).
            pending.offer(index, status);
            if (sleeping)
            {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run()
        {
            try (ExcerptAppender appender = queue.createAppender())
            {
                int idlePolls = 0;
                while (running || !pending.isEmpty())
                {
                    final int n = pending.drain(indexes, statuses, MAX_ACK_BATCH);
                    if (n == 0)
                    {
                        if (++idlePolls <= IDLE_POLLS_BEFORE_SLEEP)
                        {
                            LockSupport.parkNanos(IDLE_PARK_NS);
                            continue;
                        }
                        sleeping = true;
                        if (running && pending.isEmpty())
                        {
                            sleeps = sleeps + 1;
                            LockSupport.parkNanos(this, SLEEP_NS);
                        }
                        sleeping = false;
                        continue;
                    }
                    idlePolls = 0;
                    try (DocumentContext dc = appender.writingDocument())
                    {
                        final Bytes<?> b = dc.wire().bytes();
                        b.writeInt(TYPE_ACK_BATCH).writeInt(n).writeLong(System.currentTimeMillis());
                        for (int i = 0; i < n; i++)
                        {
                            b.writeLong(indexes[i]).writeInt(statuses[i]);
                        }
                    }
                    if (syncPerBatch)
                    {
                        appender.sync();
                    }
                    written = written + n;
                }
            }
            catch (final RuntimeException e)
            {
                LOG.severe("journal ack writer stopped: " + ThrowableText.withStackTrace(e) + " (unwritten acks mean redelivery after a restart)");
            }
        }

        void close()
        {
            running = false;
            LockSupport.unpark(thread);
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
