package dev.eab.bench;

import dev.eab.core.ffi.NativeBindings;
import dev.eab.core.guard.GuardrailPatterns;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * The stop-9 call shape of {@code NativeContentScanner.scan(byte[], int, int)}, kept as a same-run baseline: the text
 * copied into an off-heap segment, {@code eab_guard_scan} ({@code critical(false)}; the guard's one scratch behind its
 * try-lock), the mask read back from an 8-byte segment. One instance per thread; {@link #close()} frees the guard.
 */
public final class Stop9NativeScan implements AutoCloseable
{
    private final MemorySegment guard;
    private final MemorySegment buffer;
    private final MemorySegment result;

    public Stop9NativeScan(final GuardrailPatterns patterns, final int maxBytes)
    {
        final byte[] json = patterns.toNativeJson().getBytes(StandardCharsets.UTF_8);
        final MemorySegment config = Arena.ofAuto().allocate(json.length);
        MemorySegment.copy(json, 0, config, ValueLayout.JAVA_BYTE, 0, json.length);
        try
        {
            guard = (MemorySegment)NativeBindings.GUARD_NEW.invokeExact(config, (long)json.length);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_guard_new failed", t);
        }
        buffer = Arena.ofAuto().allocate(maxBytes);
        result = Arena.ofAuto().allocate(ValueLayout.JAVA_LONG);
    }

    /** @return the family mask of {@code t[0..len)} */
    public long scan(final byte[] t, final int len)
    {
        MemorySegment.copy(t, 0, buffer, ValueLayout.JAVA_BYTE, 0, len);
        final int rc;
        try
        {
            rc = (int)NativeBindings.GUARD_SCAN.invokeExact(guard, buffer, (long)len, result);
        }
        catch (final Throwable e)
        {
            throw new IllegalStateException(e);
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_guard_scan returned " + rc);
        }
        return result.get(ValueLayout.JAVA_LONG, 0);
    }

    @Override
    public void close()
    {
        NativeBindings.free(NativeBindings.GUARD_FREE, guard, "eab_guard_free");
    }
}
