package dev.eab.core.guard;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Objects;

/**
 * The scanner's text normalisation, identical to {@code normalize_into} in {@code native-rust/src/guard.rs}:
 * <ol>
 *   <li>UTF-8 decode; each maximal invalid subsequence becomes one U+FFFD (the Unicode "maximal subpart"
 *       practice of Rust's {@code String::from_utf8_lossy}), by {@link #decodeUtf8}. Not by
 *       {@code new String(bytes, UTF_8)}: the JDK agrees everywhere except on an encoded surrogate
 *       ({@code ED A0..BF ..}), which it replaces with one U+FFFD where Rust writes one per byte.
 *       From a {@link CharSequence}, each unpaired surrogate becomes U+FFFD, as it would after a UTF-8
 *       round trip through the native scanner.</li>
 *   <li>Unicode NFKC ({@link Normalizer}; JDK 25 implements Unicode 16.0, and the Rust crate is pinned to
 *       the same version).</li>
 *   <li>Invisible characters removed: see {@link #isInvisible(int)}.</li>
 *   <li>Each code point lowercased with {@link Character#toLowerCase(int)} (the simple mapping: no
 *       locale, no final-sigma context, unlike {@link String#toLowerCase()}). Rust uses a table generated
 *       from this very method ({@code native-rust/src/guard_lower.rs}).</li>
 * </ol>
 * ASCII input skips steps 1-3: NFKC is the identity on ASCII and no invisible character is ASCII.
 *
 * <p>An instance owns reusable buffers and is not thread-safe: one per scanning thread. The ASCII path
 * allocates nothing once the buffers have grown. Non-ASCII text made only of <i>stable starters</i>
 * ({@link #isStableStarter}: NFKC leaves the code point alone, it has no combining class and nothing composes
 * with it from before; nearly all letters, ideographs, punctuation and emoji of running text) is its own NFKC,
 * so it skips {@link Normalizer} and allocates nothing either. In any other text only the pieces around the other
 * characters (a letter with its combining marks, a fullwidth letter, a ligature) are normalised, through a per-instance
 * cache of their NFKC ({@link SegmentCache}): a piece seen recently costs no allocation, a new one allocates inside
 * {@link Normalizer#normalize} once.
 */
public final class TextNormalizer
{
    /** U+FFFD REPLACEMENT CHARACTER, substituted for malformed input. */
    public static final char REPLACEMENT = '\uFFFD';

    /** ASCII code → its lowercase, as a char. */
    private static final char[] ASCII_LOWER = new char[128];

    static
    {
        for (int c = 0; c < ASCII_LOWER.length; c++)
        {
            ASCII_LOWER[c] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
    }

    /** Code points below this have a stable-starter bit ({@link #isStableStarter}); the others go through NFKC. */
    private static final int STABLE_LIMIT = 0x30000;
    private static final int STABLE_PAGE_BITS = 8;
    /** Per page of 256 code points, its stable-starter bits, computed the first time a code point of it is seen. */
    private static final long[][] STABLE_PAGES = new long[STABLE_LIMIT >>> STABLE_PAGE_BITS][];

    /** First size of the reusable buffers, in chars; they grow to the largest text seen. */
    private static final int INITIAL_CAPACITY_CHARS = 1024;

    private char[] decoded = new char[INITIAL_CAPACITY_CHARS];
    private final SegmentCache segments = new SegmentCache();
    private char[] normal = new char[INITIAL_CAPACITY_CHARS];
    private int length;

    /**
     * @return true for the characters removed after NFKC: U+00AD soft hyphen, U+180E Mongolian vowel
     * separator, U+200B..U+200F zero-width space/joiners and direction marks, U+202A..U+202E bidi
     * embeddings and overrides, U+2060..U+2064 word joiner and invisible operators, U+FEFF BOM.
     */
    public static boolean isInvisible(final int cp)
    {
        return cp == 0x00AD || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF;
    }

    /** @return the normalised form of {@code text} as a new String (for patterns and tests; allocates). */
    public static String normalize(final CharSequence text)
    {
        final TextNormalizer n = new TextNormalizer();
        final int len = n.normalizeChars(text);
        return new String(n.normal, 0, len);
    }

    /** @return the normalised form of {@code utf8} as a new String (for tests; allocates). */
    public static String normalize(final byte[] utf8)
    {
        final TextNormalizer n = new TextNormalizer();
        final int len = n.normalizeUtf8(utf8, 0, utf8.length);
        return new String(n.normal, 0, len);
    }

    /**
     * Normalises {@code len} bytes of UTF-8 (malformed input is replaced, not refused) into this
     * instance's buffer: read the result from {@link #chars()} up to {@link #length()}.
     *
     * @return the normalised length in chars.
     */
    public int normalizeUtf8(final byte[] utf8, final int off, final int len)
    {
        Objects.checkFromIndexSize(off, len, utf8.length);
        // Optimistically ASCII: lowercase through a table while ORing the bytes, in one branch-free pass;
        // a negative OR means some byte was >= 0x80, and the text goes the long way instead.
        final char[] out = normalBuffer(len);
        int any = 0;
        for (int i = 0; i < len; i++)
        {
            final byte b = utf8[off + i];
            any |= b;
            out[i] = ASCII_LOWER[b & 0x7F];
        }
        if (any >= 0)
        {
            return length = len;
        }
        // A UTF-8 byte yields at most one UTF-16 char (4-byte sequences: 2 chars), so len chars suffice.
        final char[] dst = decodedBuffer(len);
        final int n = decodeUtf8(utf8, off, len, dst);
        return length = finish(dst, n);
    }

    /**
     * Normalises {@code text} (unpaired surrogates become U+FFFD) into this instance's buffer.
     *
     * @return the normalised length in chars.
     */
    public int normalizeChars(final CharSequence text)
    {
        final int len = text.length();
        boolean ascii = true;
        for (int i = 0; i < len; i++)
        {
            if (text.charAt(i) >= 0x80)
            {
                ascii = false;
                break;
            }
        }
        if (ascii)
        {
            final char[] out = normalBuffer(len);
            for (int i = 0; i < len; i++)
            {
                out[i] = lowerAscii((byte)text.charAt(i));
            }
            return length = len;
        }
        final char[] dst = decodedBuffer(len);
        for (int i = 0; i < len; i++)
        {
            final char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                dst[i] = c;
                dst[i + 1] = text.charAt(i + 1);
                i++;
            }
            else
            {
                dst[i] = Character.isSurrogate(c) ? REPLACEMENT : c;
            }
        }
        return length = finish(dst, len);
    }

    /** @return the buffer holding the last normalised text; valid up to {@link #length()}. Do not keep it. */
    public char[] chars()
    {
        return normal;
    }

    /** @return pieces normalised through {@link Normalizer} so far, i.e. not answered by the cache (tests). */
    long segmentMisses()
    {
        return segments.misses();
    }

    /** @return the length in chars of the last normalised text. */
    public int length()
    {
        return length;
    }

    /**
     * @return whether {@code cp} is a stable starter: NFKC maps it to itself, it is no combining mark (combining
     * class 0) and no Hangul jamo (the only other characters that compose with what precedes them). A text made only
     * of these is its own NFKC: nothing decomposes, reorders or composes. Computed per page of 256 code points with
     * {@link Normalizer} itself, the first time the page is needed (the only allocation); code points from
     * U+30000 on are never stable here (they take the {@link Normalizer} path).
     */
    static boolean isStableStarter(final int cp)
    {
        if (cp < 0 || cp >= STABLE_LIMIT)
        {
            return false;
        }
        long[] page = STABLE_PAGES[cp >>> STABLE_PAGE_BITS];
        if (page == null)
        {
            page = stablePage(cp >>> STABLE_PAGE_BITS);
            // Benign race: every thread computes the same bits.
            STABLE_PAGES[cp >>> STABLE_PAGE_BITS] = page;
        }
        return (page[(cp & 0xFF) >>> 6] >>> (cp & 63) & 1) != 0;
    }

    private static long[] stablePage(final int pageIndex)
    {
        final long[] bits = new long[4];
        for (int k = 0; k < 256; k++)
        {
            final int cp = pageIndex << STABLE_PAGE_BITS | k;
            if (Character.isSurrogate((char)cp) && cp < 0x10000 || !Character.isValidCodePoint(cp))
            {
                continue;
            }
            final int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK || type == Character.ENCLOSING_MARK ||
                (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xD7B0 && cp <= 0xD7FF) ||
                (cp >= 0x3130 && cp <= 0x318F))
            {
                continue;
            }
            final String one = Character.toString(cp);
            if (Normalizer.normalize(one, Normalizer.Form.NFKC).equals(one))
            {
                bits[k >>> 6] |= 1L << (k & 63);
            }
        }
        return bits;
    }

    /**
     * NFKC, then drop invisible characters and lowercase, from {@code src[0..n)} into {@link #normal}. A text of stable
     * starters only is its own NFKC. Otherwise the text is cut before every stable starter or ASCII character (neither
     * reorders nor composes with what precedes it, so the NFKC of the whole is the NFKC of the pieces, one after the
     * other): a piece that is one such character is copied, and the others (a starter with its combining marks, a
     * fullwidth letter, a ligature) are normalised through {@link SegmentCache}, which calls {@link Normalizer} (and
     * allocates) only for a piece it has not seen recently.
     */
    private int finish(final char[] src, final int n)
    {
        if (allStableStarters(src, n))
        {
            return dropAndLower(src, n);
        }
        int k = 0;
        int i = 0;
        while (i < n)
        {
            final int start = i;
            i += Character.charCount(Character.codePointAt(src, i, n));
            while (i < n)
            {
                final int cp = Character.codePointAt(src, i, n);
                if (cp < 0x80 || isStableStarter(cp))
                {
                    break;
                }
                i += Character.charCount(cp);
            }
            final int first = Character.codePointAt(src, start, n);
            if (i == start + Character.charCount(first) && (first < 0x80 || isStableStarter(first)))
            {
                k = append(first, k);
            }
            else
            {
                final char[] nfkc = segments.nfkc(src, start, i);
                final int m = segments.length();
                for (int j = 0; j < m; )
                {
                    final int cp = Character.codePointAt(nfkc, j, m);
                    j += Character.charCount(cp);
                    k = append(cp, k);
                }
            }
        }
        return k;
    }

    /** Appends {@code cp} lowercased to {@link #normal} at {@code k} unless it is invisible; @return the new length. */
    private int append(final int cp, final int k)
    {
        if (isInvisible(cp))
        {
            return k;
        }
        if (k + 2 > normal.length)
        {
            normal = Arrays.copyOf(normal, Math.max(normal.length * 2, k + 2));
        }
        return k + Character.toChars(Character.toLowerCase(cp), normal, k);
    }

    private static boolean allStableStarters(final char[] src, final int n)
    {
        for (int i = 0; i < n; )
        {
            final int cp = Character.codePointAt(src, i, n);
            if (cp >= 0x80 && !isStableStarter(cp))
            {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** {@link #finish} for a text that is its own NFKC: the same loop over {@code src} instead of a String. */
    private int dropAndLower(final char[] src, final int n)
    {
        char[] out = normalBuffer(n);
        int k = 0;
        for (int i = 0; i < n; )
        {
            final int cp = Character.codePointAt(src, i, n);
            i += Character.charCount(cp);
            if (isInvisible(cp))
            {
                continue;
            }
            final int lower = Character.toLowerCase(cp);
            if (k + 2 > out.length)
            {
                out = normal = Arrays.copyOf(out, Math.max(out.length * 2, k + 2));
            }
            k += Character.toChars(lower, out, k);
        }
        return k;
    }

    /** @return the normal form of {@code text} always through {@link Normalizer} (the reference, for tests). */
    static String normalizeThroughNfkc(final String text)
    {
        final String nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
        final StringBuilder b = new StringBuilder(nfkc.length());
        nfkc.codePoints().filter(cp -> !isInvisible(cp)).map(Character::toLowerCase).forEach(b::appendCodePoint);
        return b.toString();
    }

    private static char lowerAscii(final byte b)
    {
        return (char)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
    }

    private char[] normalBuffer(final int minChars)
    {
        if (normal.length < minChars)
        {
            normal = new char[Math.max(minChars, normal.length * 2)];
        }
        return normal;
    }

    private char[] decodedBuffer(final int minChars)
    {
        if (decoded.length < minChars)
        {
            decoded = new char[Math.max(minChars, decoded.length * 2)];
        }
        return decoded;
    }

    /**
     * Decodes UTF-8 the way Rust's {@code Utf8Chunks} (and so {@code String::from_utf8_lossy}) does: a
     * lead byte followed by the longest prefix of a valid sequence that is present is one malformed unit,
     * replaced by one U+FFFD; bytes 0x80..0xC1 and 0xF5..0xFF alone are one unit each. Overlong forms
     * (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..) are
     * rejected at their second byte.
     *
     * @param dst at least {@code len} chars.
     * @return the number of chars written.
     */
    public static int decodeUtf8(final byte[] src, final int off, final int len, final char[] dst)
    {
        final int end = off + len;
        int i = off;
        int k = 0;
        while (i < end)
        {
            final int b0 = src[i] & 0xFF;
            if (b0 < 0x80)
            {
                dst[k++] = (char)b0;
                i++;
                continue;
            }
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                if (i + 1 < end && isContinuation(src[i + 1]))
                {
                    dst[k++] = (char)(((b0 & 0x1F) << 6) | (src[i + 1] & 0x3F));
                    i += 2;
                }
                else
                {
                    dst[k++] = REPLACEMENT;
                    i += 1;
                }
                continue;
            }
            if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                final int b1 = i + 1 < end ? src[i + 1] & 0xFF : -1;
                final boolean second = switch (b0)
                {
                    case 0xE0 -> b1 >= 0xA0 && b1 <= 0xBF;
                    case 0xED -> b1 >= 0x80 && b1 <= 0x9F;
                    default -> b1 >= 0x80 && b1 <= 0xBF;
                };
                if (!second)
                {
                    dst[k++] = REPLACEMENT;
                    i += 1;
                    continue;
                }
                if (!(i + 2 < end && isContinuation(src[i + 2])))
                {
                    dst[k++] = REPLACEMENT;
                    i += 2;
                    continue;
                }
                dst[k++] = (char)(((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (src[i + 2] & 0x3F));
                i += 3;
                continue;
            }
            if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                final int b1 = i + 1 < end ? src[i + 1] & 0xFF : -1;
                final boolean second = switch (b0)
                {
                    case 0xF0 -> b1 >= 0x90 && b1 <= 0xBF;
                    case 0xF4 -> b1 >= 0x80 && b1 <= 0x8F;
                    default -> b1 >= 0x80 && b1 <= 0xBF;
                };
                if (!second)
                {
                    dst[k++] = REPLACEMENT;
                    i += 1;
                    continue;
                }
                if (!(i + 2 < end && isContinuation(src[i + 2])))
                {
                    dst[k++] = REPLACEMENT;
                    i += 2;
                    continue;
                }
                if (!(i + 3 < end && isContinuation(src[i + 3])))
                {
                    dst[k++] = REPLACEMENT;
                    i += 3;
                    continue;
                }
                final int cp = ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((src[i + 2] & 0x3F) << 6) | (src[i + 3] & 0x3F);
                dst[k++] = Character.highSurrogate(cp);
                dst[k++] = Character.lowSurrogate(cp);
                i += 4;
                continue;
            }
            // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF: never valid as a lead byte.
            dst[k++] = REPLACEMENT;
            i += 1;
        }
        return k;
    }

    private static boolean isContinuation(final byte b)
    {
        return (b & 0xC0) == 0x80;
    }
}
