package dev.eab.core.guard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * <b>Benchmark baseline only</b>: the Java scanner as it was before the byte automaton (commit 30f2cf7), kept so that
 * {@code JavaScanBenchmark} measures the old and the new engine in the same run. Not used by the bus.
 *
 * <p> * Multi-literal search over UTF-16 text: an Aho-Corasick automaton compiled to a full DFA, so each text
 * char costs one class look-up and one table read, with no backtracking and no allocation. The Java twin
 * of the Rust scanner's {@code aho-corasick} automaton; like it, it sees every occurrence of every string
 * (overlaps included). Each string stands for family bits (it is a family literal) and condition bits (it
 * satisfies those regex trigger conditions, see {@link RegexTriggers}); a scan returns the union of the
 * family bits and adds the condition bits to a caller's bitset.
 *
 * <p>Matching UTF-16 chars gives the same answer as Rust matching UTF-8 bytes: both encodings are
 * self-synchronising, so a well-formed pattern occurs in well-formed text at a code-point boundary only,
 * and the normalised text never holds an unpaired surrogate.
 *
 * <p>Immutable after construction; {@link #scan} is thread-safe.
 */
final class LegacyLiteralMatcher
{
    /** Chars below this are mapped to their class through a direct table; others by binary search. */
    private static final int DIRECT_CLASS_LIMIT = 128;

    /** Class of each char below {@link #DIRECT_CLASS_LIMIT}; 0 = a char no literal contains. */
    private final int[] directClass = new int[DIRECT_CLASS_LIMIT];
    /** Sorted chars >= {@link #DIRECT_CLASS_LIMIT} that occur in some literal, and their classes. */
    private final char[] otherChars;
    private final int[] otherClass;
    private final int classCount;
    /**
     * The DFA: {@code next[state * classCount + class]} is the next state, stored as {@code -state - 1} when
     * that state has an output (so the common case, no output, costs one sign test). State 0 is the root.
     */
    private final int[] next;
    /** Families whose literal ends at (or, through failure links, inside) each state. */
    private final long[] output;
    /** Words per state in {@link #regexOutput}. */
    private final int words;
    /** {@code regexOutput[state * words + w]}: trigger conditions met at each state, as bitset words. */
    private final long[] regexOutput;
    /** Whether a state meets any condition (saves the word loop on most states). */
    private final boolean[] triggers;

    /**
     * @param literals   distinct normalised strings (non-empty).
     * @param families   {@code families[i]}: the family bits {@code literals.get(i)} stands for.
     * @param conditionBits  {@code conditionBits[i]}: the trigger conditions it meets, {@code words} bitset words.
     * @param words      bitset words per string ({@code ceil(conditions / 64)}).
     */
    LegacyLiteralMatcher(final List<String> literals, final long[] families, final long[][] conditionBits, final int words)
    {
        this.words = words;
        // Alphabet compression: only chars that occur in literals get a column.
        final TreeSet<Character> alphabet = new TreeSet<>();
        for (final String lit : literals)
        {
            for (int i = 0; i < lit.length(); i++)
            {
                alphabet.add(lit.charAt(i));
            }
        }
        int cls = 1;
        final List<Character> others = new ArrayList<>();
        for (final char c : alphabet)
        {
            if (c < DIRECT_CLASS_LIMIT)
            {
                directClass[c] = cls++;
            }
            else
            {
                others.add(c);
            }
        }
        otherChars = new char[others.size()];
        otherClass = new int[others.size()];
        for (int i = 0; i < others.size(); i++)
        {
            otherChars[i] = others.get(i);
            otherClass[i] = cls++;
        }
        classCount = cls;

        // The trie.
        final List<Map<Integer, Integer>> trie = new ArrayList<>();
        final List<Long> out = new ArrayList<>();
        final List<long[]> outRegex = new ArrayList<>();
        trie.add(new HashMap<>());
        out.add(0L);
        outRegex.add(new long[words]);
        for (int p = 0; p < literals.size(); p++)
        {
            final String lit = literals.get(p);
            int state = 0;
            for (int i = 0; i < lit.length(); i++)
            {
                final int c = classOf(lit.charAt(i));
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

        // Breadth-first: failure links folded into a complete transition table.
        final int states = trie.size();
        final int[] byState = new int[states * classCount];
        output = new long[states];
        regexOutput = new long[states * words];
        triggers = new boolean[states];
        final int[] fail = new int[states];
        final ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < classCount; c++)
        {
            final Integer to = trie.get(0).get(c);
            if (to != null)
            {
                byState[c] = to;
                fail[to] = 0;
                queue.add(to);
            }
        }
        output[0] = out.get(0);
        while (!queue.isEmpty())
        {
            final int s = queue.poll();
            output[s] = out.get(s) | output[fail[s]];
            for (int w = 0; w < words; w++)
            {
                regexOutput[s * words + w] = outRegex.get(s)[w] | regexOutput[fail[s] * words + w];
                triggers[s] |= regexOutput[s * words + w] != 0;
            }
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
        next = rows(byState, output, triggers);
    }

    /** Marks, in a state table, the targets that have an output (see {@link #next}). */
    private static int[] rows(final int[] byState, final long[] output, final boolean[] triggers)
    {
        final int[] rows = new int[byState.length];
        for (int i = 0; i < byState.length; i++)
        {
            final int to = byState[i];
            rows[i] = output[to] != 0 || triggers[to] ? -to - 1 : to;
        }
        return rows;
    }

    private int classOf(final char c)
    {
        if (c < DIRECT_CLASS_LIMIT)
        {
            return directClass[c];
        }
        final int i = Arrays.binarySearch(otherChars, c);
        return i >= 0 ? otherClass[i] : 0;
    }

    /**
     * @param triggered the conditions met by strings found in {@code text[0..len)} are added here
     * ({@code words} words).
     * @return the family bits of the strings found in {@code text[0..len)}.
     */
    long scan(final char[] text, final int len, final long[] triggered)
    {
        final int[] next = this.next;
        final int[] directClass = this.directClass;
        final int classCount = this.classCount;
        long mask = 0;
        int state = 0;
        for (int i = 0; i < len; i++)
        {
            final char c = text[i];
            state = next[state * classCount + (c < DIRECT_CLASS_LIMIT ? directClass[c] : classOf(c))];
            if (state < 0)
            {
                state = -state - 1;
                mask |= output[state];
                for (int w = 0, base = state * words; w < words; w++)
                {
                    triggered[w] |= regexOutput[base + w];
                }
            }
        }
        return mask;
    }
}
