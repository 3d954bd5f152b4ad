package dev.eab.core.guard;

/**
 * The regex dialect of the pattern file: the subset that Rust's {@code regex} engine and RE2/J interpret
 * identically. A line-for-line mirror of {@code check_dialect} in {@code native-rust/src/guard.rs} (same
 * rules, same order, same messages), so a pattern is refused by both sides or by neither.
 *
 * <ul>
 *   <li>escapes: only {@code \t \n \r} and a backslash before one of {@value #ESCAPABLE}. So no
 *       {@code \b \B \w \d \s} (their Unicode meaning differs between the engines), no {@code \p{..}}, no
 *       {@code \x..}, no backreferences, no {@code \A \z \Q..\E};</li>
 *   <li>groups: {@code (...)} and {@code (?:...)} only: no flags such as {@code (?i)}, no named groups,
 *       no lookaround;</li>
 *   <li>classes: {@code [...]} and {@code [^...]}, not empty, no leading {@code ]}, no nested {@code [},
 *       no POSIX {@code [:alpha:]}, no set operators {@code && -- ~~};</li>
 *   <li>quantifiers {@code * + ? {n} {n,} {n,m}} with {@code n <= m <= 100}, each after something to
 *       repeat; one lazy {@code ?} may follow; an unescaped {@code }} or {@code ]} is an error;</li>
 *   <li>at most {@value #MAX_REGEX_CHARS} characters (code points).</li>
 * </ul>
 * {@code .} matches any character but {@code \n} in both engines; {@code ^}/{@code $} are the start/end
 * of the text.
 */
public final class RegexDialect
{
    /** Longest accepted regex, in code points. */
    public static final int MAX_REGEX_CHARS = 1024;
    /** Largest {@code {n,m}} bound (RE2/J's own limit is 1000). */
    public static final int MAX_REPEAT = 100;
    /** Characters that may follow a backslash as a literal escape. */
    public static final String ESCAPABLE = "\\.+*?()|[]{}^$-/";

    private RegexDialect()
    {
    }

    /** @return null when {@code pattern} is inside the dialect, else why not. */
    public static String check(final String pattern)
    {
        final int[] p = pattern.codePoints().toArray();
        if (p.length == 0)
        {
            return "empty regex";
        }
        if (p.length > MAX_REGEX_CHARS)
        {
            return "longer than " + MAX_REGEX_CHARS + " characters";
        }
        boolean repeatable = false;
        boolean afterQuantifier = false;
        int i = 0;
        while (i < p.length)
        {
            final int c = p[i];
            switch (c)
            {
                case '\\' ->
                {
                    if (i + 1 >= p.length)
                    {
                        return "trailing backslash";
                    }
                    final String bad = escape(p[i + 1]);
                    if (bad != null)
                    {
                        return bad;
                    }
                    i += 2;
                    repeatable = true;
                    afterQuantifier = false;
                    continue;
                }
                case '[' ->
                {
                    final Scan cls = checkClass(p, i);
                    if (cls.error() != null)
                    {
                        return cls.error();
                    }
                    i = cls.next();
                    repeatable = true;
                    afterQuantifier = false;
                    continue;
                }
                case '(' ->
                {
                    if (at(p, i + 1) == '?')
                    {
                        if (at(p, i + 2) != ':')
                        {
                            return "only (...) and (?:...) groups are allowed: no flags, named groups or lookaround";
                        }
                        i += 3;
                    }
                    else
                    {
                        i += 1;
                    }
                    repeatable = false;
                    afterQuantifier = false;
                    continue;
                }
                case '|', '^', '$' ->
                {
                    repeatable = false;
                    afterQuantifier = false;
                }
                case ')' ->
                {
                    repeatable = true;
                    afterQuantifier = false;
                }
                case '*', '+', '?' ->
                {
                    if (c == '?' && afterQuantifier)
                    {
                        afterQuantifier = false;
                        repeatable = false;
                        i += 1;
                        continue;
                    }
                    if (!repeatable)
                    {
                        return "quantifier '" + (char)c + "' at position " + i + " has nothing to repeat";
                    }
                    repeatable = false;
                    afterQuantifier = true;
                }
                case '{' ->
                {
                    if (!repeatable)
                    {
                        return "quantifier '{' at position " + i + " has nothing to repeat (write \\{ for a literal brace)";
                    }
                    final int next = checkRepeat(p, i);
                    if (next < 0)
                    {
                        return repeatError(i);
                    }
                    i = next;
                    repeatable = false;
                    afterQuantifier = true;
                    continue;
                }
                case '}' ->
                {
                    return "unescaped '}' at position " + i + " (write \\})";
                }
                case ']' ->
                {
                    return "unescaped ']' at position " + i + " (write \\])";
                }
                default ->
                {
                    repeatable = true;
                    afterQuantifier = false;
                }
            }
            i += 1;
        }
        return null;
    }

    /** Outcome of scanning a class: the index after it, or why it is refused. */
    private record Scan(int next, String error)
    {
        static Scan fail(final String error)
        {
            return new Scan(-1, error);
        }
    }

    /**
     * A class {@code [...]} of a pattern already inside the dialect, as read by the tools that walk patterns
     * ({@link RegexTriggers}, {@link NfaRegex}).
     *
     * @param negated {@code [^...]}.
     * @param ranges  inclusive code point ranges, as pairs {@code lo, hi}.
     * @param end     the index after the closing {@code ]}.
     */
    record ClassSyntax(boolean negated, int[] ranges, int end)
    {
    }

    /** Reads the class opening at {@code p[open] == '['} of a pattern already checked against the dialect. */
    static ClassSyntax readClass(final int[] p, final int open)
    {
        int i = open + 1;
        final boolean negated = p[i] == '^';
        if (negated)
        {
            i++;
        }
        final java.util.List<Integer> ranges = new java.util.ArrayList<>();
        while (p[i] != ']')
        {
            final int lo = p[i] == '\\' ? unescape(p[++i]) : p[i];
            i++;
            int hi = lo;
            if (p[i] == '-' && p[i + 1] != ']')
            {
                i++;
                hi = p[i] == '\\' ? unescape(p[++i]) : p[i];
                i++;
            }
            ranges.add(lo);
            ranges.add(hi);
        }
        return new ClassSyntax(negated, ranges.stream().mapToInt(Integer::intValue).toArray(), i + 1);
    }

    /** @return whether a pattern of the dialect uses {@code ^} or {@code $} (outside classes), so its matches depend on context. */
    static boolean hasAnchor(final String pattern)
    {
        final int[] p = pattern.codePoints().toArray();
        for (int i = 0; i < p.length; i++)
        {
            if (p[i] == '\\')
            {
                i++;
            }
            else if (p[i] == '[')
            {
                i = readClass(p, i).end() - 1;
            }
            else if (p[i] == '^' || p[i] == '$')
            {
                return true;
            }
        }
        return false;
    }

    /** @return the character an escape {@code \e} of the dialect stands for. */
    static int unescape(final int e)
    {
        return e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
    }

    private static String escape(final int d)
    {
        if (d == 't' || d == 'n' || d == 'r' || ESCAPABLE.indexOf(d) >= 0)
        {
            return null;
        }
        return "escape '\\" + Character.toString(d) + "' is outside the dialect (allowed: \\t \\n \\r and a backslash before one of " +
            ESCAPABLE + "; spell classes out, e.g. [ \\t\\r\\n])";
    }

    private static int at(final int[] p, final int i)
    {
        return i < p.length ? p[i] : -1;
    }

    /** Checks the class starting at {@code p[start] == '['}. */
    private static Scan checkClass(final int[] p, final int start)
    {
        int i = start + 1;
        if (at(p, i) == '^')
        {
            i++;
        }
        if (at(p, i) == ']')
        {
            return Scan.fail("class at position " + start + " is empty or starts with ']' (write \\])");
        }
        while (i < p.length)
        {
            final int c = p[i];
            if (c == '\\')
            {
                if (i + 1 >= p.length)
                {
                    return Scan.fail("trailing backslash");
                }
                final String bad = escape(p[i + 1]);
                if (bad != null)
                {
                    return Scan.fail(bad);
                }
                i += 2;
                continue;
            }
            if (c == '[')
            {
                return Scan.fail("'[' inside the class at position " + start + ": no nested or POSIX classes (write \\[)");
            }
            if (c == ']')
            {
                return new Scan(i + 1, null);
            }
            if ((c == '&' || c == '-' || c == '~') && at(p, i + 1) == c)
            {
                return Scan.fail("'" + (char)c + (char)c + "' inside the class at position " + start + ": no class set operations");
            }
            i++;
        }
        return Scan.fail("class at position " + start + " is not closed");
    }

    private static String repeatError(final int start)
    {
        return "malformed repetition at position " + start + ": use {n}, {n,} or {n,m} with n <= m <= " + MAX_REPEAT +
            ", or \\{ for a literal brace";
    }

    /** @return the index after a valid {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code start}, or -1. */
    private static int checkRepeat(final int[] p, final int start)
    {
        int i = start + 1;
        final long[] d = digits(p, i);
        if (d == null)
        {
            return -1;
        }
        final long min = d[0];
        i = (int)d[1];
        long max = min;
        if (at(p, i) == ',')
        {
            i++;
            if (at(p, i) == '}')
            {
                max = -1;
            }
            else
            {
                final long[] m = digits(p, i);
                if (m == null)
                {
                    return -1;
                }
                max = m[0];
                i = (int)m[1];
            }
        }
        if (at(p, i) != '}')
        {
            return -1;
        }
        if (min > MAX_REPEAT || (max >= 0 && (max > MAX_REPEAT || max < min)))
        {
            return -1;
        }
        return i + 1;
    }

    /** @return {value, index after} for 1..3 ASCII digits at {@code i}, or null. */
    private static long[] digits(final int[] p, final int start)
    {
        int i = start;
        long v = 0;
        while (i < p.length && p[i] >= '0' && p[i] <= '9')
        {
            if (i - start == 3)
            {
                return null;
            }
            v = v * 10 + (p[i] - '0');
            i++;
        }
        return i > start ? new long[] {v, i} : null;
    }
}
