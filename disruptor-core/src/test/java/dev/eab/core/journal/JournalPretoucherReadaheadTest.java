package dev.eab.core.journal;

import dev.eab.api.JournalRollCycle;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The journal's pretoucher faults in the pages it touches and no more: its window is advised {@code MADV_RANDOM}, so a
 * fault in the sparse file ahead of the tail does not read ahead (zero-fill) the block device's {@code read_ahead_kb}
 * of page cache in one go (8 MiB on the VMs measured: ~12 ms of kernel memset on the faulting thread). Checked with
 * {@code mincore(2)}: the pages just past what was touched are not in the page cache.
 */
final class JournalPretoucherReadaheadTest
{
    private static final long PAGE_BYTES = 4096;
    /** Past the touched range: readahead of even the kernel's default 128 KiB would have brought these in. */
    private static final long BEYOND_BYTES = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void touchesNoPageItWasNotAskedTo() throws Throwable
    {
        Assumptions.assumeTrue(PageAdvice.available(), "madvise is not available (not Linux)");
        try (ChronicleQueue q = MessageJournal.queue(dir, JournalRollCycle.DAILY);
             ExcerptAppender appender = q.createAppender())
        {
            appender.writeText("first");
            final JournalPretoucher pretoucher = new JournalPretoucher((SingleChronicleQueue)q);
            final long tail = PAGE_BYTES;
            pretoucher.tail(tail);
            pretoucher.touch();
            final long touchedEnd = (tail + JournalPretoucher.AHEAD_BYTES) & ~(PAGE_BYTES - 1);
            assertEquals((touchedEnd - tail) / PAGE_BYTES, pretoucher.pagesTouched(), "pages touched");
            final Path file;
            try (Stream<Path> files = Files.list(dir))
            {
                file = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
            }
            assertTrue(Files.size(file) >= touchedEnd + BEYOND_BYTES, "the cycle file reaches past the touched range: " + Files.size(file));
            assertEquals(PAGE_BYTES / PAGE_BYTES, residentPages(file, touchedEnd - PAGE_BYTES, PAGE_BYTES), "the last touched page is resident");
            assertEquals(0, residentPages(file, touchedEnd, BEYOND_BYTES),
                "pages past the touched range were read ahead into the page cache");
            pretoucher.unmap();
        }
    }

    /** @return how many of the file's pages in [offset, offset + bytes) are in the page cache ({@code mincore}). */
    private static long residentPages(final Path file, final long offset, final long bytes) throws IOException, Throwable
    {
        final Linker linker = Linker.nativeLinker();
        final MethodHandle mincore = linker.downcallHandle(linker.defaultLookup().find("mincore").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, offset, bytes, arena);
            final int pages = (int)(bytes / PAGE_BYTES);
            final MemorySegment vec = arena.allocate(pages);
            assertEquals(0, (int)mincore.invokeExact(mapped, bytes, vec), "mincore");
            long resident = 0;
            for (int i = 0; i < pages; i++)
            {
                resident += vec.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        }
    }
}
