package dev.eab.core.guard;

import dev.eab.api.KeywordMatching;
import dev.eab.core.governance.ImpactKeywords;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * <b>Benchmark baseline only</b>: {@code FingerprintLiteralMatcher} as it was at stop 9, kept so that
 * {@code JavaScanBenchmark} and {@code JavaScanTiming} measure it beside the current engine in the same run. Not used by
 * the bus.
 *
 * <p>Multi-string search over UTF-8 bytes by a fingerprint filter (the Java twin of Rust's {@code FingerprintFilter} in
 * {@code guard_search.rs}; issue 8 §1). At every position the four bytes there are read as one little-endian int,
 * ASCII-folded by OR-ing {@code 0x20} into every byte, hashed by one multiplication (top {@value #HASH_BITS} bits) and
 * looked up in a byte table ({@value #FILTER_BYTES} bytes, in L1) that marks the hash of one 4-byte window of every
 * string in the pass; eight positions are tested before one branch. Only at a set entry are the strings whose window has
 * that exact folded value compared in place (ASCII-folded, as {@link ByteLiteralMatcher} does).
 *
 * <p>Why: the byte automaton it replaces is a chain of dependent loads (each state needs the last), about 2.3 µs of
 * CPU per KB on the dev VM even with four chains side by side; here the positions are independent, so the loop runs
 * at the core's throughput, and the table is 32 KB instead of ~80 KB. Measured in {@code JavaScanTiming}.
 *
 * <p>What is searched where (every string keeps exactly the meaning it had; only <i>when</i> a trigger string is looked
 * for changes):
 * <ul>
 *   <li>literals, and the strings of each regex's <i>eager</i> condition (chosen by the scanner): four bytes or more by
 *   their rarest-looking 4-byte window in the filter; three bytes under all 256 fourth bytes;</li>
 *   <li>one-byte strings: a per-byte OR from a 256-entry table, no branch (as before);</li>
 *   <li>two-byte literals: searched after the pass (the shipped set has none);</li>
 *   <li>every other trigger string ({@code "you"}, {@code "open"}, {@code "or"}, {@code ".."}, ...): not in the pass at
 *   all. Common words would send many positions to confirmation; a regex condition made of them is instead resolved
 *   <i>lazily</i> ({@link #lazyHolds}), only once every condition of that regex the pass decided holds, by a direct
 *   search of the text, skipped when the string's rarest non-letter byte (a <i>gate</i>, from the per-byte table) is
 *   absent. A condition then holds exactly when it did before: verdicts cannot change
 *   ({@code FingerprintMatcherDifferentialTest} holds it to {@link ByteLiteralMatcher} over generated texts).</li>
 * </ul>
 * With a {@link KeywordMatching}, the impact scorer's 28 keywords are more windows of the same filter (each keyword's
 * first four bytes), so {@link ImpactKeywords#find}'s answer comes out of this pass: every occurrence is found, and
 * when more than {@link ImpactKeywords#SATURATION_COUNT} distinct keywords occur (which five {@code find} keeps
 * depends on its order) the caller runs {@code find} itself ({@link #keywordsFound()}).
 *
 * <p>Single writer: the scanning thread that owns the enclosing {@link JavaContentScanner} (the per-scan state below
 * is reused). The tables are immutable.
 */
final class Stop9FingerprintLiteralMatcher
{
    /** Hash bits: the filter has 2^15 entries of a byte (32 KB, within the L1 data cache of the dev VM's cores). */
    static final int HASH_BITS = 15;
    static final int FILTER_BYTES = 1 << HASH_BITS;
    private static final int HASH_SHIFT = Integer.SIZE - HASH_BITS;
    /** Entries are grouped by the top bits of their hash (about one entry per group). */
    private static final int BUCKET_SHIFT = 5;
    /** Knuth's multiplicative constant (the Rust filter's). */
    private static final int HASH_MULTIPLIER = 0x9E3779B1;
    private static final int ASCII_FOLD = 0x20202020;
    private static final int WINDOW_BYTES = Integer.BYTES;
    /** Positions tested per branch. */
    private static final int BLOCK = 8;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LANE_ONES = 0x0101010101010101L;
    private static final long LANE_LOW7 = 0x7F7F7F7F7F7F7F7FL;
    /** OR-ed into a lane compared with a lowercase letter: ASCII upper case matches too (and nothing else does). */
    private static final long LANE_FOLD = 0x2020202020202020L;

    /** ASCII case folding for the in-place comparison (non-ASCII bytes compare as they are). */
    private static final byte[] FOLD = new byte[256];
    /** English letter frequency order (most common first), for choosing a string's rarest window. */
    private static final String LETTERS_BY_FREQUENCY = "etaoinsrhldcumfpgwybvkxjqz";

    static
    {
        for (int b = 0; b < 256; b++)
        {
            FOLD[b] = (byte)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
    }

    // ------------------------------------------------------------------ immutable tables

    /** Entry h is 1 when some window hashes to h: a byte each, so the loop ORs loads and shifts nothing. */
    private final byte[] filter = new byte[1 << HASH_BITS];
    /** Windows of bucket b ({@code h >>> BUCKET_SHIFT}): {@code entry*[bucketStart[b] .. bucketStart[b + 1])}. */
    private final int[] bucketStart = new int[(1 << HASH_BITS >>> BUCKET_SHIFT) + 1];
    /** Per entry: the folded window, and what it stands for: a string index (≥ 0) or a keyword (-1 - k). */
    private final int[] entryWindow;
    private final int[] entryOwner;
    /** Per entry: the window's offset in its string (the string starts that many bytes before the position). */
    private final int[] entryOffset;

    /** Per string: its bytes, family bits and condition bits. */
    private final byte[][] strings;
    private final long[] families;
    private final long[][] conditionBits;
    private final int words;

    /** Byte → the bits of the one-byte strings it is (low bits) and of the gates it is (high bits). */
    private final long[] singleBit = new long[256];
    /** One-byte string bit → its string index. */
    private final int[] singleStrings;
    /** Strings searched after the pass (two-byte literals; one-byte strings beyond 64). */
    private final int[] afterPass;
    /** Three-byte strings in the filter (checked at the text's last three positions, where no whole window is). */
    private final int[] threeByte;

    /** Lazy strings, by lazy index: the string index, and the gate bit (0: no gate, always search). */
    private final int[] lazyString;
    private final long[] lazyGate;
    /** Per condition: its lazy strings, {@code lazyOfCondition[lazyStart[c] .. lazyStart[c + 1])}. */
    private final int[] lazyStart;
    private final int[] lazyOfCondition;

    /** Keywords: their bytes, and the matching mode (null: keywords not searched). */
    private final byte[][] keywordBytes;
    private final boolean wordMode;

    // ------------------------------------------------------------------ per-scan state (single writer)

    private long singlesFound;
    private int keywordsFound;
    /** Lazy strings already searched in this scan, and those found. */
    private final long[] lazySearched;
    private final long[] lazyFound;

    /**
     * @param literals      distinct normalised strings (non-empty).
     * @param families      {@code families[i]}: the family bits of {@code literals.get(i)} (0: a trigger only).
     * @param conditionBits {@code conditionBits[i]}: the trigger conditions it meets ({@code words} words).
     * @param words         bitset words per string.
     * @param conditions    the number of trigger conditions.
     * @param eager         the trigger strings to search in the pass (each regex's eager condition); the other trigger
     *                      strings of two bytes or more are lazy ({@link #lazyHolds}). Literals are always in the pass.
     * @param keywordMatching when not null, the impact keywords are searched too, in this mode.
     */
    Stop9FingerprintLiteralMatcher(final List<String> literals, final long[] families, final long[][] conditionBits, final int words,
        final int conditions, final Set<String> eager, final KeywordMatching keywordMatching)
    {
        this.words = words;
        this.families = families.clone();
        this.conditionBits = conditionBits.clone();
        strings = new byte[literals.size()][];
        final List<Integer> singles = new ArrayList<>();
        final List<Integer> after = new ArrayList<>();
        final List<Integer> three = new ArrayList<>();
        final List<Integer> lazy = new ArrayList<>();
        final List<int[]> entries = new ArrayList<>(); // {window, owner, offset}
        for (int p = 0; p < strings.length; p++)
        {
            final byte[] s = literals.get(p).getBytes(StandardCharsets.UTF_8);
            strings[p] = s;
            final boolean literal = families[p] != 0;
            final boolean inPass = literal || eager.contains(literals.get(p));
            if (s.length == 1)
            {
                if (singles.size() < Long.SIZE)
                {
                    singles.add(p);
                }
                else
                {
                    after.add(p);
                }
            }
            else if (s.length >= WINDOW_BYTES && inPass)
            {
                final int o = rarestWindow(s);
                entries.add(new int[] {fold((int)INT_LE.get(s, o)), p, o});
            }
            else if (s.length == 3 && inPass)
            {
                three.add(p);
                for (int b = 0; b < 256; b++)
                {
                    final int w = fold((s[0] & 0xFF) | (s[1] & 0xFF) << 8 | (s[2] & 0xFF) << 16 | b << 24);
                    if ((b | 0x20) == b)
                    {
                        entries.add(new int[] {w, p, 0}); // b and b | 0x20 fold alike: one entry
                    }
                }
            }
            else if (literal)
            {
                after.add(p);
            }
            else
            {
                lazy.add(p);
            }
        }
        singleStrings = singles.stream().mapToInt(Integer::intValue).toArray();
        for (int k = 0; k < singleStrings.length; k++)
        {
            final int b = strings[singleStrings[k]][0] & 0xFF;
            singleBit[b] |= 1L << k;
            if (b >= 'a' && b <= 'z')
            {
                singleBit[b - ('a' - 'A')] |= 1L << k;
            }
        }
        afterPass = after.stream().mapToInt(Integer::intValue).toArray();
        threeByte = three.stream().mapToInt(Integer::intValue).toArray();

        // Lazy strings: a gate byte each where one is free (a bit the one-byte strings left).
        lazyString = lazy.stream().mapToInt(Integer::intValue).toArray();
        lazyGate = new long[lazyString.length];
        int nextGate = singleStrings.length;
        for (int l = 0; l < lazyString.length; l++)
        {
            final int g = gateByte(strings[lazyString[l]]);
            if (g < 0)
            {
                continue;
            }
            // A byte that already has a bit (a one-byte string, or another string's gate) shares it.
            if (singleBit[g] != 0)
            {
                lazyGate[l] = Long.lowestOneBit(singleBit[g]);
            }
            else if (nextGate < Long.SIZE)
            {
                lazyGate[l] = 1L << nextGate++;
                singleBit[g] |= lazyGate[l];
            }
        }
        final List<List<Integer>> byCondition = new ArrayList<>();
        for (int c = 0; c < conditions; c++)
        {
            byCondition.add(new ArrayList<>());
        }
        for (int l = 0; l < lazyString.length; l++)
        {
            final long[] bits = conditionBits[lazyString[l]];
            for (int c = 0; c < conditions; c++)
            {
                if ((bits[c >>> 6] >>> c & 1) != 0)
                {
                    byCondition.get(c).add(l);
                }
            }
        }
        lazyStart = new int[conditions + 1];
        final List<Integer> flat = new ArrayList<>();
        for (int c = 0; c < conditions; c++)
        {
            lazyStart[c] = flat.size();
            flat.addAll(byCondition.get(c));
        }
        lazyStart[conditions] = flat.size();
        lazyOfCondition = flat.stream().mapToInt(Integer::intValue).toArray();
        lazySearched = new long[(lazyString.length + 63) / 64];
        lazyFound = new long[lazySearched.length];

        // Keywords: their first four bytes (find's matches start anywhere; all keywords have four letters or more).
        wordMode = keywordMatching == KeywordMatching.WORD;
        if (keywordMatching != null)
        {
            keywordBytes = new byte[ImpactKeywords.KEYWORDS.length][];
            for (int k = 0; k < keywordBytes.length; k++)
            {
                keywordBytes[k] = ImpactKeywords.KEYWORDS[k].getBytes(StandardCharsets.US_ASCII);
                entries.add(new int[] {fold((int)INT_LE.get(keywordBytes[k], 0)), -1 - k, 0});
            }
        }
        else
        {
            keywordBytes = null;
        }

        // Entries by filter word, so a hit reads one short run.
        entries.sort((a, b) -> Integer.compare(hash(a[0]) >>> BUCKET_SHIFT, hash(b[0]) >>> BUCKET_SHIFT));
        entryWindow = new int[entries.size()];
        entryOwner = new int[entries.size()];
        entryOffset = new int[entries.size()];
        for (int e = 0; e < entries.size(); e++)
        {
            final int[] x = entries.get(e);
            entryWindow[e] = x[0];
            entryOwner[e] = x[1];
            entryOffset[e] = x[2];
            filter[hash(x[0])] = 1;
        }
        int e = 0;
        for (int b = 0; b < bucketStart.length; b++)
        {
            bucketStart[b] = e;
            while (e < entryWindow.length && hash(entryWindow[e]) >>> BUCKET_SHIFT == b)
            {
                e++;
            }
        }
    }

    private static int fold(final int window)
    {
        return window | ASCII_FOLD;
    }

    private static int hash(final int folded)
    {
        return (folded * HASH_MULTIPLIER) >>> HASH_SHIFT;
    }

    /** @return the offset of {@code s}'s 4-byte window least likely in ordinary text (letters by English frequency). */
    private static int rarestWindow(final byte[] s)
    {
        int best = 0;
        int bestScore = Integer.MAX_VALUE;
        for (int o = 0; o + WINDOW_BYTES <= s.length; o++)
        {
            int score = 0;
            for (int k = o; k < o + WINDOW_BYTES; k++)
            {
                score += commonness(s[k]);
            }
            if (score < bestScore)
            {
                bestScore = score;
                best = o;
            }
        }
        return best;
    }

    private static int commonness(final byte b)
    {
        final int c = FOLD[b & 0xFF];
        if (c == ' ')
        {
            return 30;
        }
        final int f = LETTERS_BY_FREQUENCY.indexOf(c);
        return f >= 0 ? 26 - f : 2;
    }

    /** @return the rarest non-letter byte of {@code s} (its gate), or -1 when it has only letters. */
    private static int gateByte(final byte[] s)
    {
        int best = -1;
        for (final byte x : s)
        {
            final int b = x & 0xFF;
            if ((FOLD[b] >= 'a' && FOLD[b] <= 'z') || b == ' ')
            {
                continue;
            }
            // Prefer a non-ASCII lead byte or markup over prose punctuation (".", "-", "/").
            if (best < 0 || gateRank(b) > gateRank(best))
            {
                best = b;
            }
        }
        return best;
    }

    private static int gateRank(final int b)
    {
        return b >= 0x80 ? 3 : ".,-/'\"()".indexOf(b) >= 0 ? 1 : 2;
    }

    // ------------------------------------------------------------------ the pass

    /**
     * Searches {@code text[off, off + len)} for every string but the lazy ones (and for the impact keywords when
     * asked for at construction; read them from {@link #keywordsFound()}).
     *
     * @param triggered the trigger conditions met are added here ({@code words} words).
     * @return the family bits of the literals found.
     */
    long scan(final byte[] text, final int off, final int len, final long[] triggered)
    {
        final int end = off + len;
        Arrays.fill(lazySearched, 0L);
        keywordsFound = 0;
        final long[] singleBit = this.singleBit;
        final byte[] filter = this.filter;
        long singles = 0;
        long mask = 0;
        int i = off;
        // Last position with a whole window.
        final int last = end - WINDOW_BYTES;
        for (; i <= last - (BLOCK - 1); i += BLOCK)
        {
            final int r0 = (int)INT_LE.get(text, i);
            final int r1 = (int)INT_LE.get(text, i + 1);
            final int r2 = (int)INT_LE.get(text, i + 2);
            final int r3 = (int)INT_LE.get(text, i + 3);
            final int r4 = (int)INT_LE.get(text, i + 4);
            final int r5 = (int)INT_LE.get(text, i + 5);
            final int r6 = (int)INT_LE.get(text, i + 6);
            final int r7 = (int)INT_LE.get(text, i + 7);
            final int h0 = ((r0 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h1 = ((r1 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h2 = ((r2 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h3 = ((r3 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h4 = ((r4 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h5 = ((r5 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h6 = ((r6 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            final int h7 = ((r7 | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
            if ((filter[h0] | filter[h1] | filter[h2] | filter[h3] | filter[h4] | filter[h5] | filter[h6] | filter[h7]) != 0)
            {
                // Rare: confirm the positions whose entry is set (their hashes are still at hand).
                mask |= filter[h0] == 0 ? 0 : confirm(text, i, h0, off, end, triggered);
                mask |= filter[h1] == 0 ? 0 : confirm(text, i + 1, h1, off, end, triggered);
                mask |= filter[h2] == 0 ? 0 : confirm(text, i + 2, h2, off, end, triggered);
                mask |= filter[h3] == 0 ? 0 : confirm(text, i + 3, h3, off, end, triggered);
                mask |= filter[h4] == 0 ? 0 : confirm(text, i + 4, h4, off, end, triggered);
                mask |= filter[h5] == 0 ? 0 : confirm(text, i + 5, h5, off, end, triggered);
                mask |= filter[h6] == 0 ? 0 : confirm(text, i + 6, h6, off, end, triggered);
                mask |= filter[h7] == 0 ? 0 : confirm(text, i + 7, h7, off, end, triggered);
            }
        }
        for (; i <= last; i++)
        {
            mask |= position(text, i, off, end, triggered);
        }
        // The one-byte strings in a loop of their own: fused into the window loop they cost more than apart (registers).
        for (int t = off; t < end; t++)
        {
            singles |= singleBit[text[t] & 0xFF];
        }
        // A three-byte string ending the text (no whole window starts in the last three bytes).
        if (len >= 3)
        {
            for (final int p : threeByte)
            {
                if (matchesAt(text, end - 3, end, strings[p]))
                {
                    mask |= found(p, triggered);
                }
            }
        }
        singlesFound = singles;
        for (long m = singles & singleMask(); m != 0; m &= m - 1)
        {
            mask |= found(singleStrings[Long.numberOfTrailingZeros(m)], triggered);
        }
        for (final int p : afterPass)
        {
            if (contains(text, off, end, strings[p]))
            {
                mask |= found(p, triggered);
            }
        }
        return mask;
    }

    private long singleMask()
    {
        return singleStrings.length == Long.SIZE ? -1L : (1L << singleStrings.length) - 1;
    }

    /** Confirms the window at {@code i} (whole: {@code i + 4 <= end}) if its filter entry is set. */
    private long position(final byte[] text, final int i, final int off, final int end, final long[] triggered)
    {
        final int h = (((int)INT_LE.get(text, i) | ASCII_FOLD) * HASH_MULTIPLIER) >>> HASH_SHIFT;
        return filter[h] == 0 ? 0 : confirm(text, i, h, off, end, triggered);
    }

    /** Compares the entries of hash {@code h} with the window at {@code i}, and confirms those equal to it in place. */
    private long confirm(final byte[] text, final int i, final int h, final int off, final int end, final long[] triggered)
    {
        final int w = (int)INT_LE.get(text, i) | ASCII_FOLD;
        long mask = 0;
        for (int e = bucketStart[h >>> BUCKET_SHIFT], stop = bucketStart[(h >>> BUCKET_SHIFT) + 1]; e < stop; e++)
        {
            if (entryWindow[e] != w)
            {
                continue;
            }
            final int owner = entryOwner[e];
            final int start = i - entryOffset[e];
            if (owner >= 0)
            {
                if (start >= off && matchesAt(text, start, end, strings[owner]))
                {
                    mask |= found(owner, triggered);
                }
            }
            else
            {
                keyword(text, start, off, end, -1 - owner);
            }
        }
        return mask;
    }

    private void keyword(final byte[] text, final int at, final int off, final int end, final int k)
    {
        if ((keywordsFound >>> k & 1) == 0 && (!wordMode || at == off || !ImpactKeywords.isAsciiAlnum(text[at - 1])) &&
            ImpactKeywords.matches(text, at, end, keywordBytes[k]))
        {
            keywordsFound |= 1 << k;
        }
    }

    private long found(final int p, final long[] triggered)
    {
        final long[] bits = conditionBits[p];
        for (int w = 0; w < words; w++)
        {
            triggered[w] |= bits[w];
        }
        return families[p];
    }

    /**
     * The impact keywords the last {@link #scan} found: every keyword that occurs (in the construction's mode), as a
     * bit mask. When more than {@link ImpactKeywords#SATURATION_COUNT} bits are set, {@link ImpactKeywords#find} keeps
     * five by its own order: the caller asks it.
     */
    int keywordsFound()
    {
        return keywordsFound;
    }

    // ------------------------------------------------------------------ lazy conditions

    /** @return whether condition {@code c} has lazy strings (so {@link #lazyHolds} may still find it true). */
    boolean hasLazy(final int c)
    {
        return lazyStart[c] != lazyStart[c + 1];
    }

    /**
     * Whether one of condition {@code c}'s lazy strings occurs in the text the last {@link #scan} searched (the same
     * bytes must be passed). Each lazy string is searched at most once per scan, and not at all when its gate byte
     * is absent.
     */
    boolean lazyHolds(final int c, final byte[] text, final int off, final int len)
    {
        for (int x = lazyStart[c], stop = lazyStart[c + 1]; x < stop; x++)
        {
            final int l = lazyOfCondition[x];
            final long bit = 1L << l;
            if ((lazySearched[l >>> 6] & bit) == 0)
            {
                lazySearched[l >>> 6] |= bit;
                final long gate = lazyGate[l];
                if ((gate == 0 || (singlesFound & gate) != 0) && contains(text, off, off + len, strings[lazyString[l]]))
                {
                    lazyFound[l >>> 6] |= bit;
                }
                else
                {
                    lazyFound[l >>> 6] &= ~bit;
                }
            }
            if ((lazyFound[l >>> 6] & bit) != 0)
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ comparisons

    private static boolean matchesAt(final byte[] text, final int start, final int end, final byte[] s)
    {
        if (start + s.length > end)
        {
            return false;
        }
        for (int k = 0; k < s.length; k++)
        {
            if (FOLD[text[start + k] & 0xFF] != s[k])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return whether {@code s} (normalised: lowercase, two bytes or more) occurs in {@code text[off, end)}, ASCII case
     * folded. Eight positions at a time: the lanes where the first two bytes match (exact per byte, no carries between
     * lanes) are confirmed in place.
     */
    static boolean contains(final byte[] text, final int off, final int end, final byte[] s)
    {
        if (s.length < 2)
        {
            return s.length == 1 && containsByte(text, off, end, s[0]);
        }
        final long fold0 = isLower(s[0]) ? LANE_FOLD : 0L;
        final long fold1 = isLower(s[1]) ? LANE_FOLD : 0L;
        final long b0 = (s[0] & 0xFFL) * LANE_ONES;
        final long b1 = (s[1] & 0xFFL) * LANE_ONES;
        int i = off;
        for (final int stop = end - Long.BYTES - 1; i <= stop; i += Long.BYTES)
        {
            final long both = equalLanes(((long)LONG_LE.get(text, i) | fold0) ^ b0) & equalLanes(((long)LONG_LE.get(text, i + 1) | fold1) ^ b1);
            for (long m = both; m != 0; m &= m - 1)
            {
                if (matchesAt(text, i + (Long.numberOfTrailingZeros(m) >>> 3), end, s))
                {
                    return true;
                }
            }
        }
        for (final int stop = end - s.length; i <= stop; i++)
        {
            if (FOLD[text[i] & 0xFF] == s[0] && matchesAt(text, i, end, s))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean containsByte(final byte[] text, final int off, final int end, final byte b)
    {
        for (int i = off; i < end; i++)
        {
            if (FOLD[text[i] & 0xFF] == b)
            {
                return true;
            }
        }
        return false;
    }

    /** @return 0x80 in each lane of {@code v} that is zero, 0 elsewhere (exact: no borrow crosses a lane). */
    private static long equalLanes(final long v)
    {
        return ~(((v & LANE_LOW7) + LANE_LOW7) | v | LANE_LOW7);
    }

    private static boolean isLower(final byte b)
    {
        return b >= 'a' && b <= 'z';
    }
}
