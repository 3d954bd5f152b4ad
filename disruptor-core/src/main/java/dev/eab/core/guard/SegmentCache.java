package dev.eab.core.guard;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * The NFKC of short text pieces, remembered: {@link TextNormalizer} cuts a text before every character that neither
 * reorders nor composes with what precedes it, and asks here for the pieces that are not such a character alone (a
 * letter with its combining marks, a fullwidth letter, a ligature). A piece met before is answered from a
 * two-way set-associative table with no allocation; a new one goes through {@link Normalizer} (which allocates) and replaces
 * whatever shared its slot. Agents repeat their vocabulary, so after a warm-up the scanner's normalisation of
 * combining-mark and compatibility text allocates nothing (issue 8 §1: zero allocation per scan); a text full of
 * pieces never seen still allocates, once per new piece. Pieces longer than {@link #MAX_PIECE_CHARS} are not kept.
 *
 * <p>Single writer: the owning {@link TextNormalizer}'s thread. The array returned by {@link #nfkc} is valid until the
 * next call.
 */
final class SegmentCache
{
    /** Slots (a power of two), in sets of two. */
    static final int SLOTS = 4096;
    /** Longest piece kept, in chars. */
    static final int MAX_PIECE_CHARS = 32;

    private final char[][] keys = new char[SLOTS][];
    private final char[][] values = new char[SLOTS][];
    private final int[] valueLengths = new int[SLOTS];
    /** Per set: which of its two slots was used last (the other is replaced on a miss). */
    private final byte[] younger = new byte[SLOTS / 2];
    /** The answer for a piece too long to keep. */
    private char[] uncached = new char[MAX_PIECE_CHARS];
    private int length;
    private long misses;

    /**
     * @return the NFKC of {@code src[from, to)} in a buffer, valid up to {@link #length()} and until the next call.
     */
    char[] nfkc(final char[] src, final int from, final int to)
    {
        final int n = to - from;
        if (n > MAX_PIECE_CHARS)
        {
            misses++;
            final String s = Normalizer.normalize(CharBuffer.wrap(src, from, n), Normalizer.Form.NFKC);
            if (uncached.length < s.length())
            {
                uncached = new char[Math.max(s.length(), uncached.length * 2)];
            }
            s.getChars(0, s.length(), uncached, 0);
            length = s.length();
            return uncached;
        }
        int h = n;
        for (int i = from; i < to; i++)
        {
            h = 31 * h + src[i];
        }
        // Two ways per set: a piece that shares its set with another keeps its place (the older one is replaced).
        final int set = (h ^ h >>> 16) & (SLOTS - 2);
        for (int slot = set; slot <= set + 1; slot++)
        {
            final char[] key = keys[slot];
            if (key != null && Arrays.equals(key, 0, key.length, src, from, to))
            {
                younger[set >>> 1] = (byte)(slot - set);
                length = valueLengths[slot];
                return values[slot];
            }
        }
        misses++;
        final int slot = set + 1 - younger[set >>> 1];
        younger[set >>> 1] = (byte)(slot - set);
        final String s = Normalizer.normalize(CharBuffer.wrap(src, from, n), Normalizer.Form.NFKC);
        keys[slot] = Arrays.copyOfRange(src, from, to);
        values[slot] = s.toCharArray();
        valueLengths[slot] = s.length();
        length = s.length();
        return values[slot];
    }

    /** @return the length of the last answer. */
    int length()
    {
        return length;
    }

    /** @return pieces that went through {@link Normalizer} so far (tests). */
    long misses()
    {
        return misses;
    }
}
