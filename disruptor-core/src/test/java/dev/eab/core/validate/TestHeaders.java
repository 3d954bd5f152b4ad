package dev.eab.core.validate;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;

/** Test helper: writes {@code EabMessageHeader} fields into a segment and prints one for failure messages. */
final class TestHeaders
{
    static final String HASH = "cdd01ef066bc6cf2";
    static final int ALL_FLAGS = FLAG_TENANT_FORMAT_VALID | FLAG_SENDER_REGISTERED | FLAG_RECIPIENT_REGISTERED | FLAG_HAS_RECIPIENT;

    private TestHeaders()
    {
    }

    /** @return a zeroed, 8-aligned off-heap header in {@code arena}. */
    static MemorySegment allocate(final Arena arena)
    {
        return arena.allocate(LENGTH, ALIGNMENT);
    }

    /** Writes the hash bytes (zero padded, at most 16 kept) and the length. */
    static void hash(final MemorySegment h, final byte[] bytes, final int length)
    {
        for (int i = 0; i < HASH_CAPACITY; i++)
        {
            h.set(ValueLayout.JAVA_BYTE, HASH_OFFSET + i, i < bytes.length ? bytes[i] : 0);
        }
        h.set(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET, length);
    }

    static void hash(final MemorySegment h, final String ascii, final int length)
    {
        hash(h, ascii.getBytes(StandardCharsets.ISO_8859_1), length);
    }

    /**
     * A header that passes every check before the policy: correct hash, non-empty id and content,
     * small size, no expiry, all flags, every tenant 7; policy fields as given.
     */
    static void valid(final MemorySegment h, final int policyTenant, final int senderType, final int messageType, final long caps)
    {
        hash(h, HASH, 16);
        h.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, 36);
        h.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, 5);
        h.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, 100);
        h.set(ValueLayout.JAVA_LONG, NOW_MS_OFFSET, 1_700_000_000_000L);
        h.set(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET, 0L);
        h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, ALL_FLAGS);
        h.set(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET, 7);
        h.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, 7);
        h.set(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET, 7);
        h.set(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET, policyTenant);
        h.set(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET, senderType);
        h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, messageType);
        h.set(ValueLayout.JAVA_INT, SENDER_ROLE_OFFSET, 0);
        h.set(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET, caps);
    }

    static void setInt(final MemorySegment h, final long offset, final int v)
    {
        h.set(ValueLayout.JAVA_INT, offset, v);
    }

    static void setLong(final MemorySegment h, final long offset, final long v)
    {
        h.set(ValueLayout.JAVA_LONG, offset, v);
    }

    /** @return every field of the header, for failure messages. */
    static String describe(final MemorySegment h)
    {
        final byte[] hash = new byte[HASH_CAPACITY];
        MemorySegment.copy(h, ValueLayout.JAVA_BYTE, HASH_OFFSET, hash, 0, HASH_CAPACITY);
        return "{hash=" + HexFormat.of().formatHex(hash) +
            " hash_length=" + h.get(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET) +
            " message_id_length=" + h.get(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET) +
            " content_length=" + h.get(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET) +
            " message_size=" + h.get(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET) +
            " now_ms=" + h.get(ValueLayout.JAVA_LONG, NOW_MS_OFFSET) +
            " expires_at_ms=" + h.get(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET) +
            " flags=0x" + Integer.toHexString(h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET)) +
            " message_tenant=" + h.get(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET) +
            " sender_tenant=" + h.get(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET) +
            " recipient_tenant=" + h.get(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET) +
            " policy_tenant=" + h.get(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET) +
            " sender_type=" + h.get(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET) +
            " message_type=" + h.get(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET) +
            " reserved=" + h.get(ValueLayout.JAVA_INT, SENDER_ROLE_OFFSET) +
            " sender_capabilities=0x" + Long.toHexString(h.get(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET)) + '}';
    }

    /** A raw table, bypassing the compiler (the constructor is package-private). */
    static PolicyTable table(final String version, final int defaultEffect, final long[] tenant, final long[] senderType,
        final long[] caps, final int[] types, final int[] effects)
    {
        final String[] names = new String[effects.length];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = "rule" + i;
        }
        return new PolicyTable(version, defaultEffect, List.of(names), tenant, senderType, caps, types, effects, Map.of(), Map.of(), Map.of());
    }
}
