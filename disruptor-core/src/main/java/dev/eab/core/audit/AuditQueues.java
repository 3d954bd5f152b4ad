package dev.eab.core.audit;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;

/**
 * Where the chain lives in an audit directory ({@code <dir>/chain}, a Chronicle Queue, daily files) and
 * the one way records are read back from it, in append order.
 */
public final class AuditQueues
{
    /** The chain's queue directory inside the audit directory. */
    public static final String CHAIN_DIR = "chain";

    private AuditQueues()
    {
    }

    static ChronicleQueue open(final Path auditDir)
    {
        return SingleChronicleQueueBuilder.binary(auditDir.resolve(CHAIN_DIR)).rollCycle(RollCycles.FAST_DAILY).build();
    }

    static ChronicleQueue openReadOnly(final Path auditDir)
    {
        return SingleChronicleQueueBuilder.binary(auditDir.resolve(CHAIN_DIR)).rollCycle(RollCycles.FAST_DAILY).readOnly(true).build();
    }

    /** Receives each stored record's raw bytes (header, body and hash); the array is reused between calls. */
    public interface RawVisitor
    {
        /** @return false to stop reading. */
        boolean visit(long position, byte[] record, int length);
    }

    /**
     * Reads every data document in order. Stops at the first document that is not present (the end, or a
     * torn header Chronicle treats as not yet written: the anchor is what catches a cut there).
     *
     * @return how many documents were visited.
     */
    static long readAll(final ChronicleQueue q, final RawVisitor visitor)
    {
        byte[] doc = new byte[1024];
        byte[] record = new byte[1024];
        long position = 0;
        try (ExcerptTailer t = q.createTailer())
        {
            while (true)
            {
                try (DocumentContext dc = t.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        return position;
                    }
                    if (!dc.isData())
                    {
                        continue;
                    }
                    final Bytes<?> b = dc.wire().bytes();
                    final int n = (int)Math.min(Integer.MAX_VALUE - 8, b.readRemaining());
                    if (n > doc.length)
                    {
                        doc = new byte[Math.max(n, doc.length * 2)];
                    }
                    b.read(doc, 0, n);
                    // A document holds a batch: records back to back, each delimited by its BODY_LENGTH. What
                    // cannot be delimited goes to the visitor whole, so the decoder names what is wrong with it.
                    int offset = 0;
                    do
                    {
                        final int stored = AuditRecordDescriptor.storedLengthAt(doc, offset, n);
                        final int length = stored < 0 ? n - offset : stored;
                        if (length > record.length)
                        {
                            record = new byte[Math.max(length, record.length * 2)];
                        }
                        System.arraycopy(doc, offset, record, 0, length);
                        final boolean more = visitor.visit(position, record, length);
                        position++;
                        offset += length;
                        if (!more)
                        {
                            return position;
                        }
                    }
                    while (offset < n);
                }
            }
        }
    }

    /**
     * Decodes every record of an audit directory, in order (no chain check: see {@link AuditChainVerifier}).
     *
     * @throws AuditFormatException at the first record that cannot be decoded.
     */
    public static java.util.List<AuditRecord> records(final Path auditDir)
    {
        final java.util.List<AuditRecord> out = new java.util.ArrayList<>();
        read(auditDir, (position, record, length) -> out.add(AuditRecordDescriptor.decode(record, length)));
        return out;
    }

    /**
     * Prints-as-you-go reading for {@code ./eab audit tail}: the last {@code last} records, then (when
     * {@code follow}) every record appended later, polling every {@code pollMs} until {@code stop} says so.
     */
    public static void tail(
        final Path auditDir, final int last, final boolean follow, final long pollMs, final java.util.function.Consumer<AuditRecord> out,
        final java.util.function.BooleanSupplier stop) throws InterruptedException
    {
        try (ChronicleQueue q = openReadOnly(auditDir); ExcerptTailer t = q.createTailer())
        {
            final java.util.ArrayDeque<AuditRecord> recent = new java.util.ArrayDeque<>();
            boolean caughtUp = false;
            java.util.Iterator<AuditRecord> pending = java.util.Collections.emptyIterator();
            while (!stop.getAsBoolean())
            {
                if (!pending.hasNext())
                {
                    final java.util.List<AuditRecord> doc = nextDocument(t);
                    pending = doc == null ? java.util.Collections.emptyIterator() : doc.iterator();
                }
                final AuditRecord r = pending.hasNext() ? pending.next() : null;
                if (r == null)
                {
                    if (!caughtUp)
                    {
                        caughtUp = true;
                        recent.forEach(out);
                        recent.clear();
                    }
                    if (!follow)
                    {
                        return;
                    }
                    Thread.sleep(pollMs);
                    continue;
                }
                if (caughtUp)
                {
                    out.accept(r);
                }
                else
                {
                    recent.addLast(r);
                    if (recent.size() > last)
                    {
                        recent.removeFirst();
                    }
                }
            }
        }
    }

    /**
     * @return the records of the next data document in the tailer's direction (in append order within it),
     * or null at the end (metadata documents are skipped).
     * @throws AuditFormatException when a record of it cannot be decoded.
     */
    static java.util.List<AuditRecord> nextDocument(final ExcerptTailer t)
    {
        while (true)
        {
            try (DocumentContext dc = t.readingDocument())
            {
                if (!dc.isPresent())
                {
                    return null;
                }
                if (!dc.isData())
                {
                    continue;
                }
                final Bytes<?> b = dc.wire().bytes();
                final byte[] raw = new byte[(int)b.readRemaining()];
                b.read(raw);
                final java.util.List<AuditRecord> out = new java.util.ArrayList<>();
                int offset = 0;
                do
                {
                    final int stored = AuditRecordDescriptor.storedLengthAt(raw, offset, raw.length);
                    final int length = stored < 0 ? raw.length - offset : stored;
                    out.add(AuditRecordDescriptor.decode(java.util.Arrays.copyOfRange(raw, offset, offset + length), length));
                    offset += length;
                }
                while (offset < raw.length);
                return out;
            }
        }
    }

    /** Reads the records of an audit directory (read-only), in order. */
    public static long read(final Path auditDir, final RawVisitor visitor)
    {
        try (ChronicleQueue q = openReadOnly(auditDir))
        {
            return readAll(q, visitor);
        }
    }
}
