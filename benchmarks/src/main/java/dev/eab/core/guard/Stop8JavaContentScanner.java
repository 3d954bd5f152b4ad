package dev.eab.core.guard;

import dev.eab.api.KeywordMatching;
import dev.eab.core.governance.ImpactScorer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <b>Benchmark baseline only</b>: {@code JavaContentScanner} as it was at stop 8 (the byte automaton {@link ByteLiteralMatcher} with
 * four chains and {@link ImpactKeywordFinder}), kept so that {@code JavaScanBenchmark} and {@code JavaScanTiming} measure it
 * beside the fingerprint engine in the same run. Not used by the bus.
 *
 * <p>The pure-Java scanner, the fallback twin of {@link NativeContentScanner} (identical results,
 * {@code GuardDifferentialTest}). One pass of a {@link ByteLiteralMatcher} (Aho-Corasick on bytes, two chains side
 * by side) finds the family literals and the regexes' {@link RegexTriggers trigger} strings; then an
 * {@link NfaRegex} (a Pike VM: linear time, no backtracking) runs for just the regexes whose trigger conditions all
 * hold and whose family is not already matched.
 *
 * <p>ASCII text (checked eight bytes at a time) is searched as it arrives: the automaton folds case in its byte
 * classes, so nothing is normalised or copied unless a regex has to run (then the text is lowercased into a char
 * buffer for the VM). Other text goes through {@link TextNormalizer} and is re-encoded as UTF-8 for the same
 * automaton. Built with a {@link KeywordMatching}, the scanner also finds the impact scorer's keywords
 * ({@link #impactKeywords()}) in the same loop over the raw bytes, exactly as {@code ImpactKeywords.find}.
 *
 * <p>Allocation-free once its buffers have grown, on benign and attack text alike; only non-ASCII text may allocate,
 * inside {@link java.text.Normalizer}. Not thread-safe (reusable buffers): one instance per scanning thread.
 */
public final class Stop8JavaContentScanner implements ContentScanner
{
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final int INITIAL_CAPACITY_BYTES = 1024;

    private final GuardrailPatterns patterns;
    private final TextNormalizer normalizer = new TextNormalizer();
    /** Null when there is nothing to search for (no literal, no trigger). */
    private final ByteLiteralMatcher literals;
    /** Null when this scanner does not find the impact keywords. */
    private final ImpactKeywordFinder keywords;
    /** The last scan's keyword mask (see {@link #impactKeywords()}). */
    private int keywordMask = -1;
    /** The normalised text re-encoded as UTF-8 (non-ASCII texts), or a CharSequence's UTF-8; grows. */
    private byte[] utf8 = new byte[INITIAL_CAPACITY_BYTES];
    /** A CharSequence's UTF-8 (a buffer of its own: {@link #utf8} is rewritten while it is scanned); grows. */
    private byte[] sequenceUtf8 = new byte[INITIAL_CAPACITY_BYTES];
    /** Whether {@link #normalizer} holds the current text (ASCII texts are lowercased only when a regex runs). */
    private boolean normalised;
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

    /** Compiles {@code patterns}; every pattern was validated when the set was loaded. Does not find impact keywords. */
    public Stop8JavaContentScanner(final GuardrailPatterns patterns)
    {
        this(patterns, null);
    }

    /**
     * Compiles {@code patterns}; every pattern was validated when the set was loaded.
     *
     * @param keywordMatching when not null, every scan also finds the impact scorer's keywords in this mode
     *                        ({@link #impactKeywords()}); null: it does not ({@link #impactKeywords()} is -1).
     */
    public Stop8JavaContentScanner(final GuardrailPatterns patterns, final KeywordMatching keywordMatching)
    {
        this.patterns = patterns;
        this.keywords = keywordMatching == null ? null : new ImpactKeywordFinder(keywordMatching);
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
                    // Every literal, even one a regex of its family always finds (the Rust side prunes those): the
                    // automaton holds prefixes only, so a long literal costs no states, and finding it here spares
                    // running that regex over an attack text.
                    strings.computeIfAbsent(lit, k -> new long[1 + words])[0] |= f.bit();
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
            literals = new ByteLiteralMatcher(keys, families, conditionBits, words);
        }
    }

    /** @return a scanner for the shipped pattern set. */
    public static Stop8JavaContentScanner withDefaults()
    {
        return new Stop8JavaContentScanner(GuardrailPatterns.defaults());
    }

    @Override
    public long scan(final byte[] text, final int off, final int len)
    {
        java.util.Objects.checkFromIndexSize(off, len, text.length);
        // Not found yet: should this scan fail part-way, the last text's mask must not stand for this one.
        keywordMask = -1;
        Arrays.fill(seen, 0L);
        if (keywords != null)
        {
            keywords.reset();
        }
        final long found;
        if (isAscii(text, off, len))
        {
            // Searched as it is: the automaton folds ASCII case; the keyword steps share its loop.
            normalised = false;
            found = literals == null ? 0L : literals.scan(text, off, len, seen, keywords);
            if (literals == null && keywords != null)
            {
                keywords.range(text, off, off, off + len);
            }
        }
        else
        {
            normalised = true;
            final int chars = normalizer.normalizeUtf8(text, off, len);
            final int bytes = encodeUtf8(normalizer.chars(), chars);
            found = literals == null ? 0L : literals.scan(utf8, 0, bytes, seen, null);
            if (keywords != null)
            {
                // The scorer reads the text as sent, not its normal form: its own loop over the raw bytes.
                keywords.range(text, off, off, off + len);
            }
        }
        keywordMask = keywords == null ? -1 : len == 0 ? ImpactScorer.KEYWORD_MASK_EMPTY_TEXT : keywords.mask();
        return regexes(found, text, off, len);
    }

    @Override
    public long scan(final CharSequence text)
    {
        // Its UTF-8 (an unpaired surrogate as U+FFFD's), scanned as bytes: the contract's "same result" by construction.
        final int n = encodeUtf8(text);
        return scan(sequenceUtf8, 0, n);
    }

    /**
     * The impact keywords found by the last scan, in this scanner's {@link KeywordMatching}: the same mask as
     * {@code ImpactKeywords.find} on the scanned bytes (for a CharSequence, its UTF-8), saturation included; an
     * empty text gives {@link ImpactScorer#KEYWORD_MASK_EMPTY_TEXT}.
     *
     * @return the keyword mask, or -1 when this scanner was built without a keyword mode.
     */
    @Override
    public int impactKeywords()
    {
        return keywordMask;
    }

    /** Runs the regexes whose family is not matched yet and whose trigger conditions all hold. */
    private long regexes(final long found, final byte[] text, final int off, final int len)
    {
        long mask = found;
        int chars = normalised ? normalizer.length() : -1;
        for (int r = 0; r < regexes.length; r++)
        {
            if ((mask & regexFamily[r]) == 0 && allHold(conditionFirst[r], conditionCount[r]))
            {
                if (chars < 0)
                {
                    // ASCII: the normaliser's fast path is just this lowercasing into its char buffer.
                    chars = normalizer.normalizeUtf8(text, off, len);
                }
                if (regexes[r].find(normalizer.chars(), chars))
                {
                    mask |= regexFamily[r];
                }
            }
        }
        return mask;
    }

    /** @return whether no byte of {@code text[off, off + len)} is 0x80 or above (eight at a time). */
    static boolean isAscii(final byte[] text, final int off, final int len)
    {
        final int end = off + len;
        long any = 0;
        int i = off;
        for (; i <= end - Long.BYTES; i += Long.BYTES)
        {
            any |= (long)LONG_LE.get(text, i);
        }
        for (; i < end; i++)
        {
            any |= text[i];
        }
        return (any & HIGH_BITS) == 0;
    }

    /** Encodes {@code chars[0, n)} (well-formed UTF-16: the normaliser's output) into {@link #utf8}. */
    private int encodeUtf8(final char[] chars, final int n)
    {
        final byte[] out = utf8Buffer(3 * n);
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            k = put(out, k, chars, i, n);
            if (Character.isHighSurrogate(chars[i]) && i + 1 < n && Character.isLowSurrogate(chars[i + 1]))
            {
                i++;
            }
        }
        return k;
    }

    /** Encodes {@code text} into {@link #utf8}, each unpaired surrogate as U+FFFD. */
    private int encodeUtf8(final CharSequence text)
    {
        final int n = text.length();
        if (sequenceUtf8.length < 3 * n)
        {
            sequenceUtf8 = new byte[Math.max(3 * n, sequenceUtf8.length * 2)];
        }
        final byte[] out = sequenceUtf8;
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            final char c = text.charAt(i);
            if (c < 0x80)
            {
                out[k++] = (byte)c;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1)))
            {
                k = putCodePoint(out, k, Character.toCodePoint(c, text.charAt(i + 1)));
                i++;
            }
            else
            {
                k = putCodePoint(out, k, Character.isSurrogate(c) ? TextNormalizer.REPLACEMENT : c);
            }
        }
        return k;
    }

    private static int put(final byte[] out, final int k, final char[] chars, final int i, final int n)
    {
        final char c = chars[i];
        if (c < 0x80)
        {
            out[k] = (byte)c;
            return k + 1;
        }
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(chars[i + 1]))
        {
            return putCodePoint(out, k, Character.toCodePoint(c, chars[i + 1]));
        }
        return putCodePoint(out, k, Character.isSurrogate(c) ? TextNormalizer.REPLACEMENT : c);
    }

    private static int putCodePoint(final byte[] out, final int k, final int cp)
    {
        if (cp < 0x80)
        {
            out[k] = (byte)cp;
            return k + 1;
        }
        if (cp < 0x800)
        {
            out[k] = (byte)(0xC0 | cp >>> 6);
            out[k + 1] = (byte)(0x80 | cp & 0x3F);
            return k + 2;
        }
        if (cp < 0x10000)
        {
            out[k] = (byte)(0xE0 | cp >>> 12);
            out[k + 1] = (byte)(0x80 | cp >>> 6 & 0x3F);
            out[k + 2] = (byte)(0x80 | cp & 0x3F);
            return k + 3;
        }
        out[k] = (byte)(0xF0 | cp >>> 18);
        out[k + 1] = (byte)(0x80 | cp >>> 12 & 0x3F);
        out[k + 2] = (byte)(0x80 | cp >>> 6 & 0x3F);
        out[k + 3] = (byte)(0x80 | cp & 0x3F);
        return k + 4;
    }

    /** A UTF-16 char needs at most three UTF-8 bytes (a surrogate pair: four for two chars). */
    private byte[] utf8Buffer(final int minBytes)
    {
        if (utf8.length < minBytes)
        {
            utf8 = new byte[Math.max(minBytes, utf8.length * 2)];
        }
        return utf8;
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
