package dev.eab.core.guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A regex of the {@link RegexDialect}, compiled to a Thompson NFA and searched by a Pike VM that only answers
 * "does it match anywhere" (no captures, the earliest match wins). The scanner's Java twin uses it instead of
 * RE2/J's {@code Matcher}, which allocates its input wrapper and match state on every search: here every
 * array is sized when the regex is compiled, so a search allocates nothing, on benign and attack text alike.
 * Linear in the text (each position visits each instruction at most once), nothing backtracks.
 *
 * <p>Semantics are those of the dialect in both engines: matching is per code point (a surrogate pair is
 * one character, as in Rust's UTF-8 engine), {@code .} is any code point but {@code \n}, {@code ^} and
 * {@code $} are the start and end of the text, lazy quantifiers match like greedy ones (only the existence
 * of a match is asked). The pattern must already have passed {@link RegexDialect#check}; RE2/J still
 * validates it at load time. {@code GuardDifferentialTest} holds this engine to the Rust one.
 *
 * <p>Not thread-safe: the search state is reused. One instance per scanning thread.
 */
final class NfaRegex
{
    private static final int CHAR = 0;
    private static final int ANY_BUT_NEWLINE = 1;
    private static final int SPLIT = 2;
    private static final int JUMP = 3;
    private static final int TEXT_START = 4;
    private static final int TEXT_END = 5;
    private static final int MATCH = 6;

    /** Code points below this are tested against a class's bitmap; the others against its ranges. */
    private static final int BITMAP_LIMIT = 128;

    private final int[] op;
    /** CHAR: the class index; SPLIT, JUMP: the first target. */
    private final int[] arg;
    /** SPLIT: the second target. */
    private final int[] arg2;
    /** Per class: bit c = code point c (below {@link #BITMAP_LIMIT}) is in the class. */
    private final long[][] bitmaps;
    /** Per class: its sorted, inclusive code point ranges at or above {@link #BITMAP_LIMIT}, as pairs. */
    private final int[][] ranges;
    private final boolean[] negated;

    /** Bit c: an ASCII code point c can start a match (see {@link #anyFirst}). */
    private final long[] firstAscii;
    /** True when a match can start with any ASCII code point, so no position may be skipped. */
    private final boolean anyFirst;

    // Search state, reused.
    private final int[] current;
    private final int[] following;
    private final int[] stack;
    /** {@code mark[pc] == generation}: pc is already on the list being built. */
    private final int[] mark;
    private int generation;

    private NfaRegex(final Builder b)
    {
        final int n = b.op.size();
        op = new int[n];
        arg = new int[n];
        arg2 = new int[n];
        for (int i = 0; i < n; i++)
        {
            op[i] = b.op.get(i);
            arg[i] = b.arg.get(i);
            arg2[i] = b.arg2.get(i);
        }
        bitmaps = b.bitmaps.toArray(new long[0][]);
        ranges = b.ranges.toArray(new int[0][]);
        negated = new boolean[b.negated.size()];
        for (int i = 0; i < negated.length; i++)
        {
            negated[i] = b.negated.get(i);
        }
        current = new int[n];
        following = new int[n];
        // Each instruction is marked once per list and pushes at most two successors.
        stack = new int[2 * n + 1];
        mark = new int[n];
        firstAscii = new long[BITMAP_LIMIT / 64];
        anyFirst = firstChars(firstAscii);
    }

    /** Compiles {@code pattern}, which must be inside the {@link RegexDialect}. */
    static NfaRegex compile(final String pattern)
    {
        final Builder b = new Builder(pattern);
        final Node root = b.alternation();
        if (b.i != b.p.length)
        {
            throw new IllegalArgumentException("unexpected '" + Character.toString(b.p[b.i]) + "' at " + b.i + " in " + pattern);
        }
        b.emit(root);
        b.add(MATCH, 0, 0);
        return new NfaRegex(b);
    }

    /** @return whether the regex matches anywhere in {@code text[0..len)}. */
    boolean find(final char[] text, final int len)
    {
        int[] clist = current;
        int[] nlist = following;
        int ccount = 0;
        int pos = 0;
        while (true)
        {
            // Unanchored: a new thread starts at every position.
            newGeneration();
            // Threads carried over are already closed; only their own marks are needed.
            for (int t = 0; t < ccount; t++)
            {
                mark[clist[t]] = generation;
            }
            final int k = close(0, pos, len, clist, ccount);
            if (k > 0 && hasMatch(clist, k))
            {
                return true;
            }
            if (pos >= len)
            {
                return false;
            }
            if (ccount == 0 && !anyFirst)
            {
                // No thread alive: skip the positions where no match can start (ASCII only; the rest
                // may be in a class's ranges above the bitmap).
                final int from = pos;
                while (pos < len && text[pos] < BITMAP_LIMIT && (firstAscii[text[pos] >>> 6] & (1L << (text[pos] & 63))) == 0)
                {
                    pos++;
                }
                if (pos >= len)
                {
                    return false;
                }
                if (pos != from)
                {
                    // The start closure was computed for the earlier position (anchors): redo it here.
                    continue;
                }
            }
            final int cp = Character.codePointAt(text, pos, len);
            final int next = pos + Character.charCount(cp);
            newGeneration();
            int nk = 0;
            for (int t = 0; t < k; t++)
            {
                final int pc = clist[t];
                if (op[pc] == CHAR ? inClass(arg[pc], cp) : op[pc] == ANY_BUT_NEWLINE && cp != '\n')
                {
                    nk = close(pc + 1, next, len, nlist, nk);
                }
            }
            final int[] swap = clist;
            clist = nlist;
            nlist = swap;
            ccount = nk;
            pos = next;
        }
    }

    /**
     * Fills {@code ascii} with the ASCII code points that the first consuming instruction of some path can
     * take. The closure at position 0 of an empty text passes both anchors, so it holds every first
     * instruction of every path (a superset is safe: it only skips fewer positions).
     *
     * @return true when the set is every ASCII code point or unknown (a path reaches MATCH, {@code .}, or a
     * negated class).
     */
    private boolean firstChars(final long[] ascii)
    {
        newGeneration();
        final int count = close(0, 0, 0, current, 0);
        for (int t = 0; t < count; t++)
        {
            final int pc = current[t];
            if (op[pc] != CHAR || negated[arg[pc]])
            {
                return true;
            }
            for (int w = 0; w < ascii.length; w++)
            {
                ascii[w] |= bitmaps[arg[pc]][w];
            }
        }
        return false;
    }

    private boolean hasMatch(final int[] list, final int count)
    {
        for (int t = 0; t < count; t++)
        {
            if (op[list[t]] == MATCH)
            {
                return true;
            }
        }
        return false;
    }

    private void newGeneration()
    {
        if (++generation == Integer.MAX_VALUE)
        {
            Arrays.fill(mark, 0);
            generation = 1;
        }
    }

    /**
     * Adds {@code start} and every instruction reachable from it without consuming a character at
     * {@code pos} to {@code list} (from {@code count} on); only consuming instructions and MATCH are kept.
     *
     * @return the new count.
     */
    private int close(final int start, final int pos, final int len, final int[] list, final int count)
    {
        int n = count;
        int sp = 0;
        stack[sp++] = start;
        while (sp > 0)
        {
            final int pc = stack[--sp];
            if (mark[pc] == generation)
            {
                continue;
            }
            mark[pc] = generation;
            switch (op[pc])
            {
                case SPLIT ->
                {
                    // Pushed in reverse so the first target is explored first (order does not change the answer).
                    stack[sp++] = arg2[pc];
                    stack[sp++] = arg[pc];
                }
                case JUMP -> stack[sp++] = arg[pc];
                case TEXT_START ->
                {
                    if (pos == 0)
                    {
                        stack[sp++] = pc + 1;
                    }
                }
                case TEXT_END ->
                {
                    if (pos == len)
                    {
                        stack[sp++] = pc + 1;
                    }
                }
                default -> list[n++] = pc;
            }
        }
        return n;
    }

    private boolean inClass(final int c, final int cp)
    {
        final boolean in;
        if (cp < BITMAP_LIMIT)
        {
            in = (bitmaps[c][cp >>> 6] & (1L << (cp & 63))) != 0;
        }
        else
        {
            final int[] r = ranges[c];
            boolean found = false;
            for (int k = 0; k < r.length && !found; k += 2)
            {
                found = cp >= r[k] && cp <= r[k + 1];
            }
            in = found;
        }
        return in != negated[c];
    }

    // ------------------------------------------------------------------ syntax tree and compiler

    /** A syntax tree node: kind, children, and for repetitions the bounds (max -1 = unbounded). */
    private record Node(int kind, List<Node> children, int classIndex, int min, int max)
    {
        static final int CLASS = 0;
        static final int ANY = 1;
        static final int START = 2;
        static final int END = 3;
        static final int CONCAT = 4;
        static final int ALTERNATION = 5;
        static final int REPEAT = 6;
    }

    /** Parser (the dialect's grammar) and code emitter. */
    private static final class Builder
    {
        final int[] p;
        int i;
        final List<Integer> op = new ArrayList<>();
        final List<Integer> arg = new ArrayList<>();
        final List<Integer> arg2 = new ArrayList<>();
        final List<long[]> bitmaps = new ArrayList<>();
        final List<int[]> ranges = new ArrayList<>();
        final List<Boolean> negated = new ArrayList<>();

        Builder(final String pattern)
        {
            p = pattern.codePoints().toArray();
        }

        int peek()
        {
            return i < p.length ? p[i] : -1;
        }

        Node alternation()
        {
            final List<Node> branches = new ArrayList<>();
            branches.add(concat());
            while (peek() == '|')
            {
                i++;
                branches.add(concat());
            }
            return branches.size() == 1 ? branches.get(0) : new Node(Node.ALTERNATION, branches, 0, 0, 0);
        }

        Node concat()
        {
            final List<Node> parts = new ArrayList<>();
            while (i < p.length && peek() != '|' && peek() != ')')
            {
                Node atom = atom();
                while (true)
                {
                    final int c = peek();
                    int min;
                    int max;
                    if (c == '*' || c == '+' || c == '?')
                    {
                        i++;
                        min = c == '+' ? 1 : 0;
                        max = c == '?' ? 1 : -1;
                    }
                    else if (c == '{')
                    {
                        i++;
                        min = number();
                        max = min;
                        if (peek() == ',')
                        {
                            i++;
                            max = peek() == '}' ? -1 : number();
                        }
                        i++; // '}'
                    }
                    else
                    {
                        break;
                    }
                    if (peek() == '?')
                    {
                        i++; // lazy: the same answer to "is there a match"
                    }
                    atom = new Node(Node.REPEAT, List.of(atom), 0, min, max);
                }
                parts.add(atom);
            }
            return new Node(Node.CONCAT, parts, 0, 0, 0);
        }

        int number()
        {
            int v = 0;
            while (peek() >= '0' && peek() <= '9')
            {
                v = v * 10 + (p[i++] - '0');
            }
            return v;
        }

        Node atom()
        {
            final int c = p[i++];
            switch (c)
            {
                case '(' ->
                {
                    if (peek() == '?')
                    {
                        i += 2; // "?:", the only group flag the dialect allows
                    }
                    final Node inner = alternation();
                    i++; // ')'
                    return inner;
                }
                case '[' ->
                {
                    return charClass();
                }
                case '.' ->
                {
                    return new Node(Node.ANY, List.of(), 0, 0, 0);
                }
                case '^' ->
                {
                    return new Node(Node.START, List.of(), 0, 0, 0);
                }
                case '$' ->
                {
                    return new Node(Node.END, List.of(), 0, 0, 0);
                }
                case '\\' ->
                {
                    final int e = RegexDialect.unescape(p[i++]);
                    return classOf(new int[] {e, e}, false);
                }
                default ->
                {
                    return classOf(new int[] {c, c}, false);
                }
            }
        }

        Node charClass()
        {
            final RegexDialect.ClassSyntax c = RegexDialect.readClass(p, i - 1);
            i = c.end();
            return classOf(c.ranges(), c.negated());
        }

        /** Registers a class given as inclusive range pairs; @return its CLASS node. */
        Node classOf(final int[] pairs, final boolean neg)
        {
            final long[] bitmap = new long[BITMAP_LIMIT / 64];
            final List<Integer> high = new ArrayList<>();
            for (int k = 0; k < pairs.length; k += 2)
            {
                for (int cp = pairs[k]; cp <= Math.min(pairs[k + 1], BITMAP_LIMIT - 1); cp++)
                {
                    bitmap[cp >>> 6] |= 1L << (cp & 63);
                }
                if (pairs[k + 1] >= BITMAP_LIMIT)
                {
                    high.add(Math.max(pairs[k], BITMAP_LIMIT));
                    high.add(pairs[k + 1]);
                }
            }
            bitmaps.add(bitmap);
            ranges.add(high.stream().mapToInt(Integer::intValue).toArray());
            negated.add(neg);
            return new Node(Node.CLASS, List.of(), bitmaps.size() - 1, 0, 0);
        }

        int add(final int o, final int a, final int a2)
        {
            op.add(o);
            arg.add(a);
            arg2.add(a2);
            return op.size() - 1;
        }

        void patch(final int pc, final int a, final int a2)
        {
            arg.set(pc, a);
            arg2.set(pc, a2);
        }

        void emit(final Node n)
        {
            switch (n.kind())
            {
                case Node.CLASS -> add(CHAR, n.classIndex(), 0);
                case Node.ANY -> add(ANY_BUT_NEWLINE, 0, 0);
                case Node.START -> add(TEXT_START, 0, 0);
                case Node.END -> add(TEXT_END, 0, 0);
                case Node.CONCAT -> n.children().forEach(this::emit);
                case Node.ALTERNATION ->
                {
                    // split L1, next; L1: branch; jump end; next: split ...; last branch; end:
                    final List<Integer> jumps = new ArrayList<>();
                    final List<Node> branches = n.children();
                    for (int k = 0; k < branches.size() - 1; k++)
                    {
                        final int split = add(SPLIT, 0, 0);
                        emit(branches.get(k));
                        jumps.add(add(JUMP, 0, 0));
                        patch(split, split + 1, op.size());
                    }
                    emit(branches.get(branches.size() - 1));
                    for (final int j : jumps)
                    {
                        patch(j, op.size(), 0);
                    }
                }
                default -> emitRepeat(n.children().get(0), n.min(), n.max());
            }
        }

        /** {@code e{min,max}}: min copies of e, then max - min optional copies (or a loop when unbounded). */
        void emitRepeat(final Node e, final int min, final int max)
        {
            for (int k = 0; k < min; k++)
            {
                emit(e);
            }
            if (max < 0)
            {
                final int split = add(SPLIT, 0, 0);
                emit(e);
                add(JUMP, split, 0);
                patch(split, split + 1, op.size());
                return;
            }
            final List<Integer> splits = new ArrayList<>();
            for (int k = min; k < max; k++)
            {
                splits.add(add(SPLIT, 0, 0));
                emit(e);
            }
            for (final int s : splits)
            {
                patch(s, s + 1, op.size());
            }
        }
    }
}
