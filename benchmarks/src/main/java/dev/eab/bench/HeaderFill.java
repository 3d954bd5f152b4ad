package dev.eab.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;

/**
 * Writes the validator's fixed-layout header the way {@code ValidateStage} does for a flyweight message
 * (see {@code MessageHeaderDescriptor}). Used by the ArrayBlockingQueue baseline (so it runs the same
 * Java checks as the bus) and by the JMH validate benchmarks. Allocation-free.
 */
public final class HeaderFill
{
    /** Flags of a message whose sender and recipient are registered and whose tenant is well formed. */
    public static final int FLAGS_ALL_REGISTERED =
        FLAG_TENANT_FORMAT_VALID | FLAG_SENDER_REGISTERED | FLAG_HAS_RECIPIENT | FLAG_RECIPIENT_REGISTERED;
    /** Same as {@code ValidateStage.FLYWEIGHT_OVERHEAD_BYTES}. */
    public static final int OVERHEAD_BYTES = 64;

    private HeaderFill()
    {
    }

    /** Writes the claimed hash as {@code ValidateStage.writeHash} does: 16 ASCII bytes (non-ASCII = 0xFF) and its length. */
    public static void writeHash(final MemorySegment h, final CharSequence hash)
    {
        final int n = hash.length();
        for (int i = 0; i < HASH_CAPACITY; i++)
        {
            final char c = i < n ? hash.charAt(i) : 0;
            h.set(ValueLayout.JAVA_BYTE, HASH_OFFSET + i, c < 0x80 ? (byte)c : (byte)0xFF);
        }
        h.set(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET, n);
    }

    /** Writes every other field of the header for one message with a recipient. */
    public static void writeFields(
        final MemorySegment h, final int messageIdLength, final int payloadLength, final int flags, final int messageTenant,
        final int senderTenant, final int recipientTenant, final int policyTenant, final int senderType, final int messageType,
        final long senderCapabilities)
    {
        h.set(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET, messageIdLength);
        h.set(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET, payloadLength);
        h.set(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET, payloadLength + OVERHEAD_BYTES);
        h.set(ValueLayout.JAVA_LONG, NOW_MS_OFFSET, 0L);
        h.set(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET, 0L);
        h.set(ValueLayout.JAVA_INT, FLAGS_OFFSET, flags);
        h.set(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET, messageTenant);
        h.set(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET, senderTenant);
        h.set(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET, recipientTenant);
        h.set(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET, policyTenant);
        h.set(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET, senderType);
        h.set(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET, messageType);
        h.set(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET, senderCapabilities);
    }
}
