package dev.eab.core.guard;

import dev.eab.api.KeywordMatching;
import dev.eab.core.governance.ImpactKeywords;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fingerprint matcher against the stop-8 byte automaton ({@link ByteLiteralMatcher}, kept as the reference) over
 * generated texts: the same family bits, and the same trigger conditions once the lazy ones are resolved, so the
 * scanner runs exactly the regexes it ran before. Texts are built from every searched string (random case, cut short
 * by one byte, planted at the text's start and end and at an offset into a larger array), the impact keywords,
 * filler and non-ASCII pieces. Also: the lazy SWAR search against {@code String.contains} on the folded text.
 */
class FingerprintMatcherDifferentialTest
{
    private static final long SEED = Long.getLong("eab.test.seed", new SplittableRandom().nextLong());
    private static final int TEXTS = 20_000;
    private static final String FILLER = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?-_/()'\"<>=[]{}|#*@\\`\n\t";
    private static final String[] NON_ASCII = {"é", "日本", "🎉", "“", "’", "«", "Ｉｇｎｏｒｅ", "\u00ad", "ß", "ı"};

    @Test
    void sameFamiliesAndConditionsAsTheByteAutomaton()
    {
        for (final KeywordMatching mode : new KeywordMatching[] {null, KeywordMatching.SUBSTRING, KeywordMatching.WORD})
        {
            compare(new JavaContentScanner(GuardrailPatterns.defaults(), mode), mode, TEXTS / 2);
        }
    }

    private static void compare(final JavaContentScanner scanner, final KeywordMatching mode, final int texts)
    {
        final SplittableRandom r = new SplittableRandom(SEED);
        final FingerprintLiteralMatcher fingerprint = scanner.matcher();
        final ByteLiteralMatcher reference = scanner.referenceMatcher();
        final int conditions = scanner.conditions();
        final int words = scanner.conditionWords();
        final List<String> pieces = new ArrayList<>();
        for (final GuardrailFamily f : scanner.patterns().families())
        {
            pieces.addAll(f.literals());
            for (final String re : f.regexes())
            {
                final List<List<String>> c = RegexTriggers.of(re);
                if (c != null)
                {
                    c.forEach(pieces::addAll);
                }
            }
        }
        pieces.addAll(Arrays.asList(ImpactKeywords.KEYWORDS));
        int matched = 0;
        int lazyResolved = 0;
        for (int n = 0; n < texts; n++)
        {
            final StringBuilder b = new StringBuilder();
            final int parts = r.nextInt(12);
            for (int p = 0; p < parts; p++)
            {
                switch (r.nextInt(5))
                {
                    case 0, 1 ->
                    {
                        final String s = pieces.get(r.nextInt(pieces.size()));
                        final String cased = r.nextBoolean() ? s : s.toUpperCase(java.util.Locale.ROOT);
                        b.append(r.nextInt(6) == 0 && cased.length() > 1 ? cased.substring(0, cased.length() - 1) : cased);
                    }
                    case 2 -> b.append(NON_ASCII[r.nextInt(NON_ASCII.length)]);
                    default ->
                    {
                        for (int k = r.nextInt(20); k > 0; k--)
                        {
                            b.append(FILLER.charAt(r.nextInt(FILLER.length())));
                        }
                    }
                }
            }
            final byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
            // At an offset into a larger array, so neither engine may read outside [off, off + len).
            final int off = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(8);
            final byte[] text = new byte[off + body.length + r.nextInt(8)];
            Arrays.fill(text, (byte)'x');
            System.arraycopy(body, 0, text, off, body.length);
            final long[] expected = new long[words];
            final long expectedMask = reference.scan(text, off, body.length, expected, null);
            final long[] actual = new long[words];
            final long actualMask = fingerprint.scan(text, off, body.length, actual);
            for (int c = 0; c < conditions; c++)
            {
                if ((actual[c >>> 6] >>> c & 1) == 0 && fingerprint.hasLazy(c) && fingerprint.lazyHolds(c, text, off, body.length))
                {
                    actual[c >>> 6] |= 1L << c;
                    lazyResolved++;
                }
            }
            final String shown = "seed " + SEED + " mode " + mode + " off " + off + ": " + b;
            assertEquals(expectedMask, actualMask, "families, " + shown);
            assertArrayEquals(expected, actual, "conditions, " + shown);
            if (mode != null)
            {
                final int found = fingerprint.keywordsFound();
                final int find = ImpactKeywords.find(text, off, body.length, mode);
                if (Integer.bitCount(found) <= ImpactKeywords.SATURATION_COUNT)
                {
                    assertEquals(find, found, "keywords, " + shown);
                }
                else
                {
                    assertEquals(find, find & found, "find keeps five of those found, " + shown);
                }
            }
            matched += expectedMask != 0 ? 1 : 0;
        }
        assertTrue(matched > texts / 10, "texts with a literal: " + matched);
        assertTrue(lazyResolved > texts / 10, "lazy conditions that held: " + lazyResolved);
    }

    /**
     * The pass reads windows at every other position only (each string has a window at both parities, short strings with
     * an any-byte): every searched string and keyword, upper and lower case, planted at each offset 0..9 from the start
     * and ending at each offset 0..9 from the end of filler texts of several lengths, at both parities of {@code off},
     * gives the reference automaton's families and conditions (and every keyword present is found).
     */
    @Test
    void everyStringAtEveryOffsetAndParity()
    {
        for (final KeywordMatching mode : new KeywordMatching[] {null, KeywordMatching.SUBSTRING})
        {
            final JavaContentScanner scanner = new JavaContentScanner(GuardrailPatterns.defaults(), mode);
            final FingerprintLiteralMatcher fingerprint = scanner.matcher();
            final ByteLiteralMatcher reference = scanner.referenceMatcher();
            final int conditions = scanner.conditions();
            final int words = scanner.conditionWords();
            final List<String> pieces = new ArrayList<>(scanner.searched());
            pieces.addAll(Arrays.asList(ImpactKeywords.KEYWORDS));
            int checked = 0;
            for (final String piece : pieces)
            {
                for (final String cased : new String[] {piece, piece.toUpperCase(java.util.Locale.ROOT)})
                {
                    final byte[] p = cased.getBytes(StandardCharsets.UTF_8);
                    for (final int fill : new int[] {0, 5, 13, 24})
                    {
                        for (int at = 0; at < 10; at++)
                        {
                            for (final boolean fromEnd : new boolean[] {false, true})
                            {
                                for (int off = 0; off < 2; off++)
                                {
                                    final int len = at + p.length + fill;
                                    final byte[] text = new byte[off + len + 3];
                                    Arrays.fill(text, (byte)'q');
                                    final int start = off + (fromEnd ? fill : at);
                                    System.arraycopy(p, 0, text, start, p.length);
                                    final long[] expected = new long[words];
                                    final long expectedMask = reference.scan(text, off, len, expected, null);
                                    final long[] actual = new long[words];
                                    final long actualMask = fingerprint.scan(text, off, len, actual);
                                    for (int c = 0; c < conditions; c++)
                                    {
                                        if ((actual[c >>> 6] >>> c & 1) == 0 && fingerprint.hasLazy(c) && fingerprint.lazyHolds(c, text, off, len))
                                        {
                                            actual[c >>> 6] |= 1L << c;
                                        }
                                    }
                                    final String shown = "mode " + mode + " [" + cased + "] at " + (start - off) + " of " + len + ", off " + off;
                                    assertEquals(expectedMask, actualMask, "families, " + shown);
                                    assertArrayEquals(expected, actual, "conditions, " + shown);
                                    if (mode != null)
                                    {
                                        final int find = ImpactKeywords.find(text, off, len, mode);
                                        assertEquals(find, find & fingerprint.keywordsFound(), "keywords, " + shown);
                                    }
                                    checked++;
                                }
                            }
                        }
                    }
                }
            }
            assertTrue(checked > 10_000, "placements: " + checked);
        }
    }

    @Test
    void theLazySearchEqualsContainsOnTheFoldedText()
    {
        final SplittableRandom r = new SplittableRandom(SEED ^ 0x1A2B);
        final String alphabet = "abAB.-/<xyz é";
        for (int n = 0; n < 20_000; n++)
        {
            final StringBuilder t = new StringBuilder();
            for (int k = r.nextInt(40); k > 0; k--)
            {
                t.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            final StringBuilder s = new StringBuilder();
            for (int k = 1 + r.nextInt(4); k > 0; k--)
            {
                s.append("ab.-/<é".charAt(r.nextInt(7)));
            }
            final byte[] text = t.toString().getBytes(StandardCharsets.UTF_8);
            final byte[] needle = s.toString().getBytes(StandardCharsets.UTF_8);
            final String folded = new String(foldAscii(text), StandardCharsets.UTF_8);
            assertEquals(folded.contains(s), FingerprintLiteralMatcher.contains(text, 0, text.length, needle), "[" + t + "] contains [" + s + "]");
        }
    }

    private static byte[] foldAscii(final byte[] b)
    {
        final byte[] out = b.clone();
        for (int i = 0; i < out.length; i++)
        {
            if (out[i] >= 'A' && out[i] <= 'Z')
            {
                out[i] += 'a' - 'A';
            }
        }
        return out;
    }
}
