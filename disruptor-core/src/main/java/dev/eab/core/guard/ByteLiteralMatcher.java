package dev.eab.core.guard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-literal search over UTF-8 bytes: the Aho-Corasick automaton of {@link LiteralMatcher}, on bytes, with ASCII
 * case folding built into its byte-class table, so raw ASCII text is searched as it arrives (no lowercased copy)
 * and the normalised UTF-8 of other text the same way. Each byte costs one class read and one table read; the
 * table holds premultiplied row offsets (no multiply on the chain) and marks targets with an output by sign.
 *
 * <p>Why two chains: the per-byte work is a chain of dependent loads (the next state needs the last), so one
 * automaton runs at the L1 load latency, leaving most of the core idle. A text of {@link #SPLIT_MIN_BYTES} or more
 * is cut in two halves searched side by side in one loop (two independent chains, twice the throughput); the
 * second half starts {@code longest - 1} bytes early, so an occurrence that crosses the cut is seen whole by the
 * second chain. The union of the outputs is the same as one chain's. The impact-keyword steps
 * ({@link ImpactKeywordFinder}), when asked for, run in the same loop and fill its idle slots.
 *
 * <p>Matching bytes gives the same answer as {@link LiteralMatcher} on chars: UTF-8 is self-synchronising, so a
 * well-formed literal occurs in well-formed text at a code-point boundary only. Immutable; {@link #scan} is
 * thread-safe (the keyword finder passed to it is the caller's).
 */
final class ByteLiteralMatcher
{
    /** Texts at least this long (and at least four longest literals) are searched by two chains. */
    static final int SPLIT_MIN_BYTES = 192;

    /** Byte (0..255) → its class; ASCII upper case maps to the lower case letter's class; 0 = in no literal. */
    private final int[] byteClass = new int[256];
    private final int classCount;
    /**
     * {@code next[row + class]}: the next state's row ({@code state * classCount}), stored as {@code -row - 1} when that
     * state has an output. Row 0 is the root.
     */
    private final int[] next;
    /** Per state: the families whose literal ends there (or, through failure links, inside). */
    private final long[] output;
    private final int words;
    /** {@code regexOutput[state * words + w]}: trigger conditions met at each state. */
    private final long[] regexOutput;
    /** Longest literal, in bytes. */
    private final int longest;

    /**
     * @param literals      distinct normalised strings (non-empty).
     * @param families      {@code families[i]}: the family bits of {@code literals.get(i)}.
     * @param conditionBits {@code conditionBits[i]}: the trigger conditions it meets ({@code words} words).
     * @param words         bitset words per string.
     */
    ByteLiteralMatcher(final List<String> literals, final long[] families, final long[][] conditionBits, final int words)
    {
        this.words = words;
        final List<byte[]> bytes = new ArrayList<>();
        int max = 1;
        int cls = 1;
        for (final String lit : literals)
        {
            final byte[] b = lit.getBytes(StandardCharsets.UTF_8);
            bytes.add(b);
            max = Math.max(max, b.length);
            for (final byte x : b)
            {
                if (byteClass[x & 0xFF] == 0)
                {
                    byteClass[x & 0xFF] = cls++;
                }
            }
        }
        // ASCII upper case folds onto lower case (the literals are normalised: they hold no upper case ASCII).
        for (int c = 'A'; c <= 'Z'; c++)
        {
            byteClass[c] = byteClass[c + ('a' - 'A')];
        }
        longest = max;
        classCount = cls;

        final List<Map<Integer, Integer>> trie = new ArrayList<>();
        final List<Long> out = new ArrayList<>();
        final List<long[]> outRegex = new ArrayList<>();
        trie.add(new HashMap<>());
        out.add(0L);
        outRegex.add(new long[words]);
        for (int p = 0; p < bytes.size(); p++)
        {
            int state = 0;
            for (final byte x : bytes.get(p))
            {
                final int c = byteClass[x & 0xFF];
                Integer to = trie.get(state).get(c);
                if (to == null)
                {
                    to = trie.size();
                    trie.get(state).put(c, to);
                    trie.add(new HashMap<>());
                    out.add(0L);
                    outRegex.add(new long[words]);
                }
                state = to;
            }
            out.set(state, out.get(state) | families[p]);
            for (int w = 0; w < words; w++)
            {
                outRegex.get(state)[w] |= conditionBits[p][w];
            }
        }

        final int states = trie.size();
        final int[] byState = new int[states * classCount];
        output = new long[states];
        regexOutput = new long[states * words];
        final boolean[] hasOutput = new boolean[states];
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
            output[s] = out.get(s) | output[fail[s]];
            boolean any = output[s] != 0;
            for (int w = 0; w < words; w++)
            {
                regexOutput[s * words + w] = outRegex.get(s)[w] | regexOutput[fail[s] * words + w];
                any |= regexOutput[s * words + w] != 0;
            }
            hasOutput[s] = any;
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
        next = new int[byState.length];
        for (int i = 0; i < byState.length; i++)
        {
            final int to = byState[i];
            next[i] = hasOutput[to] ? -(to * classCount) - 1 : to * classCount;
        }
    }

    /** @return the longest literal in bytes. */
    int longest()
    {
        return longest;
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
        if (len < SPLIT_MIN_BYTES || len < 4 * longest)
        {
            return continueChain(text, off, 0, off, end, triggered, keywords);
        }
        // Chain A: [off, cut). Chain B: [from, end), from = cut - (longest - 1), moved back one so that it keeps
        // find's parity for the keyword steps.
        final int cut = off + ((len >>> 1) & ~1);
        int from = cut - (longest - 1);
        from -= (from - off) & 1;
        final int[] next = this.next;
        final int[] byteClass = this.byteClass;
        long mask = 0;
        int a = 0;
        int b = 0;
        int j = from;
        for (int i = off; i < cut; i += 2, j += 2)
        {
            if (keywords != null)
            {
                keywords.at(text, i, off, end);
                keywords.at(text, j, off, end);
            }
            a = next[a + byteClass[text[i] & 0xFF]];
            if (a < 0)
            {
                a = -a - 1;
                mask |= emit(a, triggered);
            }
            b = next[b + byteClass[text[j] & 0xFF]];
            if (b < 0)
            {
                b = -b - 1;
                mask |= emit(b, triggered);
            }
            a = next[a + byteClass[text[i + 1] & 0xFF]];
            if (a < 0)
            {
                a = -a - 1;
                mask |= emit(a, triggered);
            }
            b = next[b + byteClass[text[j + 1] & 0xFF]];
            if (b < 0)
            {
                b = -b - 1;
                mask |= emit(b, triggered);
            }
        }
        return mask | continueChain(text, j, b, off, end, triggered, keywords);
    }

    /** Runs one chain from {@code state} at {@code from} to {@code end}, with the keyword steps at even offsets. */
    private long continueChain(final byte[] text, final int from, final int state, final int off, final int end, final long[] triggered,
        final ImpactKeywordFinder keywords)
    {
        final int[] next = this.next;
        final int[] byteClass = this.byteClass;
        long mask = 0;
        int s = state;
        for (int i = from; i < end; i++)
        {
            if (keywords != null && ((i - off) & 1) == 0)
            {
                keywords.at(text, i, off, end);
            }
            s = next[s + byteClass[text[i] & 0xFF]];
            if (s < 0)
            {
                s = -s - 1;
                mask |= emit(s, triggered);
            }
        }
        return mask;
    }

    private long emit(final int row, final long[] triggered)
    {
        final int state = row / classCount;
        for (int w = 0, base = state * words; w < words; w++)
        {
            triggered[w] |= regexOutput[base + w];
        }
        return output[state];
    }
}
