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
 * <p>How: at every other position the next four bytes are read as one little-endian int, ASCII-lowercased by
 * OR-ing {@code 0x20} into every byte (exact for letters, and the keywords are letters only: a non-letter byte can
 * never become one that matches), and hashed to 12 bits by a multiply-shift against each keyword's windows at
 * offsets 0 and 1 (a keyword of five letters or more at p shows one of them at a checked position; the one
 * four-letter keyword, "risk", at an unchecked position is recognised from the position before: "?ris" then "k"). A 4096-bit filter (512 bytes, in L1) says
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
    /** The 4-byte windows searched: each keyword's at offsets 0 and 1 (one only for a 4-letter keyword). */
    private static final int[] WINDOW;
    private static final int[] WINDOW_KEYWORD;
    private static final int[] WINDOW_OFFSET;
    /** "ris", lowercased, as the top three bytes of a window: "risk" one byte past a checked position. */
    private static final int RIS = 'r' | 'i' << 8 | 's' << 16;
    private static final int RISK = 6;
    private static final long[] FILTER = new long[BUCKETS / 64];
    /** Windows of bucket h are BUCKET_WINDOWS[BUCKET_START[h] .. BUCKET_START[h + 1]). */
    private static final int[] BUCKET_START = new int[BUCKETS + 1];
    private static final int[] BUCKET_WINDOWS;

    static
    {
        int windows = 0;
        for (int k = 0; k < KEYWORDS.length; k++)
        {
            BYTES[k] = KEYWORDS[k].getBytes(StandardCharsets.US_ASCII);
            windows += BYTES[k].length > MIN_KEYWORD_BYTES ? 2 : 1;
        }
        if (!KEYWORDS[RISK].equals("risk"))
        {
            throw new IllegalStateException("the 4-letter keyword moved");
        }
        WINDOW = new int[windows];
        WINDOW_KEYWORD = new int[windows];
        WINDOW_OFFSET = new int[windows];
        int n = 0;
        for (int k = 0; k < KEYWORDS.length; k++)
        {
            for (int o = 0; o < (BYTES[k].length > MIN_KEYWORD_BYTES ? 2 : 1); o++)
            {
                WINDOW[n] = (int)INT_LE.get(BYTES[k], o);
                WINDOW_KEYWORD[n] = k;
                WINDOW_OFFSET[n] = o;
                final int h = bucket(WINDOW[n]);
                FILTER[h >>> 6] |= 1L << h;
                n++;
            }
        }
        BUCKET_WINDOWS = new int[windows];
        int b = 0;
        for (int h = 0; h < BUCKETS; h++)
        {
            BUCKET_START[h] = b;
            for (int x = 0; x < windows; x++)
            {
                if (bucket(WINDOW[x]) == h)
                {
                    BUCKET_WINDOWS[b++] = x;
                }
            }
        }
        BUCKET_START[BUCKETS] = b;
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
        // Every other position: an occurrence at p of a keyword of five letters or more has a window at p
        // (offset 0) and at p + 1 (offset 1), one of them checked; "risk" at an unchecked p is seen from p - 1.
        for (int i = off; i <= end - MIN_KEYWORD_BYTES; i += 2)
        {
            final int w = (int)INT_LE.get(text, i) | ASCII_LOWER_MASK;
            if (w >>> 8 == RIS && i + MIN_KEYWORD_BYTES < end && (text[i + MIN_KEYWORD_BYTES] | 0x20) == 'k' && (found >>> RISK & 1) == 0 &&
                (!word || !isAsciiAlnum(text[i])))
            {
                found |= 1 << RISK;
                if (Integer.bitCount(found) >= SATURATION_COUNT)
                {
                    return found;
                }
            }
            final int h = bucket(w);
            if ((FILTER[h >>> 6] >>> h & 1) == 0)
            {
                continue;
            }
            for (int b = BUCKET_START[h], stop = BUCKET_START[h + 1]; b < stop; b++)
            {
                final int x = BUCKET_WINDOWS[b];
                final int k = WINDOW_KEYWORD[x];
                final int p = i - WINDOW_OFFSET[x];
                if (WINDOW[x] != w || p < off || (found >>> k & 1) != 0 || (word && p > off && isAsciiAlnum(text[p - 1])) ||
                    !matches(text, p, end, BYTES[k]))
                {
                    continue;
                }
                found |= 1 << k;
                if (Integer.bitCount(found) >= SATURATION_COUNT)
                {
                    return found;
                }
            }
        }
        return found;
    }

    /** @return whether {@code keyword} (lowercase ASCII) occurs at {@code text[at]}, ASCII case folded, before {@code end} */
    public static boolean matches(final byte[] text, final int at, final int end, final byte[] keyword)
    {
        if (at + keyword.length > end)
        {
            return false;
        }
        for (int j = 0; j < keyword.length; j++)
        {
            if ((text[at + j] | 0x20) != keyword[j])
            {
                return false;
            }
        }
        return true;
    }

    /** @return whether {@code b} is an ASCII letter or digit (a word-boundary mode neighbour that is not a boundary) */
    public static boolean isAsciiAlnum(final byte b)
    {
        return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
    }
}
