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
        byte[] buf = new byte[1024];
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
                    if (n > buf.length)
                    {
                        buf = new byte[Math.max(n, buf.length * 2)];
                    }
                    b.read(buf, 0, n);
                    final boolean more = visitor.visit(position, buf, n);
                    position++;
                    if (!more)
                    {
                        return position;
                    }
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
            while (!stop.getAsBoolean())
            {
                final AuditRecord r = next(t);
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

    /** @return the next data record in the tailer's direction, or null at the end (metadata documents are skipped). */
    static AuditRecord next(final ExcerptTailer t)
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
                return AuditRecordDescriptor.decode(raw, raw.length);
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
