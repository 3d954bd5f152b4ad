package dev.eab.core.ffi;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The downcall handles, bound once from {@link NativeLibrary#load()}. Held in static finals so the JIT
 * treats them as constants and inlines the downcall. Touching this class when the library cannot
 * load throws {@link NativeUnavailableException} (wrapped in {@link ExceptionInInitializerError} the
 * first time): check {@link NativeLibrary#load()} first.
 */
public final class NativeBindings
{
    public static final MethodHandle ABI_VERSION;
    public static final MethodHandle ENGINE_NEW;
    /** {@code eab_engine_new_maci}: an engine with the MACI tables (cold path). */
    public static final MethodHandle ENGINE_NEW_MACI;
    public static final MethodHandle ENGINE_FREE;
    /** {@code critical}: short, never blocks, never calls back; skips the thread-state transition. */
    public static final MethodHandle VALIDATE;
    public static final MethodHandle PANIC_PROBE;
    public static final MethodHandle GUARD_NEW;
    public static final MethodHandle GUARD_FREE;
    /**
     * {@code critical}: reads an off-heap text segment, never blocks, never calls back. It holds the thread
     * out of safepoints for the scan's duration (about a microsecond per KB), which is why callers bound the
     * text size.
     */
    public static final MethodHandle GUARD_SCAN;
    public static final MethodHandle GUARD_NORMALIZE;
    public static final MethodHandle IMPACT_NEW;
    public static final MethodHandle IMPACT_FREE;
    /** {@code critical}: reads off-heap text and writes 8 doubles, never blocks, never calls back. */
    public static final MethodHandle IMPACT_SCORE;
    /** {@code eab_guard_new_keywords}: a guard that also finds the impact keywords in its pass. */
    public static final MethodHandle GUARD_NEW_KEYWORDS;
    /** {@code critical}, as {@link #GUARD_SCAN}; also writes the impact keyword mask. */
    public static final MethodHandle GUARD_SCAN_KEYWORDS;
    /** {@code critical}: the scorer given the keyword mask; writes 8 doubles, never blocks, never calls back. */
    public static final MethodHandle IMPACT_SCORE_FOUND;
    /** {@code eab_guard_scratch_new}: a scan scratch owned by one thread (cold path). */
    public static final MethodHandle GUARD_SCRATCH_NEW;
    public static final MethodHandle GUARD_SCRATCH_FREE;
    /**
     * {@code critical(true)}: the scan with a thread-owned scratch, no lock. Heap access allowed, so the text may be the
     * caller's {@code byte[]} itself (pinned for the call, not copied); never blocks, never calls back. As with
     * {@link #GUARD_SCAN}, the thread stays out of safepoints for the scan (about a microsecond per KB).
     */
    public static final MethodHandle GUARD_SCAN_OWNED;

    static
    {
        final SymbolLookup lookup = NativeLibrary.load();
        final Linker linker = Linker.nativeLinker();
        ABI_VERSION = bind(linker, lookup, NativeFunctions.ABI_VERSION_FN);
        ENGINE_NEW = bind(linker, lookup, NativeFunctions.ENGINE_NEW_FN);
        ENGINE_NEW_MACI = bind(linker, lookup, NativeFunctions.ENGINE_NEW_MACI_FN);
        ENGINE_FREE = bind(linker, lookup, NativeFunctions.ENGINE_FREE_FN);
        VALIDATE = linker.downcallHandle(
            lookup.find(NativeFunctions.VALIDATE_FN).orElseThrow(() -> missing(NativeFunctions.VALIDATE_FN)),
            NativeFunctions.DESCRIPTORS.get(NativeFunctions.VALIDATE_FN),
            Linker.Option.critical(false));
        PANIC_PROBE = bind(linker, lookup, NativeFunctions.PANIC_PROBE_FN);
        GUARD_NEW = bind(linker, lookup, NativeFunctions.GUARD_NEW_FN);
        GUARD_FREE = bind(linker, lookup, NativeFunctions.GUARD_FREE_FN);
        GUARD_SCAN = linker.downcallHandle(
            lookup.find(NativeFunctions.GUARD_SCAN_FN).orElseThrow(() -> missing(NativeFunctions.GUARD_SCAN_FN)),
            NativeFunctions.DESCRIPTORS.get(NativeFunctions.GUARD_SCAN_FN),
            Linker.Option.critical(false));
        GUARD_NORMALIZE = bind(linker, lookup, NativeFunctions.GUARD_NORMALIZE_FN);
        IMPACT_NEW = bind(linker, lookup, NativeFunctions.IMPACT_NEW_FN);
        IMPACT_FREE = bind(linker, lookup, NativeFunctions.IMPACT_FREE_FN);
        IMPACT_SCORE = linker.downcallHandle(
            lookup.find(NativeFunctions.IMPACT_SCORE_FN).orElseThrow(() -> missing(NativeFunctions.IMPACT_SCORE_FN)),
            NativeFunctions.DESCRIPTORS.get(NativeFunctions.IMPACT_SCORE_FN),
            Linker.Option.critical(false));
        GUARD_NEW_KEYWORDS = bind(linker, lookup, NativeFunctions.GUARD_NEW_KEYWORDS_FN);
        GUARD_SCAN_KEYWORDS = linker.downcallHandle(
            lookup.find(NativeFunctions.GUARD_SCAN_KEYWORDS_FN).orElseThrow(() -> missing(NativeFunctions.GUARD_SCAN_KEYWORDS_FN)),
            NativeFunctions.DESCRIPTORS.get(NativeFunctions.GUARD_SCAN_KEYWORDS_FN),
            Linker.Option.critical(false));
        IMPACT_SCORE_FOUND = linker.downcallHandle(
            lookup.find(NativeFunctions.IMPACT_SCORE_FOUND_FN).orElseThrow(() -> missing(NativeFunctions.IMPACT_SCORE_FOUND_FN)),
            NativeFunctions.DESCRIPTORS.get(NativeFunctions.IMPACT_SCORE_FOUND_FN),
            Linker.Option.critical(false));
        GUARD_SCRATCH_NEW = bind(linker, lookup, NativeFunctions.GUARD_SCRATCH_NEW_FN);
        GUARD_SCRATCH_FREE = bind(linker, lookup, NativeFunctions.GUARD_SCRATCH_FREE_FN);
        GUARD_SCAN_OWNED = linker.downcallHandle(
            lookup.find(NativeFunctions.GUARD_SCAN_OWNED_FN).orElseThrow(() -> missing(NativeFunctions.GUARD_SCAN_OWNED_FN)),
            NativeFunctions.DESCRIPTORS.get(NativeFunctions.GUARD_SCAN_OWNED_FN),
            Linker.Option.critical(true));
        final int version;
        try
        {
            version = (int)ABI_VERSION.invokeExact();
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException("eab_abi_version failed: " + t, t);
        }
        if (version != NativeFunctions.ABI_VERSION)
        {
            throw new NativeUnavailableException("ABI version " + version + " but Java expects " + NativeFunctions.ABI_VERSION, null);
        }
    }

    private NativeBindings()
    {
    }

    private static MethodHandle bind(final Linker linker, final SymbolLookup lookup, final String name)
    {
        return linker.downcallHandle(lookup.find(name).orElseThrow(() -> missing(name)), NativeFunctions.DESCRIPTORS.get(name));
    }

    private static NativeUnavailableException missing(final String name)
    {
        return new NativeUnavailableException("symbol " + name + " not found in " + NativeLibrary.loadedFrom(), null);
    }

    /**
     * Frees a native object through its {@code *_free} function (null-safe on the Rust side). The one
     * place the owners ({@code NativeValidationStrategy}, {@code NativeContentScanner}) release memory.
     *
     * @throws NativeUnavailableException when the downcall itself fails.
     */
    public static void free(final MethodHandle freeFunction, final MemorySegment object, final String name)
    {
        try
        {
            freeFunction.invokeExact(object);
        }
        catch (final Throwable t)
        {
            throw new NativeUnavailableException(name + " failed: " + t, t);
        }
    }

    /** @return true when the library loads and binds; never throws. */
    public static boolean available()
    {
        try
        {
            NativeLibrary.load();
            return VALIDATE != null;
        }
        catch (final Throwable t)
        {
            return false;
        }
    }
}
