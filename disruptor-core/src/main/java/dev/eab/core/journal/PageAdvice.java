package dev.eab.core.journal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code madvise(2)} through FFM, for the pretouchers of the journal and the audit chain: the one binding and the
 * advice values they use. Where the C library has no {@code madvise} (not Linux), {@link #available()} is false and
 * every call answers {@link #UNAVAILABLE}: the advice is an optimisation, never needed for correctness.
 */
public final class PageAdvice
{
    /** Linux {@code MADV_RANDOM}: no readahead on faults in the range. */
    public static final int MADV_RANDOM = 1;
    /** Linux {@code MADV_POPULATE_WRITE} (5.14+): fault the range in writable, changing no byte. */
    public static final int MADV_POPULATE_WRITE = 23;
    /** What {@link #advise} answers when {@code madvise} is not there. */
    public static final int UNAVAILABLE = Integer.MIN_VALUE;

    private static final MethodHandle MADVISE = bind();

    private PageAdvice()
    {
    }

    /** @return true when {@code madvise} could be bound. */
    public static boolean available()
    {
        return MADVISE != null;
    }

    /**
     * @param address page-aligned start of a mapped range.
     * @param bytes   its length.
     * @param advice  one of the {@code MADV_*} values above.
     * @return {@code madvise}'s result (0 on success, -1 on failure), or {@link #UNAVAILABLE}.
     */
    public static int advise(final long address, final long bytes, final int advice)
    {
        if (MADVISE == null)
        {
            return UNAVAILABLE;
        }
        try
        {
            return (int)MADVISE.invokeExact(MemorySegment.ofAddress(address), bytes, advice);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("madvise failed", t);
        }
    }

    private static MethodHandle bind()
    {
        try
        {
            final Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("madvise").map(s -> linker.downcallHandle(s,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT))).orElse(null);
        }
        catch (final RuntimeException e)
        {
            return null;
        }
    }
}
