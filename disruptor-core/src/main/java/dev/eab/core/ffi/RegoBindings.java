package dev.eab.core.ffi;

import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The downcall handles of the Rego engine ({@code eab_rego_*}, {@code native-rust/src/rego.rs}), bound once.
 * Kept apart from {@link NativeBindings} so the validator and scanner bindings stay as they are; binding here
 * first touches {@link NativeBindings}, which checks the library's ABI version. Touching this class when the
 * library cannot load throws {@link NativeUnavailableException} (wrapped in {@link ExceptionInInitializerError}
 * the first time): check {@code NativeRegoEngine.available()} first, which
 * catches that in another class (a static method of this class would throw before its own try).
 *
 * <p>None is bound {@code critical}: {@code eab_rego_decide} allocates on the Rust heap and may run up to its
 * evaluation budget (50 ms), so it must not hold the thread out of a safepoint.
 */
public final class RegoBindings
{
    public static final MethodHandle NEW;
    public static final MethodHandle FREE;
    public static final MethodHandle ADD_POLICY;
    public static final MethodHandle ADD_DATA;
    public static final MethodHandle PREPARE;
    public static final MethodHandle DECIDE;
    public static final MethodHandle EVAL_JSON;
    public static final MethodHandle INPUT_JSON;

    static
    {
        if (NativeBindings.ABI_VERSION == null)
        {
            throw new NativeUnavailableException("NativeBindings did not bind", null);
        }
        final SymbolLookup lookup = NativeLibrary.load();
        final Linker linker = Linker.nativeLinker();
        NEW = bind(linker, lookup, NativeFunctions.REGO_NEW_FN);
        FREE = bind(linker, lookup, NativeFunctions.REGO_FREE_FN);
        ADD_POLICY = bind(linker, lookup, NativeFunctions.REGO_ADD_POLICY_FN);
        ADD_DATA = bind(linker, lookup, NativeFunctions.REGO_ADD_DATA_FN);
        PREPARE = bind(linker, lookup, NativeFunctions.REGO_PREPARE_FN);
        DECIDE = bind(linker, lookup, NativeFunctions.REGO_DECIDE_FN);
        EVAL_JSON = bind(linker, lookup, NativeFunctions.REGO_EVAL_JSON_FN);
        INPUT_JSON = bind(linker, lookup, NativeFunctions.REGO_INPUT_JSON_FN);
    }

    private RegoBindings()
    {
    }

    private static MethodHandle bind(final Linker linker, final SymbolLookup lookup, final String name)
    {
        return linker.downcallHandle(
            lookup.find(name).orElseThrow(() -> new NativeUnavailableException("symbol " + name + " not found in " + NativeLibrary.loadedFrom(), null)),
            NativeFunctions.DESCRIPTORS.get(name));
    }
}
