package dev.eab.core.audit;

import dev.eab.api.exception.ThrowableText;
import dev.eab.core.journal.JournalPretoucher;
import dev.eab.core.journal.PageAdvice;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * Keeps the pages ahead of the audit chain's tail ready from its own thread ({@code eab-audit-pretouch}), so the
 * {@code eab-audit} writer does not take the page faults of its appends (Chronicle's copy into the mapped file, where a
 * first touch lands, was 10–18 % of the writer's JFR samples). Two steps every {@value #INTERVAL_MS} ms, both behind the
 * tail the writer publishes after each batch document ({@link #tail}):
 * <ol>
 * <li>the journal's {@link JournalPretoucher}, reused as it is: allocates the file's pages ahead (the zeroing) through
 * a mapping of its own, advised {@code MADV_RANDOM} so its faults read nothing ahead; every pass, so that step 2 finds
 * the pages in the page cache (until stop 11 only until step 2 had worked once: step 2's own faults then read ahead
 * 8 MiB at a time on VMs with a large {@code read_ahead_kb});</li>
 * <li>{@code madvise(MADV_POPULATE_WRITE)} (Linux 5.14+) over the same range of <em>Chronicle's</em> mapping, the one the
 * writer writes through: page tables are per process, so this maps those pages writable for the writer too, which the
 * first step cannot (without it the writer still took a minor fault per page). It changes no byte. The range is
 * Chronicle's current chunk as the writer last saw it; if Chronicle has moved on and unmapped it meanwhile, the call
 * fails harmlessly ({@code ENOMEM}) and the next tail names the new chunk.</li>
 * </ol>
 * On by default, as the journal's; off with {@code -D}{@value #PROPERTY}{@code =false}. Measured (stop 10, {@code
 * AuditPipeMain}, same session): the writer's CPU per record 369–379 ns with it against 423–448 without; the pretouch
 * thread spends about what it saves the writer, so on 2 vCPUs the gain is that the gating thread does less, not less CPU
 * in all (see {@code docs/BENCHMARKS.md}, "Stop 10 (auditw)"). With step 1 alone the writer saved nothing measurable.
 *
 * <p>Threading: {@link #tail} on the writer thread; {@link #close} on the thread closing the writer.
 */
final class AuditPretouch implements AutoCloseable
{
    /** The system property that turns audit pretouching off ({@code false}); on by default. */
    static final String PROPERTY = "eab.audit.pretouch";
    private static final long INTERVAL_MS = 10;
    private static final long PAGE_BYTES = 4096;
    private static final Logger LOG = Logger.getLogger(AuditPretouch.class.getName());

    private final JournalPretoucher pretoucher;
    private final Thread thread;
    private volatile boolean open = true;
    /** Writer → pretouch thread: the tail's address in Chronicle's mapping and the end of that mapped chunk (seqlock-like: address re-read). */
    private volatile long tailAddress;
    private volatile long chunkEndAddress;
    /** Pretouch thread only. */
    private long populatedTo;
    private volatile long pagesPopulated;

    private AuditPretouch(final SingleChronicleQueue queue)
    {
        this.pretoucher = new JournalPretoucher(queue);
        this.thread = new Thread(this::run, "eab-audit-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a running pretoucher for {@code queue}, or null when turned off (or the queue is not a single Chronicle queue). */
    static AuditPretouch startFor(final ChronicleQueue queue)
    {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || !(queue instanceof SingleChronicleQueue q))
        {
            return null;
        }
        return new AuditPretouch(q);
    }

    /** Writer thread, after a batch document: the byte position just written in the current cycle file, and where it is mapped. */
    void tail(final Bytes<?> written)
    {
        final long position = written.writePosition();
        pretoucher.tail(position);
        if (PageAdvice.available())
        {
            // Never fail the writer over a hint: anything unexpected from the store skips this batch's hint.
            try
            {
                final BytesStore<?, ?> store = written.bytesStore();
                if (store instanceof MappedBytesStore m && position >= m.start() && position < m.safeLimit())
                {
                    final long address = m.addressForRead(position);
                    chunkEndAddress = address + (m.safeLimit() - position);
                    tailAddress = address;
                }
            }
            catch (final RuntimeException e)
            {
                tailAddress = 0;
            }
        }
    }

    /** @return pages touched ahead of the writer so far (the file's pages and Chronicle's mapping's). */
    long pagesTouched()
    {
        return pretoucher.pagesTouched() + pagesPopulated;
    }

    private void run()
    {
        try
        {
            while (open)
            {
                // Step 1 every time, before step 2: its mapping faults the pages in without readahead (MADV_RANDOM),
                // so step 2 only maps pages already in the page cache. Step 2 alone faulted through Chronicle's
                // mapping, and each of its faults in the sparse file read ahead read_ahead_kb (8 MiB here) of zeroed
                // page cache in one go, ~12 ms on this thread: the eab-audited p99 of 4–5 ms at 100k msg/s (stop 11).
                pretoucher.touch();
                populate();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(INTERVAL_MS));
            }
        }
        catch (final IOException | RuntimeException e)
        {
            LOG.warning("audit: pretouching stopped (" + ThrowableText.describe(e) + "); the writer takes its own page faults");
        }
        finally
        {
            pretoucher.unmap();
        }
    }

    /** Maps the pages of Chronicle's chunk ahead of the tail writable for the writer (never past the chunk's end). */
    private void populate()
    {
        final long tail = tailAddress;
        final long end = chunkEndAddress;
        if (!PageAdvice.available() || tail == 0 || tail != tailAddress || end <= tail)
        {
            return;
        }
        final long from = Math.max((tail + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1), populatedTo > tail && populatedTo < end ? populatedTo : 0);
        final long to = Math.min(tail + JournalPretoucher.AHEAD_BYTES, end) & ~(PAGE_BYTES - 1);
        if (to - from < PAGE_BYTES)
        {
            return;
        }
        if (PageAdvice.advise(from, to - from, PageAdvice.MADV_POPULATE_WRITE) == 0)
        {
            pagesPopulated = pagesPopulated + (to - from) / PAGE_BYTES;
            populatedTo = to;
        }
    }

    /** Stops the thread and waits for it (it unmaps its window before the queue closes). */
    @Override
    public void close()
    {
        open = false;
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
