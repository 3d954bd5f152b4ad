package dev.eab.core.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * Layouts of the cold-path structs handed to {@code eab_engine_new}: {@code EabEngineConfig} and
 * {@code EabPolicyRule} (see {@code ffi-headers/eab_native.h}). Written once per engine, never per message.
 */
public final class EngineConfigDescriptor
{
    public static final int CONFIG_HASH_OFFSET = 0;
    public static final int CONFIG_MAX_MESSAGE_SIZE_OFFSET = 16;
    public static final int CONFIG_DEFAULT_EFFECT_OFFSET = 20;
    public static final int CONFIG_RULES_OFFSET = 24;
    public static final int CONFIG_RULE_COUNT_OFFSET = 32;
    /** {@code sizeof(EabEngineConfig)}, including tail padding. */
    public static final int CONFIG_LENGTH = 40;

    public static final int RULE_TENANT_MASK_OFFSET = 0;
    public static final int RULE_SENDER_TYPE_MASK_OFFSET = 8;
    public static final int RULE_REQUIRED_CAPABILITIES_OFFSET = 16;
    public static final int RULE_MESSAGE_TYPE_MASK_OFFSET = 24;
    public static final int RULE_EFFECT_OFFSET = 28;
    /** {@code sizeof(EabPolicyRule)}. */
    public static final int RULE_LENGTH = 32;

    public static final StructLayout CONFIG_LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("constitutional_hash"),
        ValueLayout.JAVA_INT.withName("max_message_size"),
        ValueLayout.JAVA_INT.withName("default_effect"),
        ((AddressLayout)ValueLayout.ADDRESS).withName("rules"),
        ValueLayout.JAVA_INT.withName("rule_count"),
        MemoryLayout.paddingLayout(4)).withName("EabEngineConfig");

    public static final StructLayout RULE_LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("tenant_mask"),
        ValueLayout.JAVA_LONG.withName("sender_type_mask"),
        ValueLayout.JAVA_LONG.withName("required_capabilities"),
        ValueLayout.JAVA_INT.withName("message_type_mask"),
        ValueLayout.JAVA_INT.withName("effect")).withName("EabPolicyRule");

    private EngineConfigDescriptor()
    {
    }
}
