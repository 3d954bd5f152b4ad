package dev.eab.core.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The C functions we call and their descriptors, written by hand against {@code ffi-headers/eab_native.h}
 * (jextract is not available here). {@code FfiHeaderDriftTest} parses the header and fails when a
 * name, parameter or return type here disagrees with it.
 */
public final class NativeFunctions
{
    /** The ABI version this Java code was written against ({@code EAB_ABI_VERSION}). */
    public static final int ABI_VERSION = 1;

    public static final String ABI_VERSION_FN = "eab_abi_version";
    public static final String ENGINE_NEW_FN = "eab_engine_new";
    public static final String ENGINE_FREE_FN = "eab_engine_free";
    public static final String VALIDATE_FN = "eab_validate";
    public static final String PANIC_PROBE_FN = "eab_panic_probe";

    /** Every bound function, in header order. */
    public static final Map<String, FunctionDescriptor> DESCRIPTORS;

    static
    {
        final Map<String, FunctionDescriptor> m = new LinkedHashMap<>();
        m.put(ABI_VERSION_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT));
        m.put(ENGINE_NEW_FN, FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        m.put(ENGINE_FREE_FN, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        m.put(VALIDATE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        m.put(PANIC_PROBE_FN, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        DESCRIPTORS = java.util.Collections.unmodifiableMap(m);
    }

    private NativeFunctions()
    {
    }
}
