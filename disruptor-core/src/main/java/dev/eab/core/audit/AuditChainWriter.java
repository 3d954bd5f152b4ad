package dev.eab.core.audit;

import dev.eab.api.exception.ConfigurationException;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Appends decision records to the chain in batches: encodes each into the batch buffer
 * ({@link AuditRecordDescriptor}), then per batch links them all (chain version 3: {@code hash = BLAKE3-keyed(key =
 * previous hash, BLAKE3(record))}, one {@link ChainHasher#chainBatchV3} call) and appends the batch as one Chronicle document;
 * on {@link #flush()} writes the anchor. Continues an existing chain: on open it reads the last stored record and checks it
 * against the anchor, refusing to append to a log whose tail was cut (the cut would be hidden otherwise).
 *
 * <p>Single writer: one thread calls {@link #append} and {@link #flush} (the {@code eab-audit} thread of
 * {@link AuditLog}, or a test). A Chronicle appender belongs to one thread; it is created on first append.
 */
public final class AuditChainWriter implements AutoCloseable
{
    private final Path dir;
    private final ChronicleQueue queue;
    private final ChainHasher hasher;
    /** Most records one batch (one document, one hashing call) holds. */
    public static final int MAX_BATCH_RECORDS = 256;
    /** A batch is committed once its bytes reach this (typical records are 250–400 bytes). */
    public static final int MAX_BATCH_BYTES = 64 * 1024;

    private final AuditRecordDescriptor.Encoder encoder = new AuditRecordDescriptor.Encoder();
    private final int[] lengths = new int[MAX_BATCH_RECORDS];
    private int staged;
    private long committed;
    private final byte[] link = new byte[ChainHasher.HASH_LENGTH];
    private ExcerptAppender appender;
    /** Batch documents appended since open: written by the writer thread, read by metrics. */
    private volatile long documents;
    /** Touches the pages ahead of the tail from its own thread (null when off). */
    private final AuditPretouch pretouch;
    private long nextSequence;
    private long anchoredSequence;

    /**
     * Opens (creating) the audit directory and positions after its last record.
     *
     * @throws ConfigurationException when the log is shorter than its anchor or its last record disagrees
     *                                with the anchor (tampered while the bus was down: run {@code ./eab audit verify}).
     */
    public AuditChainWriter(final Path dir, final ChainHasher hasher)
    {
        this.dir = dir;
        this.hasher = hasher;
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot create the audit directory " + dir, e);
        }
        this.queue = AuditQueues.open(dir);
        final AuditRecord last = lastRecord(queue);
        if (last == null)
        {
            nextSequence = 0;
            System.arraycopy(AuditRecordDescriptor.GENESIS, 0, link, 0, link.length);
        }
        else
        {
            nextSequence = last.sequence() + 1;
            System.arraycopy(last.hash(), 0, link, 0, link.length);
        }
        final AuditAnchor anchor = AuditAnchor.read(dir);
        if (anchor != null)
        {
            if (anchor.sequence() > nextSequence - 1)
            {
                queue.close();
                throw new ConfigurationException("audit_dir", "the audit log " + dir + " ends at record " + (nextSequence - 1) +
                    " but its anchor names record " + anchor.sequence() + ": its tail was cut; run ./eab audit verify " + dir);
            }
            if (anchor.sequence() == nextSequence - 1 && !Arrays.equals(anchor.hash(), link))
            {
                queue.close();
                throw new ConfigurationException("audit_dir", "the last record (" + anchor.sequence() + ") of the audit log " + dir +
                    " does not match its anchor's hash: run ./eab audit verify " + dir);
            }
        }
        anchoredSequence = anchor == null ? -1 : anchor.sequence();
        committed = nextSequence;
        pretouch = AuditPretouch.startFor(queue);
    }

    private static AuditRecord lastRecord(final ChronicleQueue q)
    {
        try (ExcerptTailer t = q.createTailer().direction(TailerDirection.BACKWARD).toEnd())
        {
            final java.util.List<AuditRecord> doc = AuditQueues.nextDocument(t);
            return doc == null ? null : doc.get(doc.size() - 1);
        }
    }

    /**
     * Stages one record. It reaches the queue with its batch: when the batch is full, or on {@link #commit()},
     * {@link #flush()} or {@link #close()}.
     *
     * @return its sequence number.
     */
    public long append(final AuditEntry entry)
    {
        final long sequence = nextSequence;
        lengths[staged++] = encoder.append(sequence, entry);
        nextSequence = sequence + 1;
        commitIfFull();
        return sequence;
    }

    /** @return the batch encoder: {@link AuditLog}'s writer encodes record {@link #records()} into it, then {@link #stage}s it. */
    AuditRecordDescriptor.Encoder encoder()
    {
        return encoder;
    }

    /** @return true when the batch must be committed before another record is encoded. */
    boolean full()
    {
        return staged == MAX_BATCH_RECORDS || encoder.size() >= MAX_BATCH_BYTES;
    }

    /**
     * Stages the record just encoded (as sequence {@link #records()}) into {@link #encoder()}; the caller commits
     * when {@link #full()} (it then releases the slots the batch's records came from).
     */
    void stage(final int length)
    {
        lengths[staged++] = length;
        nextSequence++;
    }

    private void commitIfFull()
    {
        if (staged == MAX_BATCH_RECORDS || encoder.size() >= MAX_BATCH_BYTES)
        {
            commit();
        }
    }

    /**
     * Chains the staged batch (one {@link ChainHasher#chainBatch} call: one FFM transition for the native
     * hasher) and appends it as one Chronicle document.
     */
    public void commit()
    {
        if (staged == 0)
        {
            return;
        }
        if (appender == null)
        {
            appender = queue.createAppender();
            // One writer thread appends (see the class comment); Chronicle's per-document ownership check cost up to a
            // sixth of the writer's CPU at saturation (JFR), so it is off, as for the journal's appenders.
            appender.singleThreadedCheckDisabled(true);
        }
        final byte[] buf = encoder.bytes();
        hasher.chainBatchV3(link, buf, lengths, staged);
        try (DocumentContext dc = appender.writingDocument())
        {
            final net.openhft.chronicle.bytes.Bytes<?> b = dc.wire().bytes();
            b.write(buf, 0, encoder.size());
            if (pretouch != null)
            {
                pretouch.tail(b);
            }
        }
        encoder.reset();
        staged = 0;
        committed = nextSequence;
        documents = documents + 1;
    }

    /** Commits the staged batch, then writes the anchor when records were appended since the last one. */
    public void flush()
    {
        commit();
        final long last = nextSequence - 1;
        if (last != anchoredSequence)
        {
            new AuditAnchor(last, link.clone()).write(dir);
            anchoredSequence = last;
        }
    }

    /** @return records in the queue (committed), including those there before this writer opened. */
    public long committed()
    {
        return committed;
    }

    /** @return how many records the chain holds (the next sequence number). */
    public long records()
    {
        return nextSequence;
    }

    /** @return the current chain head (a copy), after committing the staged batch. */
    public byte[] head()
    {
        commit();
        return link.clone();
    }

    /** @return batch documents appended since this writer opened (records / documents = the mean batch). */
    public long documents()
    {
        return documents;
    }

    /** @return pages of the chain's queue touched ahead of the writer (0 with pretouching off). */
    public long pagesPretouched()
    {
        return pretouch == null ? 0 : pretouch.pagesTouched();
    }

    /** @return which BLAKE3 implementation links the records. */
    public String hasherName()
    {
        return hasher.name();
    }

    /** Flushes (anchor) and closes the queue. */
    @Override
    public void close()
    {
        try
        {
            flush();
        }
        finally
        {
            if (pretouch != null)
            {
                pretouch.close();
            }
            if (appender != null)
            {
                appender.close();
            }
            queue.close();
        }
    }
}
