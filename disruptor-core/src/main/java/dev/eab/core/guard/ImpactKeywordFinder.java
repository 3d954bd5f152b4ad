package dev.eab.core.guard;

import dev.eab.api.KeywordMatching;
import dev.eab.core.governance.ImpactKeywords;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The impact scorer's keyword search ({@link ImpactKeywords#find}) cut into single-position steps, so that
 * {@link JavaContentScanner} can run it inside its own pass over the text (issue 10: the keywords are found in the
 * guardrail scan's pass, not a second one). The scanner visits positions out of order (two automaton chains
 * run side by side over the two halves of the text), so each keyword's <i>first discovery</i> is remembered as a
 * rank (position, then the order {@code find} tries windows at that position); {@link #mask()} then keeps the
 * {@link ImpactKeywords#SATURATION_COUNT} lowest ranks when more were found, which is exactly the set
 * {@code find} returns when it stops at five. The tables are rebuilt from {@link ImpactKeywords}' public
 * constants in the same order, so the windows of a bucket are tried in {@code find}'s order.
 *
 * <p>Single writer: the scanning thread that owns the enclosing scanner; {@link #reset} starts a text.
 */
final class ImpactKeywordFinder
{
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int ASCII_LOWER_MASK = 0x20202020;
    private static final int MIN_BYTES = ImpactKeywords.MIN_KEYWORD_BYTES;
    private static final int RISK = indexOf("risk");
    private static final int RIS = 'r' | 'i' << 8 | 's' << 16;
    /** Ranks: position × this + the window's order at that position (0 = the "risk" look-ahead). */
    private static final long RANK_POSITION_STRIDE = 1L << 16;
    private static final int KEYWORD_COUNT = ImpactKeywords.KEYWORDS.length;

    private static final byte[][] BYTES = new byte[KEYWORD_COUNT][];
    private static final int[] WINDOW;
    private static final int[] WINDOW_KEYWORD;
    private static final int[] WINDOW_OFFSET;
    private static final long[] FILTER = new long[ImpactKeywords.BUCKETS / 64];
    private static final int[] BUCKET_START = new int[ImpactKeywords.BUCKETS + 1];
    private static final int[] BUCKET_WINDOWS;

    static
    {
        int windows = 0;
        for (int k = 0; k < KEYWORD_COUNT; k++)
        {
            BYTES[k] = ImpactKeywords.KEYWORDS[k].getBytes(StandardCharsets.US_ASCII);
            windows += BYTES[k].length > MIN_BYTES ? 2 : 1;
        }
        WINDOW = new int[windows];
        WINDOW_KEYWORD = new int[windows];
        WINDOW_OFFSET = new int[windows];
        int n = 0;
        for (int k = 0; k < KEYWORD_COUNT; k++)
        {
            for (int o = 0; o < (BYTES[k].length > MIN_BYTES ? 2 : 1); o++)
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
        for (int h = 0; h < ImpactKeywords.BUCKETS; h++)
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
        BUCKET_START[ImpactKeywords.BUCKETS] = b;
    }

    private final boolean word;
    /** Keyword → the rank of its first discovery in this text; valid where {@link #found} has its bit. */
    private final long[] firstRank = new long[KEYWORD_COUNT];
    private int found;

    ImpactKeywordFinder(final KeywordMatching matching)
    {
        this.word = matching == KeywordMatching.WORD;
    }

    private static int indexOf(final String keyword)
    {
        for (int k = 0; k < ImpactKeywords.KEYWORDS.length; k++)
        {
            if (ImpactKeywords.KEYWORDS[k].equals(keyword))
            {
                return k;
            }
        }
        throw new IllegalStateException("no keyword " + keyword);
    }

    private static int bucket(final int lowered)
    {
        return (lowered * ImpactKeywords.HASH_MULTIPLIER) >>> ImpactKeywords.HASH_SHIFT;
    }

    /** Starts a new text. */
    void reset()
    {
        found = 0;
    }

    /**
     * The step of {@link ImpactKeywords#find} at position {@code i} of {@code text[off, end)}; {@code i - off} must be
     * even (find checks every other position). Any order of positions, repeats allowed.
     */
    void at(final byte[] text, final int i, final int off, final int end)
    {
        if (i > end - MIN_BYTES)
        {
            return;
        }
        final int w = (int)INT_LE.get(text, i) | ASCII_LOWER_MASK;
        if (w >>> 8 == RIS && i + MIN_BYTES < end && (text[i + MIN_BYTES] | 0x20) == 'k' && (!word || !ImpactKeywords.isAsciiAlnum(text[i])))
        {
            record(RISK, (i - off) * RANK_POSITION_STRIDE);
        }
        final int h = bucket(w);
        if ((FILTER[h >>> 6] >>> h & 1) == 0)
        {
            return;
        }
        for (int b = BUCKET_START[h], stop = BUCKET_START[h + 1]; b < stop; b++)
        {
            final int x = BUCKET_WINDOWS[b];
            final int k = WINDOW_KEYWORD[x];
            final int p = i - WINDOW_OFFSET[x];
            if (WINDOW[x] != w || p < off || (word && p > off && ImpactKeywords.isAsciiAlnum(text[p - 1])) || !ImpactKeywords.matches(text, p, end, BYTES[k]))
            {
                continue;
            }
            record(k, (i - off) * RANK_POSITION_STRIDE + 1 + b - BUCKET_START[h]);
        }
    }

    /** Every checked position of {@code text[from, end)} in order ({@code from - off} even). */
    void range(final byte[] text, final int from, final int off, final int end)
    {
        for (int i = from; i <= end - MIN_BYTES; i += 2)
        {
            at(text, i, off, end);
        }
    }

    private void record(final int k, final long rank)
    {
        final int bit = 1 << k;
        if ((found & bit) == 0)
        {
            found |= bit;
            firstRank[k] = rank;
        }
        else if (rank < firstRank[k])
        {
            firstRank[k] = rank;
        }
    }

    /** @return what {@link ImpactKeywords#find} returns for the text whose positions were visited. */
    int mask()
    {
        final int all = found;
        if (Integer.bitCount(all) <= ImpactKeywords.SATURATION_COUNT)
        {
            return all;
        }
        // More than find would have seen: it stops at the fifth discovery, so keep the five earliest.
        int kept = 0;
        for (int n = 0; n < ImpactKeywords.SATURATION_COUNT; n++)
        {
            int best = -1;
            for (int m = all & ~kept; m != 0; m &= m - 1)
            {
                final int k = Integer.numberOfTrailingZeros(m);
                if (best < 0 || firstRank[k] < firstRank[best])
                {
                    best = k;
                }
            }
            kept |= 1 << best;
        }
        return kept;
    }
}
