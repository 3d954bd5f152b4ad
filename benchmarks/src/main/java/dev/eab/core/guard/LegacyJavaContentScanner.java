package dev.eab.core.guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <b>Benchmark baseline only</b>: the Java scanner as it was before the byte automaton (commit 30f2cf7), kept so that
 * {@code JavaScanBenchmark} measures the old and the new engine in the same run. Not used by the bus.
 *
 * <p> * The pure-Java scanner: {@link TextNormalizer}, then one {@link LegacyLiteralMatcher} (Aho-Corasick) pass for
 * the family literals and the regexes' {@link RegexTriggers trigger} strings, then an {@link NfaRegex} (a
 * Pike VM: linear time, no backtracking) for just the regexes whose trigger conditions all hold and whose
 * family is not already matched. The fallback twin of {@link NativeContentScanner}, giving identical
 * results ({@code GuardDifferentialTest}).
 *
 * <p>Allocation-free once its buffers have grown, on benign and attack text alike (the literal pass and the
 * regex VM work in arrays sized at construction; RE2/J, which validates the patterns at load time, is not
 * used here because its matcher allocates on every search); only non-ASCII text allocates, inside
 * {@link java.text.Normalizer}. Not thread-safe (reusable buffers): one instance per scanning thread.
 */
public final class LegacyJavaContentScanner implements ContentScanner
{
    private final GuardrailPatterns patterns;
    private final TextNormalizer normalizer = new TextNormalizer();
    /** Null when there is nothing to search for (no literal, no trigger). */
    private final LegacyLiteralMatcher literals;
    /** Every regex of every enabled family, in order. */
    private final NfaRegex[] regexes;
    /** Regex index → its family's bit. */
    private final long[] regexFamily;
    /** Regex index → its first trigger condition; its conditions are {@code first..first + count}. */
    private final int[] conditionFirst;
    /** Regex index → its number of trigger conditions; 0 = it runs on every text. */
    private final int[] conditionCount;
    /** Reused per scan: bit c = condition c holds (one of its strings occurs). */
    private final long[] seen;

    /** Compiles {@code patterns}; every pattern was validated when the set was loaded. */
    public LegacyJavaContentScanner(final GuardrailPatterns patterns)
    {
        this.patterns = patterns;
        final List<NfaRegex> compiled = new ArrayList<>();
        final List<Long> owners = new ArrayList<>();
        final List<List<List<String>>> triggerSets = new ArrayList<>();
        for (final GuardrailFamily f : patterns.families())
        {
            if (f.enabled())
            {
                for (final String re : f.regexes())
                {
                    compiled.add(NfaRegex.compile(re));
                    owners.add(f.bit());
                    triggerSets.add(Stop9RegexTriggers.of(re));
                }
            }
        }
        regexes = compiled.toArray(new NfaRegex[0]);
        regexFamily = owners.stream().mapToLong(Long::longValue).toArray();
        conditionFirst = new int[regexes.length];
        conditionCount = new int[regexes.length];
        final List<List<String>> conditions = new ArrayList<>();
        for (int r = 0; r < regexes.length; r++)
        {
            final List<List<String>> c = triggerSets.get(r);
            conditionFirst[r] = conditions.size();
            conditionCount[r] = c == null ? 0 : c.size();
            if (c != null)
            {
                conditions.addAll(c);
            }
        }
        final int words = (conditions.size() + 63) / 64;
        seen = new long[words];
        // Each distinct string once, with the family bits and condition bits it stands for.
        final Map<String, long[]> strings = new LinkedHashMap<>();
        for (final GuardrailFamily f : patterns.families())
        {
            if (f.enabled())
            {
                for (final String lit : f.literals())
                {
                    if (!alwaysFoundByRegex(f, lit))
                    {
                        strings.computeIfAbsent(lit, k -> new long[1 + words])[0] |= f.bit();
                    }
                }
            }
        }
        for (int c = 0; c < conditions.size(); c++)
        {
            for (final String t : conditions.get(c))
            {
                strings.computeIfAbsent(t, k -> new long[1 + words])[1 + c / 64] |= 1L << (c % 64);
            }
        }
        if (strings.isEmpty())
        {
            literals = null;
        }
        else
        {
            final List<String> keys = new ArrayList<>(strings.keySet());
            final long[] families = new long[keys.size()];
            final long[][] conditionBits = new long[keys.size()][];
            for (int k = 0; k < keys.size(); k++)
            {
                final long[] v = strings.get(keys.get(k));
                families[k] = v[0];
                conditionBits[k] = Arrays.copyOfRange(v, 1, v.length);
            }
            literals = new LegacyLiteralMatcher(keys, families, conditionBits, words);
        }
    }

    /**
     * @return whether a regex of {@code family} without anchors matches inside {@code literal}: it then
     * matches every text that contains the literal and sets the same family bit, so the literal need not be
     * searched (long literals such as "ignore all previous instructions" would otherwise add dozens of states
     * to the {@link LegacyLiteralMatcher}). The Rust scanner prunes the same way.
     */
    private static boolean alwaysFoundByRegex(final GuardrailFamily family, final String literal)
    {
        final char[] chars = literal.toCharArray();
        for (final String re : family.regexes())
        {
            if (!RegexDialect.hasAnchor(re) && NfaRegex.compile(re).find(chars, chars.length))
            {
                return true;
            }
        }
        return false;
    }

    /** @return a scanner for the shipped pattern set. */
    public static LegacyJavaContentScanner withDefaults()
    {
        return new LegacyJavaContentScanner(GuardrailPatterns.defaults());
    }

    @Override
    public long scan(final byte[] utf8, final int off, final int len)
    {
        return match(normalizer.normalizeUtf8(utf8, off, len));
    }

    @Override
    public long scan(final CharSequence text)
    {
        return match(normalizer.normalizeChars(text));
    }

    private long match(final int len)
    {
        final char[] text = normalizer.chars();
        java.util.Arrays.fill(seen, 0L);
        long mask = literals == null ? 0L : literals.scan(text, len, seen);
        for (int r = 0; r < regexes.length; r++)
        {
            if ((mask & regexFamily[r]) == 0 && allHold(conditionFirst[r], conditionCount[r]) && regexes[r].find(text, len))
            {
                mask |= regexFamily[r];
            }
        }
        return mask;
    }

    private boolean allHold(final int first, final int count)
    {
        for (int c = first; c < first + count; c++)
        {
            if ((seen[c >>> 6] & (1L << (c & 63))) == 0)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public GuardrailPatterns patterns()
    {
        return patterns;
    }

    @Override
    public String name()
    {
        return "java";
    }
}
