package dev.eab.core.audit;

import dev.eab.core.ffi.NativeFunctions;
import dev.eab.core.ffi.NativeLibrary;
import dev.eab.core.ffi.NativeUnavailableException;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * BLAKE3 in Rust ({@code native-rust/src/audit.rs}) through FFM. Both functions are bound
 * {@code critical(true)}: they are short, never block and never call back, so heap arrays are passed as they
 * are (no copy to native memory) and the thread-state transition is skipped.
 *
 * <p>Construct through {@link ChainHashers}; the handles are bound once per process.
 */
public final class Blake3Native implements ChainHasher
{
    private static final MethodHandle BLAKE3;
    private static final MethodHandle CHAIN_STEP;
    private static final MethodHandle CHAIN_KEYED;
    private static final MethodHandle CHAIN_BATCH;
    private static final MethodHandle CHAIN_BATCH_V3;
    private static final MethodHandle CHAIN_V3;
    private static final Throwable UNAVAILABLE;
    /** {@code EAB_ERR_AUDIT_BATCH_BOUNDS} in {@code audit.rs}. */
    private static final int BATCH_BOUNDS_ERROR = -40;

    static
    {
        MethodHandle blake3 = null;
        MethodHandle chainStep = null;
        MethodHandle chainKeyed = null;
        MethodHandle chainBatch = null;
        MethodHandle chainBatchV3 = null;
        MethodHandle chainV3 = null;
        Throwable unavailable = null;
        try
        {
            final SymbolLookup lookup = NativeLibrary.load();
            final Linker linker = Linker.nativeLinker();
            blake3 = linker.downcallHandle(find(lookup, NativeFunctions.BLAKE3_FN),
                NativeFunctions.DESCRIPTORS.get(NativeFunctions.BLAKE3_FN), Linker.Option.critical(true));
            chainStep = linker.downcallHandle(find(lookup, NativeFunctions.AUDIT_CHAIN_STEP_FN),
                NativeFunctions.DESCRIPTORS.get(NativeFunctions.AUDIT_CHAIN_STEP_FN), Linker.Option.critical(true));
            chainKeyed = linker.downcallHandle(find(lookup, NativeFunctions.AUDIT_CHAIN_KEYED_FN),
                NativeFunctions.DESCRIPTORS.get(NativeFunctions.AUDIT_CHAIN_KEYED_FN), Linker.Option.critical(true));
            // A batch of 256 records of ~300 B is ~0.1 ms of hashing: still short enough to run without the
            // thread-state transition (the writer thread is no safepoint-critical thread).
            chainBatch = linker.downcallHandle(find(lookup, NativeFunctions.AUDIT_CHAIN_BATCH_FN),
                NativeFunctions.DESCRIPTORS.get(NativeFunctions.AUDIT_CHAIN_BATCH_FN), Linker.Option.critical(true));
            chainBatchV3 = linker.downcallHandle(find(lookup, NativeFunctions.AUDIT_CHAIN_BATCH_V3_FN),
                NativeFunctions.DESCRIPTORS.get(NativeFunctions.AUDIT_CHAIN_BATCH_V3_FN), Linker.Option.critical(true));
            chainV3 = linker.downcallHandle(find(lookup, NativeFunctions.AUDIT_CHAIN_V3_FN),
                NativeFunctions.DESCRIPTORS.get(NativeFunctions.AUDIT_CHAIN_V3_FN), Linker.Option.critical(true));
        }
        catch (final Throwable t)
        {
            unavailable = t;
        }
        BLAKE3 = blake3;
        CHAIN_STEP = chainStep;
        CHAIN_KEYED = chainKeyed;
        CHAIN_BATCH = chainBatch;
        CHAIN_BATCH_V3 = chainBatchV3;
        CHAIN_V3 = chainV3;
        UNAVAILABLE = unavailable;
    }

    private static MemorySegment find(final SymbolLookup lookup, final String name)
    {
        return lookup.find(name).orElseThrow(() -> new NativeUnavailableException("symbol " + name + " not found", null));
    }

    /** @return null when the native functions are bound, else why not. */
    static Throwable unavailable()
    {
        return UNAVAILABLE;
    }

    /** @throws NativeUnavailableException when the library or its BLAKE3 functions cannot be bound. */
    public Blake3Native()
    {
        if (UNAVAILABLE != null)
        {
            throw new NativeUnavailableException("native BLAKE3 unavailable: " + UNAVAILABLE, UNAVAILABLE);
        }
    }

    @Override
    public void step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        if (offset < 0 || length < 0 || offset + length > record.length || prev.length < HASH_LENGTH || out.length < HASH_LENGTH)
        {
            throw new IndexOutOfBoundsException("record [" + offset + ", " + (offset + length) + ") of " + record.length);
        }
        final int rc;
        try
        {
            rc = (int)CHAIN_STEP.invokeExact(MemorySegment.ofArray(prev), MemorySegment.ofArray(record).asSlice(offset),
                (long)length, MemorySegment.ofArray(out));
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_audit_chain_step failed: " + t, t);
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_audit_chain_step returned " + rc);
        }
    }

    @Override
    public void keyedStep(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        if (offset < 0 || length < 0 || offset + length > record.length || prev.length < HASH_LENGTH || out.length < HASH_LENGTH)
        {
            throw new IndexOutOfBoundsException("record [" + offset + ", " + (offset + length) + ") of " + record.length);
        }
        final int rc;
        try
        {
            rc = (int)CHAIN_KEYED.invokeExact(MemorySegment.ofArray(prev), MemorySegment.ofArray(record).asSlice(offset),
                (long)length, MemorySegment.ofArray(out));
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_audit_chain_keyed failed: " + t, t);
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_audit_chain_keyed returned " + rc);
        }
    }

    /** One FFM call for the whole batch ({@code eab_audit_chain_batch}): the per-record transition is gone. */
    @Override
    public void chainBatch(final byte[] link, final byte[] buf, final int[] lengths, final int count)
    {
        if (count < 0 || count > lengths.length || link.length < HASH_LENGTH)
        {
            throw new IndexOutOfBoundsException(count + " records of " + lengths.length + " lengths");
        }
        final int rc;
        try
        {
            rc = (int)CHAIN_BATCH.invokeExact(MemorySegment.ofArray(link), MemorySegment.ofArray(buf), (long)buf.length,
                MemorySegment.ofArray(lengths), count);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_audit_chain_batch failed: " + t, t);
        }
        if (rc == BATCH_BOUNDS_ERROR)
        {
            throw new IndexOutOfBoundsException(count + " records do not fit a buffer of " + buf.length + " bytes");
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_audit_chain_batch returned " + rc);
        }
    }

    /** Version 3 link of one record in one FFM call ({@code eab_audit_chain_v3}): the verifier's step. */
    @Override
    public void v3Step(final byte[] prev, final byte[] record, final int offset, final int length, final byte[] out)
    {
        if (offset < 0 || length < 0 || offset + length > record.length || prev.length < HASH_LENGTH || out.length < HASH_LENGTH)
        {
            throw new IndexOutOfBoundsException("record [" + offset + ", " + (offset + length) + ") of " + record.length);
        }
        final int rc;
        try
        {
            rc = (int)CHAIN_V3.invokeExact(MemorySegment.ofArray(prev), MemorySegment.ofArray(record).asSlice(offset),
                (long)length, MemorySegment.ofArray(out));
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_audit_chain_v3 failed: " + t, t);
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_audit_chain_v3 returned " + rc);
        }
    }

    /**
     * Version 3 batch in one FFM call ({@code eab_audit_chain_batch_v3}): Rust hashes the leaves 16 (AVX-512) or
     * 8 (AVX2) records at a time, then links them in order.
     */
    @Override
    public void chainBatchV3(final byte[] link, final byte[] buf, final int[] lengths, final int count)
    {
        if (count < 0 || count > lengths.length || link.length < HASH_LENGTH)
        {
            throw new IndexOutOfBoundsException(count + " records of " + lengths.length + " lengths");
        }
        final int rc;
        try
        {
            rc = (int)CHAIN_BATCH_V3.invokeExact(MemorySegment.ofArray(link), MemorySegment.ofArray(buf), (long)buf.length,
                MemorySegment.ofArray(lengths), count);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_audit_chain_batch_v3 failed: " + t, t);
        }
        if (rc == BATCH_BOUNDS_ERROR)
        {
            throw new IndexOutOfBoundsException(count + " records do not fit a buffer of " + buf.length + " bytes");
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_audit_chain_batch_v3 returned " + rc);
        }
    }

    @Override
    public void hash(final byte[] data, final int offset, final int length, final byte[] out)
    {
        if (offset < 0 || length < 0 || offset + length > data.length || out.length < HASH_LENGTH)
        {
            throw new IndexOutOfBoundsException("data [" + offset + ", " + (offset + length) + ") of " + data.length);
        }
        final int rc;
        try
        {
            rc = (int)BLAKE3.invokeExact(MemorySegment.ofArray(data).asSlice(offset), (long)length, MemorySegment.ofArray(out));
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("eab_blake3 failed: " + t, t);
        }
        if (rc != 0)
        {
            throw new IllegalStateException("eab_blake3 returned " + rc);
        }
    }

    @Override
    public String name()
    {
        return "native";
    }
}
