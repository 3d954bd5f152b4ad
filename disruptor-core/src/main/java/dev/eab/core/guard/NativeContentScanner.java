package dev.eab.core.guard;

import dev.eab.api.KeywordMatching;
import dev.eab.core.ffi.NativeBindings;
import dev.eab.core.ffi.NativeUnavailableException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The Rust scanner behind the {@link ContentScanner} interface, one downcall per text:
 * {@code eab_guard_scan_owned}, bound {@code critical(true)}. UTF-8 bytes are passed as the caller's own array (a heap
 * segment, pinned for the call: the ring slot's own segment on the bus, else one cached per array; nothing is copied on
 * the Java side, Rust's lowercasing pass is the only copy), with a
 * native scratch this instance owns (so Rust takes no lock), and the family and keyword masks come back in one
 * reusable 16-byte segment ({@link ScanResultDescriptor}). A {@link CharSequence} is encoded into a reusable off-heap
 * segment first. A warm scan allocates nothing on either side of the boundary.
 *
 * <p>Owns the native guard and its scratch: {@link #close()} once, after the scanning thread has stopped using it; a
 * scan after that throws {@link ContentScanException}. Not thread-safe (one scratch, one text buffer): one instance
 * per scanning thread (on the bus, the bus thread: single writer). The buffers come from automatic arenas, so the
 * instance may be built on one thread and used on another, and an outgrown buffer is reclaimed by the GC.
 *
 * <p>Built with a {@link KeywordMatching}, the guard also finds the impact keywords in the same pass over the text
 * ({@code eab_guard_scan_keywords}): {@link #impactKeywords()} then holds the last scan's keyword mask, which the
 * native impact scorer takes instead of searching the text again.
 */
public final class NativeContentScanner implements ContentScanner, AutoCloseable
{
    /** First size of the text buffer; it doubles (at least) whenever a longer text arrives. */
    private static final long INITIAL_CAPACITY_BYTES = 4096;
    /** {@code EAB_ERR_BUFFER_TOO_SMALL}: {@code eab_guard_normalize} needs a larger output buffer. */
    public static final int ERR_BUFFER_TOO_SMALL = -4;
    /** Worst-case UTF-8 bytes per UTF-16 char (a surrogate pair is 2 chars and 4 bytes). */
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;

    private final GuardrailPatterns patterns;
    /** The live guard; {@link MemorySegment#NULL} once closed, so a late scan gets an error code, not freed memory. */
    private MemorySegment guard;
    /** This instance's scan scratch ({@code eab_guard_scratch_new}); {@link MemorySegment#NULL} once closed. */
    private MemorySegment scratch;
    private MemorySegment buffer;
    /** The {@code EabScanResult} each scan writes ({@link ScanResultDescriptor}). */
    private final MemorySegment result;
    // segmentOf's cache: the last two arrays scanned and their heap segments (this instance's thread only).
    private byte[] cachedArray0;
    private MemorySegment cachedSegment0;
    private byte[] cachedArray1;
    private MemorySegment cachedSegment1;
    /** True when the guard finds the impact keywords in its pass. */
    private final boolean findsKeywords;
    /** The last scan's keyword mask, -1 when not found by this scanner. */
    private int lastKeywords = -1;
    private boolean closed;

    /**
     * @throws NativeUnavailableException when the library cannot be loaded or rejects the configuration
     * (which the Java loader accepted: a bug to report, since both sides check the same rules).
     */
    public NativeContentScanner(final GuardrailPatterns patterns)
    {
        this(patterns, null);
    }

    /**
     * A scanner that also finds the impact keywords ({@code ImpactKeywords}) in its own pass, in {@code matching}
     * mode (the impact scorer's), or none when {@code matching} is null.
     *
     * @throws NativeUnavailableException as {@link #NativeContentScanner(GuardrailPatterns)}
     */
    public NativeContentScanner(final GuardrailPatterns patterns, final KeywordMatching matching)
    {
        this.patterns = Objects.requireNonNull(patterns, "patterns");
        if (!NativeBindings.available())
        {
            throw new NativeUnavailableException("library not loadable", null);
        }
        final byte[] json = patterns.toNativeJson().getBytes(StandardCharsets.UTF_8);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment config = arena.allocate(json.length);
            MemorySegment.copy(json, 0, config, ValueLayout.JAVA_BYTE, 0, json.length);
            // The guard copies what it needs, so the confined arena may close right after.
            guard = matching == null
                ? (MemorySegment)NativeBindings.GUARD_NEW.invokeExact(config, (long)json.length)
                : (MemorySegment)NativeBindings.GUARD_NEW_KEYWORDS.invokeExact(config, (long)json.length, matching.ordinal());
        }
        catch (final NativeUnavailableException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_guard_new failed: " + t, t);
        }
        if (guard.equals(MemorySegment.NULL))
        {
            throw new NativeUnavailableException("eab_guard_new rejected guardrail patterns " + patterns.version() +
                " that the Java loader accepted (the two validators disagree: please report)", null);
        }
        try
        {
            scratch = (MemorySegment)NativeBindings.GUARD_SCRATCH_NEW.invokeExact(guard);
        }
        catch (final Throwable t)
        {
            scratch = MemorySegment.NULL;
        }
        if (scratch.equals(MemorySegment.NULL))
        {
            NativeBindings.free(NativeBindings.GUARD_FREE, guard, "eab_guard_free");
            guard = MemorySegment.NULL;
            throw new NativeUnavailableException("eab_guard_scratch_new failed", null);
        }
        buffer = Arena.ofAuto().allocate(INITIAL_CAPACITY_BYTES);
        result = Arena.ofAuto().allocate(ScanResultDescriptor.LENGTH, ScanResultDescriptor.ALIGNMENT);
        findsKeywords = matching != null;
    }

    /** @return a scanner for the shipped pattern set. */
    public static NativeContentScanner withDefaults()
    {
        return new NativeContentScanner(GuardrailPatterns.defaults());
    }

    @Override
    public long scan(final byte[] utf8, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, utf8.length);
        final MemorySegment whole = segmentOf(utf8);
        return call(off == 0 ? whole : whole.asSlice(off, len), len);
    }

    /**
     * The array itself, not a copy (critical downcall: pinned for the call). {@code heapSegment} must be
     * {@code MemorySegment.ofArray(utf8)}, kept by the caller (a ring slot's payload segment).
     */
    @Override
    public long scan(final MemorySegment heapSegment, final byte[] utf8, final int len)
    {
        Objects.checkFromIndexSize(0, len, heapSegment.byteSize());
        return call(heapSegment, len);
    }

    /**
     * A heap segment over {@code utf8}, from a two-entry cache keyed by the array's identity: a caller that reuses its
     * buffers (the inspector's gathered text, benchmarks, tests alternating two texts) gets no segment made per scan; a
     * new array costs one segment object (beside the array the caller just made). Holds on to the last two arrays.
     */
    private MemorySegment segmentOf(final byte[] utf8)
    {
        if (utf8 == cachedArray0)
        {
            return cachedSegment0;
        }
        if (utf8 != cachedArray1)
        {
            cachedArray1 = utf8;
            cachedSegment1 = MemorySegment.ofArray(utf8);
        }
        // Most recent first.
        final byte[] a = cachedArray0;
        final MemorySegment s = cachedSegment0;
        cachedArray0 = cachedArray1;
        cachedSegment0 = cachedSegment1;
        cachedArray1 = a;
        cachedSegment1 = s;
        return cachedSegment0;
    }

    @Override
    public long scan(final CharSequence text)
    {
        final int n = text.length();
        final MemorySegment out = capacity((long)n * MAX_UTF8_BYTES_PER_CHAR);
        long k = 0;
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)c);
            }
            else if (c < 0x800)
            {
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0xC0 | (c >> 6)));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0x80 | (c & 0x3F)));
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                final int cp = Character.toCodePoint(c, text.charAt(++i));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0xF0 | (cp >> 18)));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0x80 | ((cp >> 12) & 0x3F)));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0x80 | ((cp >> 6) & 0x3F)));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0x80 | (cp & 0x3F)));
            }
            else
            {
                // An unpaired surrogate cannot be encoded: send U+FFFD, as the Java twin reads it.
                final char e = Character.isSurrogate(c) ? TextNormalizer.REPLACEMENT : c;
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0xE0 | (e >> 12)));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0x80 | ((e >> 6) & 0x3F)));
                out.set(ValueLayout.JAVA_BYTE, k++, (byte)(0x80 | (e & 0x3F)));
            }
        }
        return call(out, k);
    }

    private MemorySegment capacity(final long bytes)
    {
        if (buffer.byteSize() < bytes)
        {
            buffer = Arena.ofAuto().allocate(Math.max(bytes, buffer.byteSize() * 2));
        }
        return buffer;
    }

    private long call(final MemorySegment text, final long len)
    {
        final int rc;
        try
        {
            rc = (int)NativeBindings.GUARD_SCAN_OWNED.invokeExact(guard, scratch, text, len, result);
        }
        catch (final Throwable t)
        {
            throw new ContentScanException("eab_guard_scan_owned failed: " + t, t);
        }
        return result(rc);
    }

    /** The masks of the scan that returned {@code rc}, or the failure as a {@link ContentScanException}. */
    private long result(final int rc)
    {
        if (rc != 0)
        {
            throw new ContentScanException("eab_guard_scan_owned returned " + rc + (closed ? " (scanner closed)" : ""), null);
        }
        if (findsKeywords)
        {
            lastKeywords = result.get(ValueLayout.JAVA_INT, ScanResultDescriptor.KEYWORDS_OFFSET);
        }
        return result.get(ValueLayout.JAVA_LONG, ScanResultDescriptor.MATCHED_OFFSET);
    }

    /**
     * The native normalisation of {@code utf8} ({@code eab_guard_normalize}): for diagnostics and for the
     * test that proves it equals {@link TextNormalizer}. Allocates; not for the hot path.
     *
     * @throws NativeUnavailableException when the library is missing or the call fails.
     */
    public static String normalize(final byte[] utf8)
    {
        if (!NativeBindings.available())
        {
            throw new NativeUnavailableException("library not loadable", null);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = arena.allocate(Math.max(1, utf8.length));
            MemorySegment.copy(utf8, 0, in, ValueLayout.JAVA_BYTE, 0, utf8.length);
            final MemorySegment outLen = arena.allocate(ValueLayout.JAVA_LONG);
            // NFKC expands by at most a factor of 18 (U+FDFA) per code point, and a code point takes at
            // least one input byte; start at 4x and ask again with the exact size when that is short.
            long capacity = Math.max(16, 4L * utf8.length);
            for (int attempt = 0; attempt < 2; attempt++)
            {
                final MemorySegment out = arena.allocate(capacity);
                final int rc = (int)NativeBindings.GUARD_NORMALIZE.invokeExact(in, (long)utf8.length, out, capacity, outLen);
                final long n = outLen.get(ValueLayout.JAVA_LONG, 0);
                if (rc == 0)
                {
                    return new String(out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
                }
                if (rc != ERR_BUFFER_TOO_SMALL)
                {
                    throw new NativeUnavailableException("eab_guard_normalize returned " + rc, null);
                }
                capacity = n;
            }
            throw new NativeUnavailableException("eab_guard_normalize kept asking for more room", null);
        }
        catch (final NativeUnavailableException e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_guard_normalize failed: " + t, t);
        }
    }

    /**
     * @return the impact keywords the last scan found, or -1 when this scanner was built without keyword matching
     * (or has not scanned yet)
     */
    @Override
    public int impactKeywords()
    {
        return lastKeywords;
    }

    @Override
    public GuardrailPatterns patterns()
    {
        return patterns;
    }

    @Override
    public String name()
    {
        return "native";
    }

    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            final MemorySegment freed = guard;
            final MemorySegment freedScratch = scratch;
            guard = MemorySegment.NULL;
            scratch = MemorySegment.NULL;
            // The scratch first: it was made for this guard.
            NativeBindings.free(NativeBindings.GUARD_SCRATCH_FREE, freedScratch, "eab_guard_scratch_free");
            NativeBindings.free(NativeBindings.GUARD_FREE, freed, "eab_guard_free");
        }
    }
}
