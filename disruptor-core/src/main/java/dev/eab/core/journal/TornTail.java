package dev.eab.core.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tells a clean end of a queue file from a torn or corrupt one. Chronicle preallocates queue files with
 * zeros and its tailer reads a damaged record header as "not written yet", so where reading stops the
 * file must hold only zeros: any non-zero byte shortly after the last whole document is a record cut by a
 * crash mid-write (a header left "not complete") or damage. Read with plain file I/O, bounded, never mapped.
 */
final class TornTail
{
    /** How far past the last whole document to look: a torn header sits right there. */
    static final int SCAN_BYTES = 64 * 1024;

    private TornTail()
    {
    }

    /** @return the offset of the first non-zero byte in {@code [from, from + SCAN_BYTES)}, or -1 (also when unreadable). */
    static long firstNonZeroByte(final Path file, final long from)
    {
        if (from < 0)
        {
            return -1;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer buf = ByteBuffer.allocate(SCAN_BYTES);
            final int n = ch.read(buf, from);
            for (int i = 0; i < n; i++)
            {
                if (buf.get(i) != 0)
                {
                    return from + i;
                }
            }
            return -1;
        }
        catch (final IOException | RuntimeException e)
        {
            return -1;
        }
    }
}
