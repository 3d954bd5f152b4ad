package dev.eab.core.governance;

import dev.eab.api.KeywordMatching;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The semantic factor's keyword search (reference §3.5): which of the 28 keywords occur in a text, in one pass,
 * without allocating. The Rust twin ({@code native-rust/src/impact.rs}) runs the same algorithm on the same
 * tables; {@code ImpactDifferentialTest} holds them to identical answers.
 *
 * <p>How: at each position the next four bytes are read as one little-endian int, ASCII-lowercased by OR-ing
 * {@code 0x20} into every byte (exact for letters, and the keywords are letters only: a non-letter byte can never
 * become one that matches), and hashed to 12 bits by a multiply-shift. A 4096-bit filter (512 bytes, in L1) says
 * whether any keyword's first four letters hash there; only then are that bucket's keywords compared in full.
 * Why 12 bits: with a 64-bit filter about 40% of English positions passed it, and the unpredictable branch cost
 * more than everything else (measured: ~3 ns/byte); at 12 bits under 1% pass and the branch predicts. Every keyword has at least
 * four letters. Each keyword counts once, however often it occurs (the original counted {@code kw in text});
 * the search stops at five, as more cannot change the factor. Case folding is ASCII only: the guardrail scanner
 * normalises Unicode for its own patterns, this scorer reads the text as sent.
 *
 * <p>Immutable tables, shared by all scorers; stateless methods.
 */
public final class ImpactKeywords
{
    /** The 28 keywords, in bit order (bit i of a found-mask is keyword i). */
    public static final String[] KEYWORDS = {
        "critical", "emergency", "security", "breach", "violation", "danger", "risk", "threat", "attack", "exploit", "vulnerability",
        "compromise", "governance", "policy", "regulation", "compliance", "legal", "audit", "financial", "transaction", "payment", "transfer",
        "blockchain", "consensus", "unauthorized", "abnormal", "suspicious", "alert"};
    /** The search stops once this many distinct keywords are found: the factor is 1.0 from five on. */
    public static final int SATURATION_COUNT = 5;
    /** Shortest keyword, in bytes ("risk"). */
    public static final int MIN_KEYWORD_BYTES = 4;
    /** The multiply-shift hash of a lowercased 4-byte window: {@code (w * HASH_MULTIPLIER) >>> HASH_SHIFT}. */
    public static final int HASH_MULTIPLIER = 0x9E3779B1;
    public static final int HASH_SHIFT = 20;
    /** Buckets: 2^(32 - HASH_SHIFT). */
    public static final int BUCKETS = 1 << (32 - HASH_SHIFT);
    private static final int ASCII_LOWER_MASK = 0x20202020;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final byte[][] BYTES = new byte[KEYWORDS.length][];
    private static final int[] PREFIX = new int[KEYWORDS.length];
    private static final long[] FILTER = new long[BUCKETS / 64];
    /** Keywords of bucket h are BUCKET_KEYWORDS[BUCKET_START[h] .. BUCKET_START[h + 1]). */
    private static final int[] BUCKET_START = new int[BUCKETS + 1];
    private static final int[] BUCKET_KEYWORDS = new int[KEYWORDS.length];

    static
    {
        final int[] bucketOf = new int[KEYWORDS.length];
        for (int k = 0; k < KEYWORDS.length; k++)
        {
            BYTES[k] = KEYWORDS[k].getBytes(StandardCharsets.US_ASCII);
            PREFIX[k] = (int)INT_LE.get(BYTES[k], 0);
            bucketOf[k] = bucket(PREFIX[k]);
            FILTER[bucketOf[k] >>> 6] |= 1L << bucketOf[k];
        }
        int n = 0;
        for (int h = 0; h < BUCKETS; h++)
        {
            BUCKET_START[h] = n;
            for (int k = 0; k < KEYWORDS.length; k++)
            {
                if (bucketOf[k] == h)
                {
                    BUCKET_KEYWORDS[n++] = k;
                }
            }
        }
        BUCKET_START[BUCKETS] = n;
    }

    private ImpactKeywords()
    {
    }

    static int bucket(final int lowered)
    {
        return (lowered * HASH_MULTIPLIER) >>> HASH_SHIFT;
    }

    /**
     * @return the keywords found in {@code text[off, off + len)} as a bit mask (bit i: {@link #KEYWORDS}[i]); the
     *     search stops after {@link #SATURATION_COUNT} distinct keywords.
     */
    public static int find(final byte[] text, final int off, final int len, final KeywordMatching matching)
    {
        final boolean word = matching == KeywordMatching.WORD;
        final int end = off + len;
        int found = 0;
        int count = 0;
        for (int i = off; i <= end - MIN_KEYWORD_BYTES; i++)
        {
            final int w = (int)INT_LE.get(text, i) | ASCII_LOWER_MASK;
            final int h = bucket(w);
            if ((FILTER[h >>> 6] >>> h & 1) == 0)
            {
                continue;
            }
            if (word && i > off && isAsciiAlnum(text[i - 1]))
            {
                continue;
            }
            for (int b = BUCKET_START[h], stop = BUCKET_START[h + 1]; b < stop; b++)
            {
                final int k = BUCKET_KEYWORDS[b];
                if (PREFIX[k] != w || (found >>> k & 1) != 0 || !rest(text, i, end, BYTES[k]))
                {
                    continue;
                }
                found |= 1 << k;
                if (++count >= SATURATION_COUNT)
                {
                    return found;
                }
            }
        }
        return found;
    }

    private static boolean rest(final byte[] text, final int at, final int end, final byte[] keyword)
    {
        if (at + keyword.length > end)
        {
            return false;
        }
        for (int j = MIN_KEYWORD_BYTES; j < keyword.length; j++)
        {
            if ((text[at + j] | 0x20) != keyword[j])
            {
                return false;
            }
        }
        return true;
    }

    static boolean isAsciiAlnum(final byte b)
    {
        return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
    }
}
