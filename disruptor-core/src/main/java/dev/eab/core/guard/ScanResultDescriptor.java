package dev.eab.core.guard;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Layout of {@code EabScanResult}, what {@code eab_guard_scan_owned} writes (16 bytes, native byte order), mirrored
 * by the {@code #[repr(C)]} struct in {@code native-rust/src/guard_owned.rs}; {@code FfiHeaderDriftTest} checks
 * {@link #LAYOUT} and the offsets against {@code ffi-headers/eab_native.h}.
 */
public final class ScanResultDescriptor
{
    /** {@code uint64_t matched}: bit i = family i matched. */
    public static final long MATCHED_OFFSET = 0;
    /** {@code int32_t keywords}: the impact keyword mask, -1 when the guard finds no keywords. */
    public static final long KEYWORDS_OFFSET = 8;
    /** {@code int32_t reserved}: always 0. */
    public static final long RESERVED_OFFSET = 12;
    /** Size of the struct. */
    public static final long LENGTH = 16;
    /** Alignment of the struct (its {@code uint64_t}). */
    public static final long ALIGNMENT = 8;

    /** The struct as a Java layout (named as the C struct, for the drift test). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("matched"),
        ValueLayout.JAVA_INT.withName("keywords"),
        ValueLayout.JAVA_INT.withName("reserved")).withName("EabScanResult");

    private ScanResultDescriptor()
    {
    }
}
