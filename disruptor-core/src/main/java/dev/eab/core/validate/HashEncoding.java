package dev.eab.core.validate;

import dev.eab.api.ConstitutionalHashMatcher;

/**
 * Puts a claimed constitutional hash into a ring slot's hash bytes in the form
 * {@link ConstitutionalHashMatcher} compares (which owns the rule: first
 * {@value MessageHeaderDescriptor#HASH_CAPACITY} characters, non-ASCII as {@code 0xFF}, zero padded) plus its
 * full length. Allocation-free.
 */
public final class HashEncoding
{
    /** Length recorded for a missing (null) hash: rejected as HASH_MISSING. */
    public static final int MISSING = -1;

    private HashEncoding()
    {
    }

    /**
     * @param dst at least {@value MessageHeaderDescriptor#HASH_CAPACITY} bytes; overwritten.
     * @return the length to record: the hash's length, or {@link #MISSING}.
     */
    public static int encode(final CharSequence hash, final byte[] dst)
    {
        if (hash == null)
        {
            java.util.Arrays.fill(dst, 0, MessageHeaderDescriptor.HASH_CAPACITY, (byte)0);
            return MISSING;
        }
        for (int i = 0; i < MessageHeaderDescriptor.HASH_CAPACITY; i++)
        {
            dst[i] = ConstitutionalHashMatcher.encodedByte(hash, i);
        }
        return hash.length();
    }
}
