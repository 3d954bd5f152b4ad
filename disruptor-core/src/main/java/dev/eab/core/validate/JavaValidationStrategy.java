package dev.eab.core.validate;

import dev.eab.api.ConstitutionalHashMatcher;
import dev.eab.api.RejectReason;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;

/**
 * The pure-Java twin of {@code eab_validate}: the same checks, in the same order, over the same header
 * and the same {@link PolicyTable}. Used when the native library is absent or its breaker is open, and
 * by the differential test that proves both agree. Stateless after construction; allocation-free.
 */
public final class JavaValidationStrategy implements ValidationStrategy
{
    /** Reads the header's two hash words as the matcher packs them. */
    private static final ValueLayout.OfLong HASH_WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final ConstitutionalHashMatcher hash;
    private final int maxMessageSizeBytes;
    private final PolicyTable policy;
    /** MACI tables, checked after the tenant checks and before policy; null when MACI is off. */
    private final dev.eab.core.maci.MaciTables maci;

    /**
     * @param constitutionalHash the bus's hash, exactly 16 ASCII characters.
     */
    public JavaValidationStrategy(final String constitutionalHash, final int maxMessageSizeBytes, final PolicyTable policy)
    {
        this(constitutionalHash, maxMessageSizeBytes, policy, null);
    }

    /** @param maci the MACI tables (as {@code eab_engine_new_maci}), or null for none. */
    public JavaValidationStrategy(
        final String constitutionalHash, final int maxMessageSizeBytes, final PolicyTable policy, final dev.eab.core.maci.MaciTables maci)
    {
        this.hash = new ConstitutionalHashMatcher(constitutionalHash);
        this.maxMessageSizeBytes = maxMessageSizeBytes;
        this.policy = policy;
        this.maci = maci;
    }

    static byte[] hashBytes(final String constitutionalHash)
    {
        // The matcher enforces eab_engine_new's rule (16 ASCII characters, no NUL): getBytes alone would turn
        // a non-ASCII character into '?', which a message could then match.
        return new ConstitutionalHashMatcher(constitutionalHash).expectedBytes();
    }

    @Override
    public int validate(final MemorySegment h)
    {
        final int hashLength = h.get(ValueLayout.JAVA_INT, HASH_LENGTH_OFFSET);
        if (hashLength < 0)
        {
            return RejectReason.HASH_MISSING.code();
        }
        // The one constant-time comparison (agents' pre-checks use the same matcher).
        if (!hash.matchesEncoded(hashLength, h.get(HASH_WORD, HASH_OFFSET), h.get(HASH_WORD, HASH_OFFSET + Long.BYTES)))
        {
            return RejectReason.HASH_MISMATCH.code();
        }
        if (h.get(ValueLayout.JAVA_INT, MESSAGE_ID_LENGTH_OFFSET) <= 0)
        {
            return RejectReason.EMPTY_MESSAGE_ID.code();
        }
        if (h.get(ValueLayout.JAVA_INT, CONTENT_LENGTH_OFFSET) <= 0)
        {
            return RejectReason.EMPTY_CONTENT.code();
        }
        if (h.get(ValueLayout.JAVA_INT, MESSAGE_SIZE_OFFSET) > maxMessageSizeBytes)
        {
            return RejectReason.MESSAGE_TOO_LARGE.code();
        }
        final long expiresAt = h.get(ValueLayout.JAVA_LONG, EXPIRES_AT_MS_OFFSET);
        if (expiresAt > 0 && h.get(ValueLayout.JAVA_LONG, NOW_MS_OFFSET) >= expiresAt)
        {
            return RejectReason.EXPIRED.code();
        }
        final int flags = h.get(ValueLayout.JAVA_INT, FLAGS_OFFSET);
        if ((flags & FLAG_TENANT_FORMAT_VALID) == 0)
        {
            return RejectReason.INVALID_TENANT.code();
        }
        if ((flags & FLAG_SENDER_REGISTERED) == 0)
        {
            return RejectReason.SENDER_NOT_REGISTERED.code();
        }
        final boolean hasRecipient = (flags & FLAG_HAS_RECIPIENT) != 0;
        if (hasRecipient && (flags & FLAG_RECIPIENT_REGISTERED) == 0)
        {
            return RejectReason.RECIPIENT_NOT_REGISTERED.code();
        }
        final int messageTenant = h.get(ValueLayout.JAVA_INT, MESSAGE_TENANT_OFFSET);
        if (messageTenant != h.get(ValueLayout.JAVA_INT, SENDER_TENANT_OFFSET))
        {
            return RejectReason.TENANT_MISMATCH_SENDER.code();
        }
        if (hasRecipient && messageTenant != h.get(ValueLayout.JAVA_INT, RECIPIENT_TENANT_OFFSET))
        {
            return RejectReason.TENANT_MISMATCH_RECIPIENT.code();
        }
        if (maci != null)
        {
            final int maciCode = maci.check(h);
            if (maciCode != 0)
            {
                return maciCode;
            }
        }
        final int effect = policy.evaluate(
            h.get(ValueLayout.JAVA_INT, POLICY_TENANT_OFFSET),
            h.get(ValueLayout.JAVA_INT, SENDER_TYPE_OFFSET),
            h.get(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET),
            h.get(ValueLayout.JAVA_LONG, SENDER_CAPABILITIES_OFFSET));
        return effect == PolicyTable.EFFECT_DENY ? RejectReason.POLICY_DENIED.code() : RejectReason.NONE.code();
    }

    @Override
    public String name()
    {
        return "java";
    }
}
