package dev.eab.core.workflow;

import dev.eab.api.exception.ThrowableText;
import dev.eab.api.exception.WorkflowException;
import dev.eab.core.journal.SharedAppendQueue;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static dev.eab.core.workflow.SagaRecordDescriptor.*;

/**
 * The saga journal: one Chronicle Queue (its own directory, apart from the message journal) holding every
 * saga transition as one document laid out by {@link SagaRecordDescriptor}. A record is appended before
 * the work it announces (write-ahead), so after a crash the journal tells which step was running.
 *
 * <p>Thread-safe: appends are serialised on this object (one Chronicle appender, which is single-threaded,
 * so its thread check is turned off and the lock does its job); each read uses its own tailer. A queue file
 * is memory-mapped: a record whose append returned survives a {@code kill -9} of the process.
 *
 * <p>Reads scan the whole queue and keep the records of the asked saga: resume is rare and journals are
 * rolled daily, so no index is kept.
 */
public final class SagaJournal implements AutoCloseable
{
    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private boolean closed;

    private SagaJournal(final Path directory, final SingleChronicleQueue queue, final ExcerptAppender appender)
    {
        this.directory = directory;
        this.queue = queue;
        this.appender = appender;
    }

    /**
     * Opens (or creates) the journal in a directory.
     *
     * @param directory where the queue's files live.
     * @return the journal.
     * @throws WorkflowException when the queue cannot be opened.
     */
    public static SagaJournal open(final Path directory)
    {
        try
        {
            final SharedAppendQueue q = SharedAppendQueue.open(directory);
            return new SagaJournal(directory, q.queue(), q.appender());
        }
        catch (final Throwable t)
        {
            throw new WorkflowException("Cannot open the saga journal at " + directory + ": " + ThrowableText.describe(t),
                Map.of("journal", String.valueOf(directory)), t);
        }
    }

    /** @return the queue's directory. */
    public Path directory()
    {
        return directory;
    }

    /**
     * Appends one record; when this returns, the record is in the queue's mapped file.
     *
     * @param record the record.
     * @throws WorkflowException when the journal is closed, a string is too long, or the append failed.
     */
    public synchronized void append(final SagaRecord record)
    {
        if (closed)
        {
            throw WorkflowException.of("The saga journal is closed", "saga_id", record.sagaId(), "transition", record.type().name());
        }
        final byte[] id = utf8(record.sagaId(), MAX_ID_BYTES, "saga id", record);
        final byte[] name = utf8(record.name(), MAX_NAME_BYTES, "name", record);
        final byte[] text = utf8(record.text(), MAX_TEXT_BYTES, "text", record);
        if (id == null || id.length == 0 || name == null)
        {
            throw WorkflowException.of("A saga record needs a saga id and a name", "saga_id", record.sagaId(), "transition", record.type().name());
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            try
            {
                final Bytes<?> bytes = dc.wire().bytes();
                final long start = bytes.writePosition();
                // Written in offset order; the check below keeps this and the descriptor in step.
                bytes.writeInt(MAGIC);
                bytes.writeShort(VERSION);
                bytes.writeShort((short) record.type().code());
                bytes.writeLong(record.timestampNs());
                bytes.writeInt(record.stepIndex());
                bytes.writeInt(record.attempt());
                bytes.writeInt(record.code());
                bytes.writeInt(id.length);
                bytes.writeInt(name.length);
                bytes.writeInt(text == null ? NULL_LENGTH : text.length);
                bytes.writeInt(0);
                if (bytes.writePosition() - start != HEADER_LENGTH)
                {
                    throw new IllegalStateException("saga record header is " + (bytes.writePosition() - start) + " bytes, not " + HEADER_LENGTH);
                }
                bytes.write(id);
                bytes.write(name);
                if (text != null)
                {
                    bytes.write(text);
                }
            }
            catch (final Throwable t)
            {
                // A half-written record must never become visible to a resume.
                dc.rollbackOnClose();
                throw t;
            }
        }
        catch (final WorkflowException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new WorkflowException("Cannot append to the saga journal: " + ThrowableText.describe(t),
                Map.of("saga_id", record.sagaId(), "transition", record.type().name()), t);
        }
    }

    /**
     * @param sagaId a saga instance.
     * @return its records in journal order; empty when the journal has none.
     * @throws WorkflowException when the journal is closed or unreadable.
     */
    public List<SagaRecord> read(final String sagaId)
    {
        final List<SagaRecord> records = new ArrayList<>();
        scan(r ->
        {
            if (r.sagaId().equals(sagaId))
            {
                records.add(r);
            }
        });
        return records;
    }

    /**
     * Hands every record, in journal order, to a consumer.
     *
     * @param consumer called once per record, on the calling thread.
     * @throws WorkflowException when the journal is closed, unreadable, or holds a document that is not a saga record.
     */
    public void scan(final Consumer<SagaRecord> consumer)
    {
        synchronized (this)
        {
            if (closed)
            {
                throw WorkflowException.of("The saga journal is closed", "journal", String.valueOf(directory));
            }
        }
        try (ExcerptTailer tailer = queue.createTailer())
        {
            while (true)
            {
                final SagaRecord record;
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return;
                    }
                    record = decode(dc.wire().bytes());
                }
                consumer.accept(record);
            }
        }
        catch (final WorkflowException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new WorkflowException("Cannot read the saga journal: " + ThrowableText.describe(t),
                Map.of("journal", String.valueOf(directory)), t);
        }
    }

    private SagaRecord decode(final Bytes<?> bytes)
    {
        final long base = bytes.readPosition();
        final long length = bytes.readRemaining();
        if (length < HEADER_LENGTH || bytes.readInt(base + MAGIC_OFFSET) != MAGIC || bytes.readShort(base + VERSION_OFFSET) != VERSION)
        {
            throw WorkflowException.of("Not a saga record (bad length, magic or version)", "journal", String.valueOf(directory), "length", length);
        }
        final SagaTransition type = SagaTransition.ofCode(bytes.readShort(base + TYPE_OFFSET));
        final int idLength = bytes.readInt(base + SAGA_ID_LENGTH_OFFSET);
        final int nameLength = bytes.readInt(base + NAME_LENGTH_OFFSET);
        final int textLength = bytes.readInt(base + TEXT_LENGTH_OFFSET);
        if (type == null || idLength < 1 || idLength > MAX_ID_BYTES || nameLength < 0 || nameLength > MAX_NAME_BYTES
            || textLength < NULL_LENGTH || textLength > MAX_TEXT_BYTES
            || HEADER_LENGTH + (long) idLength + nameLength + Math.max(0, textLength) != length)
        {
            throw WorkflowException.of("Corrupt saga record", "journal", String.valueOf(directory), "length", length);
        }
        final long idAt = base + HEADER_LENGTH;
        final long nameAt = idAt + idLength;
        final long textAt = nameAt + nameLength;
        final SagaRecord record = new SagaRecord(
            type,
            bytes.readLong(base + TIMESTAMP_NS_OFFSET),
            bytes.readInt(base + STEP_INDEX_OFFSET),
            bytes.readInt(base + ATTEMPT_OFFSET),
            bytes.readInt(base + CODE_OFFSET),
            string(bytes, idAt, idLength),
            string(bytes, nameAt, nameLength),
            textLength == NULL_LENGTH ? null : string(bytes, textAt, textLength));
        bytes.readPosition(base + length);
        return record;
    }

    private static String string(final Bytes<?> bytes, final long at, final int length)
    {
        final byte[] b = new byte[length];
        bytes.read(at, b, 0, length);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(final String s, final int maxBytes, final String what, final SagaRecord record)
    {
        if (s == null)
        {
            return null;
        }
        final byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > maxBytes)
        {
            throw WorkflowException.of("Saga record " + what + " is " + b.length + " bytes, more than " + maxBytes,
                "saga_id", record.sagaId(), "transition", record.type().name());
        }
        return b;
    }

    /** Closes the queue; later appends and reads throw {@link WorkflowException}. Idempotent. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            appender.close();
            queue.close();
        }
    }
}
