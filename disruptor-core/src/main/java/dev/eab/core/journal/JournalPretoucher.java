package dev.eab.core.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Keeps the pages just ahead of the messages queue's tail touched, from the journal's housekeeper thread,
 * so the bus thread does not take the first-touch page faults (block allocation and zeroing of a page
 * the file has never had) on its appends. Chronicle's own {@code ExcerptAppender.pretouch()} is an
 * Enterprise feature (the open-source 2026.2 build recurses until the stack overflows), so this maps
 * a window ahead of the tail with plain {@link FileChannel#map} (kept mapped until the tail leaves it) and does a compare-and-set of 0 to 0
 * on the first word of each page: a write fault that dirties the page without changing a byte, and that
 * leaves alone any word the appender has already written (the CAS fails on non-zero).
 *
 * <p>Threading: {@link #tail(long)} on the bus thread (an ordered store); {@link #touch()} and {@link #unmap()} on the housekeeper.
 * Public because the audit chain's queue uses it too ({@code dev.eab.core.audit.AuditPretouch}: the audit writer is the
 * appender there, its pretouch thread the housekeeper).
 */
public final class JournalPretoucher
{
    /** How far ahead of the tail pages are kept touched. */
    public static final long AHEAD_BYTES = 16L << 20;
    /** How much of the file one mapping covers. */
    static final long WINDOW_BYTES = 64L << 20;
    private static final long PAGE_BYTES = 4096;
    /**
     * Pages touched between yields: ~64 faults of a few µs each, so the housekeeper gives a 2-vCPU host's other
     * threads (a yielding bus thread, its producers) a turn every ~100–200 µs instead of holding a core for the
     * milliseconds a first fill of {@link #AHEAD_BYTES} takes.
     */
    private static final int PAGES_PER_YIELD = 64;
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle TAIL;

    static
    {
        try
        {
            TAIL = java.lang.invoke.MethodHandles.lookup().findVarHandle(JournalPretoucher.class, "tailPosition", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SingleChronicleQueue queue;
    private final DateTimeFormatter names;
    @SuppressWarnings("unused") // through TAIL
    private long tailPosition;
    private int cycle = Integer.MIN_VALUE;
    private long touchedTo;
    private long pagesTouched;
    private Arena arena;
    private MemorySegment window;
    private long windowStart;

    public JournalPretoucher(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        this.names = DateTimeFormatter.ofPattern(queue.rollCycle().format()).withZone(ZoneOffset.UTC);
    }

    /** Bus thread: the byte position just written in the current cycle file. No fence on x86. */
    public void tail(final long position)
    {
        TAIL.setRelease(this, position);
    }

    /** @return pages touched so far. */
    public long pagesTouched()
    {
        return pagesTouched;
    }

    /** Housekeeper: touches the pages of {@code [tail, tail + AHEAD_BYTES)} not touched yet. */
    public void touch() throws IOException
    {
        final int last = queue.lastCycle();
        if (last == Integer.MIN_VALUE)
        {
            return;
        }
        if (last != cycle)
        {
            cycle = last;
            touchedTo = 0;
            unmap();
        }
        final long tail = (long)TAIL.getAcquire(this);
        // Whole pages only: the page holding the tail is the appender's already.
        final long from = (Math.max(touchedTo, tail) + PAGE_BYTES - 1) & ~(PAGE_BYTES - 1);
        final long to = (tail + AHEAD_BYTES) & ~(PAGE_BYTES - 1);
        if (to - from < PAGE_BYTES)
        {
            return;
        }
        if (window == null || from < windowStart || to > windowStart + window.byteSize())
        {
            if (!map(last, from))
            {
                return;
            }
        }
        final long end = Math.min(to, windowStart + window.byteSize());
        int sinceYield = 0;
        for (long pos = from; pos + Integer.BYTES <= end; pos += PAGE_BYTES)
        {
            INT.compareAndSet(window, pos - windowStart, 0, 0);
            pagesTouched++;
            if (++sinceYield == PAGES_PER_YIELD)
            {
                sinceYield = 0;
                Thread.yield();
            }
        }
        touchedTo = Math.max(touchedTo, end);
    }

    /**
     * Maps {@code [from, from + WINDOW_BYTES)} of the cycle's file (never past its end: Chronicle sizes it), replacing
     * the previous window. One long-lived window, remapped once per {@value #WINDOW_BYTES} bytes of journal, because
     * every munmap makes the kernel shoot down TLB entries on the cores running this process, the bus thread's too.
     */
    private boolean map(final int cycleNumber, final long from) throws IOException
    {
        unmap();
        final RollCycle rc = queue.rollCycle();
        final Path file = queue.file().toPath().resolve(names.format(Instant.ofEpochMilli((long)cycleNumber * rc.lengthInMillis() + queue.epoch())) +
            ".cq4");
        if (!Files.exists(file))
        {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long end = Math.min(from + WINDOW_BYTES, ch.size() & ~(PAGE_BYTES - 1));
            if (end - from < PAGE_BYTES)
            {
                return false;
            }
            final Arena a = Arena.ofShared();
            window = ch.map(FileChannel.MapMode.READ_WRITE, from, end - from, a);
            // No readahead on this window's faults. The file is sparse ahead of the tail, and a fault there reads
            // ahead the block device's read_ahead_kb (8 MiB on the VMs measured) by zero-filling that much page cache
            // in one go: ~12 ms of kernel memset on whichever thread faults, which on 2 vCPUs stalled the bus thread
            // or its producer for as long (stop 11: the demo's paced max of 11–14 ms in every run). One page per
            // touch instead, spread over the housekeeper's passes.
            PageAdvice.advise(window.address(), window.byteSize(), PageAdvice.MADV_RANDOM);
            arena = a;
            windowStart = from;
            return true;
        }
    }

    /** Housekeeper, and when the journal closes: drops the mapped window. */
    public void unmap()
    {
        if (arena != null)
        {
            arena.close();
        }
        arena = null;
        window = null;
    }
}
