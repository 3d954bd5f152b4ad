package dev.eab.core.guard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-literal search over UTF-8 bytes, Aho-Corasick style but small: the automaton is built over the first
 * {@link #PREFIX_BYTES} bytes of every string only, with ASCII case folding in its byte-class table, and a state
 * where some string's prefix ends lists those strings as candidates, whose remaining bytes are then compared in
 * place. So raw ASCII text is searched as it arrives (no lowercased copy), and the normalised UTF-8 of other text
 * the same way.
 *
 * <p>Why prefixes: the previous automaton over whole strings (~1,400 states × ~80 classes of ints, ~440 KB) did not
 * fit the L1 or L2 cache and cost ~4.5 ns per char in cache misses; over 4-byte prefixes the table is a few hundred
 * states of {@code char}s (tens of KB), and a candidate (a string's first four bytes seen) is rare in ordinary text.
 * States are numbered so that those with candidates come last: one compare tells whether to confirm. Rows are
 * premultiplied (no multiply on the chain).
 *
 * <p>Why four chains: the per-byte work is a chain of dependent loads (the next state needs the last), so one
 * automaton runs at the L1 load latency, leaving most of the core idle. A text of {@link #SPLIT_MIN_BYTES} or more
 * is cut in four quarters searched side by side in one loop (four independent chains); each quarter's chain starts
 * {@code PREFIX_BYTES} bytes early, so a string whose prefix crosses a cut is seen by the later chain (a
 * confirmation reads past its chain's quarter, up to the end of the text). The union of the outputs is the same as
 * one chain's. The impact-keyword steps ({@link ImpactKeywordFinder}), when asked for, run in the same
 * loop and fill its idle slots.
 *
 * <p>Matching bytes gives the same answer as matching the normalised chars: UTF-8 is self-synchronising, so a
 * well-formed literal occurs in well-formed text at a code-point boundary only. Immutable; {@link #scan} is
 * thread-safe (the keyword finder passed to it is the caller's).
 */
final class ByteLiteralMatcher
{
    /** Texts at least this long are searched by four chains. */
    static final int SPLIT_MIN_BYTES = 128;
    /** The automaton covers this many leading bytes of each string; the rest is compared in place. */
    static final int PREFIX_BYTES = 4;

    /** ASCII case folding for the in-place comparison (non-ASCII bytes compare as they are). */
    private static final byte[] FOLD = new byte[256];

    static
    {
        for (int b = 0; b < 256; b++)
        {
            FOLD[b] = (byte)(b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
    }

    /**
     * Byte → the bit of the one-byte string it is ({@link #singleStrings}), or 0. One-byte strings (digits and
     * punctuation that regex triggers need) are common in text: as automaton outputs they sent a quarter of all
     * bytes to {@link #confirm}; OR-ing this bit per byte costs one load and no branch.
     */
    private final long[] singleBit = new long[256];
    /** Single-byte string index (bit) → its string index in {@link #strings}. */
    private final int[] singleStrings;
    /** Byte (0..255) → its class; ASCII upper case maps to the lower case letter's class; 0 = in no prefix. */
    private final int[] byteClass = new int[256];
    private final int classCount;
    /** {@code next[row + class]}: the next state's row ({@code state * classCount}); row 0 is the root. */
    private final char[] next;
    /** Rows from here on belong to states with candidates. */
    private final int firstCandidateRow;
    /** {@code (row * rowToState) >>> 32} = row / classCount, exact for premultiplied rows (no division on a hit). */
    private final long rowToState;
    /** States before this one have no candidates; arrays below are indexed by {@code state - plainStates}. */
    private final int plainStates;
    /** Per candidate state: the family bits of the strings it completes outright (no longer than the prefix). */
    private final long[] directFamilies;
    /** Per candidate state: their condition bits, {@code words} words each. */
    private final long[] directConditions;
    /** Longer strings to confirm in place: {@code candidates[candidateStart[k] .. candidateStart[k + 1])}. */
    private final int[] candidateStart;
    private final int[] candidates;
    /** Per string: its bytes, its prefix length in the automaton, its family bits and its condition bits. */
    private final byte[][] strings;
    private final int[] prefixLength;
    private final long[] families;
    private final long[][] conditionBits;
    private final int words;

    /**
     * @param literals      distinct normalised strings (non-empty).
     * @param families      {@code families[i]}: the family bits of {@code literals.get(i)}.
     * @param conditionBits {@code conditionBits[i]}: the trigger conditions it meets ({@code words} words).
     * @param words         bitset words per string.
     */
    ByteLiteralMatcher(final List<String> literals, final long[] families, final long[][] conditionBits, final int words)
    {
        this.words = words;
        this.families = families.clone();
        this.conditionBits = conditionBits.clone();
        strings = new byte[literals.size()][];
        prefixLength = new int[literals.size()];
        final List<Integer> singles = new ArrayList<>();
        int cls = 1;
        for (int p = 0; p < literals.size(); p++)
        {
            strings[p] = literals.get(p).getBytes(StandardCharsets.UTF_8);
            if (strings[p].length == 1 && strings[p][0] >= 0 && singles.size() < Long.SIZE)
            {
                final int b = strings[p][0];
                singleBit[b] = 1L << singles.size();
                if (b >= 'a' && b <= 'z')
                {
                    singleBit[b - ('a' - 'A')] = singleBit[b];
                }
                singles.add(p);
                continue;
            }
            prefixLength[p] = Math.min(PREFIX_BYTES, strings[p].length);
            for (int k = 0; k < prefixLength[p]; k++)
            {
                final int x = strings[p][k] & 0xFF;
                if (byteClass[x] == 0)
                {
                    byteClass[x] = cls++;
                }
            }
        }
        singleStrings = singles.stream().mapToInt(Integer::intValue).toArray();
        // ASCII upper case folds onto lower case (the literals are normalised: they hold no upper case ASCII).
        for (int c = 'A'; c <= 'Z'; c++)
        {
            byteClass[c] = byteClass[c + ('a' - 'A')];
        }
        classCount = cls;

        final List<Map<Integer, Integer>> trie = new ArrayList<>();
        final List<List<Integer>> own = new ArrayList<>();
        trie.add(new HashMap<>());
        own.add(new ArrayList<>());
        for (int p = 0; p < strings.length; p++)
        {
            if (prefixLength[p] == 0)
            {
                continue; // a one-byte string: singleBit
            }
            int state = 0;
            for (int k = 0; k < prefixLength[p]; k++)
            {
                final int c = byteClass[strings[p][k] & 0xFF];
                Integer to = trie.get(state).get(c);
                if (to == null)
                {
                    to = trie.size();
                    trie.get(state).put(c, to);
                    trie.add(new HashMap<>());
                    own.add(new ArrayList<>());
                }
                state = to;
            }
            own.get(state).add(p);
        }

        // Breadth-first: failure links folded into a complete transition table, candidates along the failure chain.
        final int states = trie.size();
        final int[] byState = new int[states * classCount];
        final List<List<Integer>> all = new ArrayList<>();
        for (int s = 0; s < states; s++)
        {
            all.add(new ArrayList<>());
        }
        final int[] fail = new int[states];
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classCount; c++)
        {
            final Integer to = trie.get(0).get(c);
            if (to != null)
            {
                byState[c] = to;
                queue.add(to);
            }
        }
        while (!queue.isEmpty())
        {
            final int s = queue.poll();
            all.get(s).addAll(own.get(s));
            all.get(s).addAll(all.get(fail[s]));
            for (int c = 0; c < classCount; c++)
            {
                final Integer to = trie.get(s).get(c);
                if (to != null)
                {
                    fail[to] = byState[fail[s] * classCount + c];
                    byState[s * classCount + c] = to;
                    queue.add(to);
                }
                else
                {
                    byState[s * classCount + c] = byState[fail[s] * classCount + c];
                }
            }
        }
        // Renumber: the root first, states without candidates, then those with candidates.
        final int[] order = new int[states];
        final int[] position = new int[states];
        int n = 0;
        for (int s = 0; s < states; s++)
        {
            if (all.get(s).isEmpty())
            {
                order[n++] = s;
            }
        }
        final int plain = n;
        for (int s = 0; s < states; s++)
        {
            if (!all.get(s).isEmpty())
            {
                order[n++] = s;
            }
        }
        for (int k = 0; k < states; k++)
        {
            position[order[k]] = k;
        }
        if ((long)states * classCount > Character.MAX_VALUE + 1L)
        {
            throw new IllegalArgumentException("too many literal prefixes for the scanner's automaton: " + states + " states × " +
                classCount + " byte classes");
        }
        next = new char[states * classCount];
        for (int k = 0; k < states; k++)
        {
            for (int c = 0; c < classCount; c++)
            {
                next[k * classCount + c] = (char)(position[byState[order[k] * classCount + c]] * classCount);
            }
        }
        plainStates = plain;
        final int withCandidates = states - plain;
        directFamilies = new long[withCandidates];
        directConditions = new long[withCandidates * words];
        candidateStart = new int[withCandidates + 1];
        final List<Integer> longer = new ArrayList<>();
        for (int k = 0; k < withCandidates; k++)
        {
            candidateStart[k] = longer.size();
            for (final int p : all.get(order[plain + k]))
            {
                if (strings[p].length > prefixLength[p])
                {
                    longer.add(p);
                }
                else
                {
                    directFamilies[k] |= families[p];
                    for (int w = 0; w < words; w++)
                    {
                        directConditions[k * words + w] |= conditionBits[p][w];
                    }
                }
            }
        }
        candidateStart[withCandidates] = longer.size();
        candidates = longer.stream().mapToInt(Integer::intValue).toArray();
        rowToState = (1L << 32) / classCount + 1;
        for (int k = 0; k < states; k++)
        {
            if ((int)(((long)k * classCount * rowToState) >>> 32) != k)
            {
                throw new IllegalStateException("row to state reciprocal is not exact at state " + k);
            }
        }
        firstCandidateRow = plain * classCount;
    }

    /**
     * Searches {@code text[off, off + len)}.
     *
     * @param triggered the trigger conditions met are added here ({@code words} words).
     * @param keywords  when not null, its steps run over the same text in the same loop ({@link ImpactKeywordFinder#reset}
     *                  is the caller's).
     * @return the family bits of the literals found.
     */
    long scan(final byte[] text, final int off, final int len, final long[] triggered, final ImpactKeywordFinder keywords)
    {
        final int end = off + len;
        if (len < SPLIT_MIN_BYTES)
        {
            return continueChain(text, off, 0, off, end, end, triggered, keywords);
        }
        // Four chains over four quarters: chain k starts PREFIX_BYTES bytes before its quarter (an even distance, so
        // the keyword steps keep find's parity), and runs to the next quarter's start (the last one to the end).
        final int q = (len >>> 2) & ~1;
        final int back = PREFIX_BYTES + (PREFIX_BYTES & 1);
        final int c1 = off + q;
        final int c2 = c1 + q;
        final int c3 = c2 + q;
        final char[] next = this.next;
        final int[] byteClass = this.byteClass;
        final int hits = firstCandidateRow;
        final long[] singleBit = this.singleBit;
        long singles = 0;
        long mask = 0;
        int s0 = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        final int d1 = c1 - back - off;
        final int d2 = c2 - back - off;
        final int d3 = c3 - back - off;
        for (int i = off; i < c1; i++)
        {
            if (keywords != null && ((i - off) & 1) == 0)
            {
                keywords.at(text, i, off, end);
                keywords.at(text, i + d1, off, end);
                keywords.at(text, i + d2, off, end);
                keywords.at(text, i + d3, off, end);
            }
            final int b0 = text[i] & 0xFF;
            final int b1 = text[i + d1] & 0xFF;
            final int b2 = text[i + d2] & 0xFF;
            final int b3 = text[i + d3] & 0xFF;
            singles |= singleBit[b0] | singleBit[b1] | singleBit[b2] | singleBit[b3];
            s0 = next[s0 + byteClass[b0]];
            s1 = next[s1 + byteClass[b1]];
            s2 = next[s2 + byteClass[b2]];
            s3 = next[s3 + byteClass[b3]];
            if ((s0 | s1 | s2 | s3) >= hits)
            {
                // Rare: one of them reached a state with candidates.
                if (s0 >= hits)
                {
                    mask |= confirm(s0, text, i, end, triggered);
                }
                if (s1 >= hits)
                {
                    mask |= confirm(s1, text, i + d1, end, triggered);
                }
                if (s2 >= hits)
                {
                    mask |= confirm(s2, text, i + d2, end, triggered);
                }
                if (s3 >= hits)
                {
                    mask |= confirm(s3, text, i + d3, end, triggered);
                }
            }
        }
        mask |= singles(singles, triggered);
        mask |= continueChain(text, c1 + d1, s1, off, c2, end, triggered, keywords);
        mask |= continueChain(text, c1 + d2, s2, off, c3, end, triggered, keywords);
        return mask | continueChain(text, c1 + d3, s3, off, end, end, triggered, keywords);
    }

    /**
     * Runs one chain from {@code state} at {@code from} to {@code to}, with the keyword steps at even offsets;
     * {@code end} is the text's end (confirmations may read up to it).
     */
    private long continueChain(final byte[] text, final int from, final int state, final int off, final int to, final int end,
        final long[] triggered, final ImpactKeywordFinder keywords)
    {
        final char[] next = this.next;
        final int[] byteClass = this.byteClass;
        final int hits = firstCandidateRow;
        final long[] singleBit = this.singleBit;
        long singles = 0;
        long mask = 0;
        int s = state;
        for (int i = from; i < to; i++)
        {
            if (keywords != null && ((i - off) & 1) == 0)
            {
                keywords.at(text, i, off, end);
            }
            final int b = text[i] & 0xFF;
            singles |= singleBit[b];
            s = next[s + byteClass[b]];
            if (s >= hits)
            {
                mask |= confirm(s, text, i, end, triggered);
            }
        }
        return mask | singles(singles, triggered);
    }

    /**
     * The candidates of the state at {@code row}, reached with the byte at {@code last}: the strings it completes
     * outright, and each longer string whose prefix ends there and whose remaining bytes follow in the text.
     *
     * @return their family bits; their condition bits are added to {@code triggered}.
     */
    private long confirm(final int row, final byte[] text, final int last, final int end, final long[] triggered)
    {
        final int k = (int)((row * rowToState) >>> 32) - plainStates;
        long mask = directFamilies[k];
        for (int w = 0, base = k * words; w < words; w++)
        {
            triggered[w] |= directConditions[base + w];
        }
        for (int c = candidateStart[k], stop = candidateStart[k + 1]; c < stop; c++)
        {
            final int p = candidates[c];
            final byte[] s = strings[p];
            final int start = last + 1 - prefixLength[p];
            if (start + s.length > end || !restMatches(text, start, s, prefixLength[p]))
            {
                continue;
            }
            mask |= families[p];
            final long[] bits = conditionBits[p];
            for (int w = 0; w < words; w++)
            {
                triggered[w] |= bits[w];
            }
        }
        return mask;
    }

    /** @return the family bits of the one-byte strings in {@code found}; their condition bits go to {@code triggered}. */
    private long singles(final long found, final long[] triggered)
    {
        long mask = 0;
        for (long m = found; m != 0; m &= m - 1)
        {
            final int p = singleStrings[Long.numberOfTrailingZeros(m)];
            mask |= families[p];
            final long[] bits = conditionBits[p];
            for (int w = 0; w < words; w++)
            {
                triggered[w] |= bits[w];
            }
        }
        return mask;
    }

    private static boolean restMatches(final byte[] text, final int start, final byte[] s, final int from)
    {
        for (int k = from; k < s.length; k++)
        {
            if (FOLD[text[start + k] & 0xFF] != s[k])
            {
                return false;
            }
        }
        return true;
    }
}
