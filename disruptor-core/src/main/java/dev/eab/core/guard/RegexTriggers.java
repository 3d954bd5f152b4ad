package dev.eab.core.guard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds, for a regex of the {@link RegexDialect}, its <i>trigger conditions</i>: up to
 * {@value #MAX_CONDITIONS} sets of strings such that every match contains a string of each set. A scanner
 * searches all trigger strings in one pass and runs a regex only on texts where all its conditions hold
 * (say, a quote <i>and</i> an {@code =}), so ordinary text costs one pass instead of one regex search per
 * pattern. The Rust scanner derives its own conditions from the regex engine's syntax tree
 * ({@code triggers} in {@code guard.rs}) with the same rules; the two need only be sound, and
 * {@code GuardDifferentialTest} (which also checks both against a trigger-free reference) would expose an
 * unsound choice on either side.
 *
 * <p>Sound by construction: a run of plain characters is its own set; a small class is the set of its
 * characters; a group or class repeated at least once needs what its body needs; a concatenation needs
 * what each part needs (a run of plain characters followed by one character of a small class needs the run
 * joined to one of them: {@code \.\.[/\\]} needs {@code ../} or {@code ..\}); an alternation needs the union
 * of one set per branch (each branch's best), and nothing if a branch needs nothing. Anchors, {@code .},
 * optional parts and large or negated classes need nothing. The rarest-looking sets are kept ({@link #rarity}
 * at least {@value #MIN_RARITY}). A regex without conditions runs on every text.
 */
final class RegexTriggers
{
    /** Largest trigger set kept; a larger one is not used. */
    static final int MAX_TRIGGERS = 64;
    /** Conditions kept per regex. */
    static final int MAX_CONDITIONS = 4;
    /**
     * Least {@link #rarity} of a kept condition: one letter or a space holds in nearly every text. Lower
     * than the Rust side's (6, and 9 for a second condition): here every extra trigger string is free (the
     * {@link LiteralMatcher} DFA costs the same per char whatever it finds) and every RE2/J search saved is
     * worth tens of nanoseconds per char, while Rust's SIMD string search pays per candidate position.
     */
    static final int MIN_RARITY = 3;
    /** Largest class turned into triggers (one per character). */
    static final int MAX_CLASS_CHARS = 16;

    private final int[] p;
    private int i;

    private RegexTriggers(final String regex)
    {
        p = regex.codePoints().toArray();
    }

    /**
     * @return the trigger conditions of {@code regex} (already checked against the dialect), best first, or
     * null when it must always run.
     */
    static List<List<String>> of(final String regex)
    {
        final List<TreeSet<String>> sets = new ArrayList<>(new RegexTriggers(regex).alternation());
        sets.removeIf(set -> score(set) < MIN_RARITY);
        sets.sort(BY_SCORE.reversed());
        final List<List<String>> kept = new ArrayList<>();
        for (final TreeSet<String> set : sets)
        {
            final List<String> l = List.copyOf(set);
            if (kept.size() < MAX_CONDITIONS && !kept.contains(l))
            {
                kept.add(l);
            }
        }
        return kept.isEmpty() ? null : kept;
    }

    /** A set's selectivity: its least rare string's {@link #rarity}. */
    static int score(final TreeSet<String> set)
    {
        return set.stream().mapToInt(RegexTriggers::rarity).min().orElse(0);
    }

    /** By {@link #score}, then fewer strings first. */
    private static final Comparator<TreeSet<String>> BY_SCORE =
        Comparator.<TreeSet<String>>comparingInt(RegexTriggers::score).thenComparing(s -> -s.size());

    private int peek()
    {
        return i < p.length ? p[i] : -1;
    }

    /** @return the conditions of the alternation at {@code i}: several for one branch, at most one for more. */
    private List<TreeSet<String>> alternation()
    {
        final List<List<TreeSet<String>>> branches = new ArrayList<>();
        while (true)
        {
            branches.add(concat());
            if (peek() != '|')
            {
                break;
            }
            i++;
        }
        if (branches.size() == 1)
        {
            return branches.get(0);
        }
        final TreeSet<String> union = new TreeSet<>();
        for (final List<TreeSet<String>> b : branches)
        {
            final TreeSet<String> best = b.stream().max(BY_SCORE).orElse(null);
            if (best == null)
            {
                return List.of();
            }
            union.addAll(best);
        }
        return union.size() <= MAX_TRIGGERS ? List.of(union) : List.of();
    }

    /** @return the conditions of the concatenation at {@code i}: one per part that needs something. */
    private List<TreeSet<String>> concat()
    {
        final List<TreeSet<String>> parts = new ArrayList<>();
        final StringBuilder run = new StringBuilder();
        while (i < p.length && peek() != '|' && peek() != ')')
        {
            final int c = peek();
            List<TreeSet<String>> req = List.of();
            int literal = -1;
            boolean zeroWidth = false;
            switch (c)
            {
                case '(' ->
                {
                    i++;
                    if (peek() == '?')
                    {
                        i += 2; // "?:", the only group the dialect allows
                    }
                    req = alternation();
                    i++; // ')'
                }
                case '[' ->
                {
                    final TreeSet<String> cls = charClass();
                    req = cls == null ? List.of() : List.of(cls);
                    if (cls != null && !run.isEmpty() && peekQuantifier() < 0)
                    {
                        // A run followed by one character of a small class: every match holds the run and then one of
                        // them (".." then "/" or "\\": "../", "..\\"), a rarer set than the run and the class apart.
                        final TreeSet<String> joined = new TreeSet<>();
                        for (final String x : cls)
                        {
                            joined.add(run + x);
                        }
                        parts.add(joined);
                        run.setLength(0);
                        continue;
                    }
                }
                case '.' -> i++;
                case '^', '$' ->
                {
                    i++;
                    zeroWidth = true;
                }
                case '\\' ->
                {
                    literal = RegexDialect.unescape(p[i + 1]);
                    i += 2;
                }
                default ->
                {
                    literal = c;
                    i++;
                }
            }
            final int min = quantifierMin();
            if (literal >= 0 && min < 0)
            {
                run.appendCodePoint(literal); // unquantified: extends the run of plain characters
                continue;
            }
            if (!run.isEmpty())
            {
                parts.add(new TreeSet<>(List.of(run.toString())));
                run.setLength(0);
            }
            if (zeroWidth || min == 0)
            {
                continue;
            }
            if (literal >= 0)
            {
                req = List.of(new TreeSet<>(List.of(Character.toString(literal))));
            }
            parts.addAll(req);
        }
        if (!run.isEmpty())
        {
            parts.add(new TreeSet<>(List.of(run.toString())));
        }
        return parts;
    }

    /** @return whether a quantifier is at {@code i} (0 when there is one, -1 when not), without consuming it. */
    private int peekQuantifier()
    {
        final int c = peek();
        return c == '*' || c == '?' || c == '+' || c == '{' ? 0 : -1;
    }

    /** @return the minimum count of the quantifier at {@code i} (consuming it), or -1 when there is none. */
    private int quantifierMin()
    {
        final int c = peek();
        int min;
        if (c == '*' || c == '?')
        {
            i++;
            min = 0;
        }
        else if (c == '+')
        {
            i++;
            min = 1;
        }
        else if (c == '{')
        {
            i++;
            min = 0;
            while (peek() >= '0' && peek() <= '9')
            {
                min = min * 10 + (p[i++] - '0');
            }
            while (peek() != '}')
            {
                i++;
            }
            i++;
        }
        else
        {
            return -1;
        }
        if (peek() == '?')
        {
            i++; // lazy
        }
        return min;
    }

    /** Reads the class at {@code i}; @return its characters, or null when negated or larger than {@link #MAX_CLASS_CHARS}. */
    private TreeSet<String> charClass()
    {
        final RegexDialect.ClassSyntax c = RegexDialect.readClass(p, i);
        i = c.end();
        final TreeSet<String> chars = new TreeSet<>();
        final int[] r = c.ranges();
        for (int k = 0; k < r.length; k += 2)
        {
            if (r[k + 1] - r[k] + 1 + chars.size() > MAX_CLASS_CHARS)
            {
                return null;
            }
            for (int cp = r[k]; cp <= r[k + 1]; cp++)
            {
                chars.add(Character.toString(cp));
            }
        }
        return c.negated() ? null : chars;
    }

    /**
     * How rarely a trigger is expected in ordinary text (higher = rarer), summed per UTF-8 byte: code and
     * markup punctuation ({@code = < > [ ] { } | # % \} and the like) 9, digits 4, the punctuation of prose,
     * paths and URLs ({@code . , : ; / - _ ( ) ' " ! ?}) 3, letters and non-ASCII bytes 2, whitespace 1. So
     * {@code "="} is preferred to {@code "or"}, {@code "drop"} to {@code ";"}. The Rust side's weights.
     */
    static int rarity(final String trigger)
    {
        int score = 0;
        for (int k = 0; k < trigger.length(); )
        {
            final int c = trigger.codePointAt(k);
            k += Character.charCount(c);
            if (c >= 0x80)
            {
                score += 2 * (c < 0x800 ? 2 : c < 0x10000 ? 3 : 4);
            }
            else if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            {
                score += 1;
            }
            else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            {
                score += 2;
            }
            else if (".,:;/-_()'\"!?".indexOf(c) >= 0)
            {
                score += 3;
            }
            else if (c >= '0' && c <= '9')
            {
                score += 4;
            }
            else
            {
                score += 9;
            }
        }
        return score;
    }
}
