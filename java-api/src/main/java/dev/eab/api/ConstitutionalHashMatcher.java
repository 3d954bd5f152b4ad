package dev.eab.api;

import dev.eab.api.exception.AgentBusException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The constitutional hash comparison, in constant time, exactly as the bus makes it: the engine's Java
 * validator calls {@link #matchesEncoded} on the message header, agents that pre-check call
 * {@link #validate} or {@link #matches}. Built once per expected hash; immutable, thread-safe, and
 * allocation-free when comparing.
 *
 * <p>The compared form: a hash's first {@value #ENCODED_LENGTH} characters, each as one byte (ASCII as
 * itself, anything else as {@code 0xFF}, which never equals a hex digit, so truncating a wide character
 * cannot forge a match; zero past the end), packed little-endian into two longs, plus the hash's full
 * length. Every byte and the length are compared whatever the earlier ones were.
 */
public final class ConstitutionalHashMatcher
{
    /** Characters of a hash that take part in the comparison (and bytes of it on the native boundary). */
    public static final int ENCODED_LENGTH = Constitution.HASH_LENGTH;
    /** The original's error text for a missing (non-string) hash. */
    public static final String NOT_A_STRING = "Constitutional hash must be a string";
    /** The byte a non-ASCII character becomes: never equal to a hex digit. */
    private static final byte NON_ASCII = (byte)0xFF;
    private static final int WORD_BYTES = Long.BYTES;

    /** The matcher for {@link Constitution#HASH}. */
    public static final ConstitutionalHashMatcher DEFAULT = new ConstitutionalHashMatcher(Constitution.HASH);

    private final String expected;
    private final long expectedWord0;
    private final long expectedWord1;

    /**
     * @param expected the hash to enforce: exactly {@value #ENCODED_LENGTH} ASCII characters, no NUL (the same
     *     rule as the native engine's {@code eab_engine_new}).
     * @throws IllegalArgumentException otherwise.
     */
    public ConstitutionalHashMatcher(final String expected)
    {
        if (expected == null || expected.length() != ENCODED_LENGTH || !expected.chars().allMatch(c -> c > 0 && c < 0x80))
        {
            throw new IllegalArgumentException("constitutional hash must be " + ENCODED_LENGTH + " ASCII characters (no NUL)");
        }
        this.expected = expected;
        this.expectedWord0 = word(expected, 0);
        this.expectedWord1 = word(expected, 1);
    }

    /** @return the byte that character {@code index} of {@code hash} takes in the compared form. */
    public static byte encodedByte(final CharSequence hash, final int index)
    {
        if (index >= hash.length())
        {
            return 0;
        }
        final char c = hash.charAt(index);
        return c < 0x80 ? (byte)c : NON_ASCII;
    }

    /** @return bytes {@code 8 * wordIndex} to {@code 8 * wordIndex + 7} of the compared form, little-endian. */
    public static long word(final CharSequence hash, final int wordIndex)
    {
        long word = 0;
        for (int i = 0; i < WORD_BYTES; i++)
        {
            word |= (encodedByte(hash, wordIndex * WORD_BYTES + i) & 0xFFL) << (Byte.SIZE * i);
        }
        return word;
    }

    /** @return the enforced hash's bytes (ASCII), a fresh array: what the native engine is configured with. */
    public byte[] expectedBytes()
    {
        return expected.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** @return the enforced hash. */
    public String expected()
    {
        return expected;
    }

    /**
     * The comparison itself, on the compared form (the bus's validator reads both words from the header).
     *
     * @param length the claimed hash's full length.
     */
    public boolean matchesEncoded(final int length, final long word0, final long word1)
    {
        // No early exit: the time taken says nothing about how many leading characters were right.
        return ((length ^ ENCODED_LENGTH) | (word0 ^ expectedWord0) | (word1 ^ expectedWord1)) == 0;
    }

    /** @return true when {@code provided} equals the enforced hash; false for null. Constant time. */
    public boolean matches(final CharSequence provided)
    {
        return provided != null && matchesEncoded(provided.length(), word(provided, 0), word(provided, 1));
    }

    /**
     * The original's {@code validate_constitutional_hash}, against this matcher's hash.
     *
     * @return valid when {@code value} is a string equal to the enforced hash; otherwise invalid with
     *     {@link RejectReason#HASH_MISSING} and "Constitutional hash must be a string" for null or a non-string,
     *     or {@link RejectReason#HASH_MISMATCH} and "Constitutional hash mismatch (provided: cdd01ef0...)". Hashes
     *     appear only as 8-character prefixes ({@link AgentBusException#sanitizeHash}), in the text and in the
     *     metadata ({@code expected_hash_prefix}, {@code actual_hash_prefix}).
     */
    public ValidationResult validate(final Object value)
    {
        if (!(value instanceof CharSequence provided))
        {
            return ValidationResult.deny(RejectReason.HASH_MISSING, NOT_A_STRING, expected, Map.of());
        }
        if (matches(provided))
        {
            return ValidationResult.allow(MessageStatus.VALIDATED, expected, Map.of());
        }
        final String actual = provided.toString();
        final Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("expected_hash_prefix", AgentBusException.sanitizeHash(expected));
        metadata.put("actual_hash_prefix", AgentBusException.sanitizeHash(actual));
        return ValidationResult.deny(RejectReason.HASH_MISMATCH,
            "Constitutional hash mismatch (provided: " + AgentBusException.sanitizeHash(actual) + ")", expected, metadata);
    }
}
