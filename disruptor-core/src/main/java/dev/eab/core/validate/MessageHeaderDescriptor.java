package dev.eab.core.validate;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The fixed-layout header the validator reads: one per message, written by the bus thread and read
 * by {@code eab_validate} (Rust) or {@link JavaValidationStrategy} (the twin). Mirrors
 * {@code EabMessageHeader} in {@code ffi-headers/eab_native.h}; {@code FfiHeaderDriftTest} fails when
 * the two disagree.
 *
 * <pre>
 *   0  hash[16]            ASCII bytes of the claimed constitutional hash, zero padded
 *  16  hash_length  i32    characters in the claimed hash; -1 = missing
 *  20  message_id_length i32
 *  24  content_length i32  content entries or payload bytes; 0 = empty
 *  28  message_size i32    encoded size estimate, bytes
 *  32  now_ms       i64    epoch ms at validation
 *  40  expires_at_ms i64   0 = never
 *  48  flags        u32    FLAG_*
 *  52  message_tenant i32  bus tenant id, -1 none
 *  56  sender_tenant i32
 *  60  recipient_tenant i32
 *  64  policy_tenant i32   policy vocabulary id, -1 unnamed
 *  68  sender_type  i32    policy vocabulary id, -1 unnamed
 *  72  message_type i32    MessageType ordinal
 *  76  sender_role  i8     MACI role ordinal of the sender, -1 none
 *  77  target_agent_role i8  MACI role of the target agent a validation names, -1 none
 *  78  producer_role i8    MACI role the target output's producer had, -1 none
 *  79  reserved     u8
 *  80  sender_capabilities u64  policy capability bitmask
 * </pre>
 */
public final class MessageHeaderDescriptor
{
    public static final int HASH_OFFSET = 0;
    public static final int HASH_CAPACITY = 16;
    public static final int HASH_LENGTH_OFFSET = 16;
    public static final int MESSAGE_ID_LENGTH_OFFSET = 20;
    public static final int CONTENT_LENGTH_OFFSET = 24;
    public static final int MESSAGE_SIZE_OFFSET = 28;
    public static final int NOW_MS_OFFSET = 32;
    public static final int EXPIRES_AT_MS_OFFSET = 40;
    public static final int FLAGS_OFFSET = 48;
    public static final int MESSAGE_TENANT_OFFSET = 52;
    public static final int SENDER_TENANT_OFFSET = 56;
    public static final int RECIPIENT_TENANT_OFFSET = 60;
    public static final int POLICY_TENANT_OFFSET = 64;
    public static final int SENDER_TYPE_OFFSET = 68;
    public static final int MESSAGE_TYPE_OFFSET = 72;
    public static final int SENDER_ROLE_OFFSET = 76;
    public static final int TARGET_AGENT_ROLE_OFFSET = 77;
    public static final int PRODUCER_ROLE_OFFSET = 78;
    public static final int RESERVED_OFFSET = 79;
    public static final int SENDER_CAPABILITIES_OFFSET = 80;
    /** Total header length in bytes. */
    public static final int LENGTH = 88;
    /** Required alignment in bytes. */
    public static final int ALIGNMENT = 8;

    /** The claimed tenant passed the format check {@code ^[a-z0-9_-]{3,64}$} (or there is none). */
    public static final int FLAG_TENANT_FORMAT_VALID = 1;
    /** The sender is registered. */
    public static final int FLAG_SENDER_REGISTERED = 2;
    /** The recipient is registered. */
    public static final int FLAG_RECIPIENT_REGISTERED = 4;
    /** The message has a recipient to check (direct or resolved); broadcast sender checks do not. */
    public static final int FLAG_HAS_RECIPIENT = 8;
    /** MACI: the message names a target agent ({@code content.target_agent_id}). */
    public static final int FLAG_MACI_TARGET_AGENT = 16;
    /** MACI: the named target agent is registered. */
    public static final int FLAG_MACI_TARGET_AGENT_FOUND = 32;
    /** MACI: the named target agent is the sender. */
    public static final int FLAG_MACI_TARGET_AGENT_IS_SENDER = 64;
    /** MACI: the message names a target output ({@code content.target_output_id}). */
    public static final int FLAG_MACI_TARGET_OUTPUT = 128;
    /** MACI: the target output's producer is known to the provenance store. */
    public static final int FLAG_MACI_PRODUCER_KNOWN = 256;
    /** MACI: the target output was produced by the sender (or has more than one producer: fail closed). */
    public static final int FLAG_MACI_PRODUCED_BY_SENDER = 512;

    /** Bus tenant id meaning "no tenant". */
    public static final int NO_TENANT = -1;
    /** Bus tenant id for a tenant no registered agent belongs to: never equal to a sender's. */
    public static final int UNKNOWN_TENANT = -2;

    /** The same layout as a {@link StructLayout}, field names as in the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.sequenceLayout(HASH_CAPACITY, ValueLayout.JAVA_BYTE).withName("hash"),
        ValueLayout.JAVA_INT.withName("hash_length"),
        ValueLayout.JAVA_INT.withName("message_id_length"),
        ValueLayout.JAVA_INT.withName("content_length"),
        ValueLayout.JAVA_INT.withName("message_size"),
        ValueLayout.JAVA_LONG.withName("now_ms"),
        ValueLayout.JAVA_LONG.withName("expires_at_ms"),
        ValueLayout.JAVA_INT.withName("flags"),
        ValueLayout.JAVA_INT.withName("message_tenant"),
        ValueLayout.JAVA_INT.withName("sender_tenant"),
        ValueLayout.JAVA_INT.withName("recipient_tenant"),
        ValueLayout.JAVA_INT.withName("policy_tenant"),
        ValueLayout.JAVA_INT.withName("sender_type"),
        ValueLayout.JAVA_INT.withName("message_type"),
        ValueLayout.JAVA_BYTE.withName("sender_role"),
        ValueLayout.JAVA_BYTE.withName("target_agent_role"),
        ValueLayout.JAVA_BYTE.withName("producer_role"),
        ValueLayout.JAVA_BYTE.withName("reserved"),
        ValueLayout.JAVA_LONG.withName("sender_capabilities")).withName("EabMessageHeader");

    private MessageHeaderDescriptor()
    {
    }
}
