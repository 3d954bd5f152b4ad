package dev.eab.core.maci;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Layout of {@code EabMaciConfig} (see {@code ffi-headers/eab_native.h}), the compiled MACI tables handed to
 * {@code eab_engine_new_maci} once per engine, never per message. {@code FfiHeaderDriftTest} checks it against
 * the header.
 *
 * <pre>
 *   0  flags          u32      MACI_STRICT or 0
 *   4  type_actions   i8[16]   MessageType ordinal to MaciAction ordinal, -1 unmapped
 *  20  role_actions   u32[8]   MaciRole ordinal to a bitmask of MaciAction ordinals; slot 7 is 0
 *  52  role_validates u32[8]   MaciRole ordinal to a bitmask of the MaciRole ordinals it may validate
 * </pre>
 */
public final class MaciConfigDescriptor
{
    public static final int FLAGS_OFFSET = 0;
    public static final int TYPE_ACTIONS_OFFSET = 4;
    public static final int ROLE_ACTIONS_OFFSET = 20;
    public static final int ROLE_VALIDATES_OFFSET = 52;
    /** {@code sizeof(EabMaciConfig)}. */
    public static final int LENGTH = 84;
    /** {@code alignof(EabMaciConfig)}. */
    public static final int ALIGNMENT = 4;
    /** Slots in {@code type_actions}. */
    public static final int TYPE_SLOTS = 16;
    /** Slots in {@code role_actions} and {@code role_validates}. */
    public static final int ROLE_SLOTS = 8;

    /** {@code flags}: strict mode. */
    public static final int MACI_STRICT = 1;
    /** Action id of VALIDATE: the only action whose targets are checked. */
    public static final int MACI_ACTION_VALIDATE = 1;
    /** Role byte meaning "no role". */
    public static final int MACI_NO_ROLE = -1;
    /** Number of roles. */
    public static final int MACI_ROLE_COUNT = 7;
    /** Number of actions. */
    public static final int MACI_ACTION_COUNT = 10;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_INT.withName("flags"),
        MemoryLayout.sequenceLayout(TYPE_SLOTS, ValueLayout.JAVA_BYTE).withName("type_actions"),
        MemoryLayout.sequenceLayout(ROLE_SLOTS, ValueLayout.JAVA_INT).withName("role_actions"),
        MemoryLayout.sequenceLayout(ROLE_SLOTS, ValueLayout.JAVA_INT).withName("role_validates")).withName("EabMaciConfig");

    private MaciConfigDescriptor()
    {
    }
}
