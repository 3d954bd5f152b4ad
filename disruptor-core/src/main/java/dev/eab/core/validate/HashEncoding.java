package dev.eab.core.validate;

/**
 * How a claimed constitutional hash is put into the fixed header: its first
 * {@value MessageHeaderDescriptor#HASH_CAPACITY} characters as ASCII bytes (zero padded) plus its full
 * length. A non-ASCII character becomes {@code 0xFF}, which never equals a hex digit, so truncating a
 * wide character to a byte cannot forge a match. Allocation-free; the one place this rule lives.
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
        final int n = hash.length();
        for (int i = 0; i < MessageHeaderDescriptor.HASH_CAPACITY; i++)
        {
            final char c = i < n ? hash.charAt(i) : 0;
            dst[i] = c < 0x80 ? (byte)c : (byte)0xFF;
        }
        return n;
    }
}
