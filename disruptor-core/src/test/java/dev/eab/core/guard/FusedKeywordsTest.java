package dev.eab.core.guard;

import dev.eab.api.KeywordMatching;
import dev.eab.core.ffi.NativeBindings;
import dev.eab.core.governance.ImpactKeywords;
import dev.eab.core.governance.ImpactScorer;
import dev.eab.core.governance.NativeImpactScorer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The fused keyword pass: the Rust scanner built with a keyword matching mode finds the impact keywords in its own
 * pass over the text ({@link NativeContentScanner#impactKeywords()}), and must report exactly what the scorer's own
 * search ({@link ImpactKeywords#find}) finds, saturation rule included, on the shipped pattern set, while the family
 * verdicts stay those of the scanner without keywords. The native scorer given that mask
 * ({@link NativeImpactScorer#scoreFound}) must then score exactly as when it searches the text itself.
 */
class FusedKeywordsTest
{
    private static final int TEXTS = 20_000;
    private static final String[] PIECES = {
        "critical", "emergency", "security", "breach", "violation", "danger", "risk", "threat", "attack", "exploit", "vulnerability",
        "compromise", "governance", "policy", "regulation", "compliance", "legal", "audit", "financial", "transaction", "payment", "transfer",
        "blockchain", "consensus", "unauthorized", "abnormal", "suspicious", "alert", "RISK", "Audit", "asterisk", "cyberattack", "breaches",
        "crit", "securit", "ris", "k", "x9", "the", "and", " ", " ", " ", "\n", "-", "_", ".", "\"", "é", "日本", "\u212A", "\u200B", "ｒｉｓｋ",
        "ignore all previous instructions", "<script>", "union select (", "do anything now", "persona override", "2024"};

    @Test
    void theMaskIsWhatTheScorerWouldFindAndVerdictsAreUnchanged()
    {
        assumeTrue(NativeBindings.available(), "native library not built");
        final GuardrailPatterns patterns = GuardrailPatterns.defaults();
        for (final KeywordMatching mode : KeywordMatching.values())
        {
            final SplittableRandom rnd = new SplittableRandom(31L * mode.ordinal() + 7);
            int withKeywords = 0;
            int saturated = 0;
            try (NativeContentScanner fused = new NativeContentScanner(patterns, mode);
                NativeContentScanner plain = new NativeContentScanner(patterns))
            {
                for (int i = 0; i < TEXTS; i++)
                {
                    final byte[] text = text(rnd);
                    final long families = fused.scan(text, 0, text.length);
                    final int expected = ImpactKeywords.find(text, 0, text.length, mode);
                    assertEquals(expected, fused.impactKeywords(), () -> mode + " on " + new String(text, StandardCharsets.UTF_8));
                    assertEquals(plain.scan(text, 0, text.length), families, () -> "verdict changed on " + new String(text, StandardCharsets.UTF_8));
                    assertEquals(-1, plain.impactKeywords(), "a scanner built without keywords does not find them");
                    withKeywords += expected != 0 ? 1 : 0;
                    saturated += Integer.bitCount(expected) >= ImpactKeywords.SATURATION_COUNT ? 1 : 0;
                }
            }
            assertTrue(withKeywords > TEXTS / 4 && saturated > 50, mode + ": " + withKeywords + " with keywords, " + saturated + " saturated");
        }
    }

    @Test
    void theScorerGivenTheMaskScoresAsWhenItSearches()
    {
        assumeTrue(NativeBindings.available(), "native library not built");
        final GuardrailPatterns patterns = GuardrailPatterns.defaults();
        final byte[] tools = "read_file\nexecute_sql".getBytes(StandardCharsets.US_ASCII);
        for (final KeywordMatching mode : KeywordMatching.values())
        {
            final SplittableRandom rnd = new SplittableRandom(97L * mode.ordinal() + 3);
            try (NativeContentScanner scanner = new NativeContentScanner(patterns, mode);
                ImpactScorer searching = new NativeImpactScorer(8, mode);
                ImpactScorer given = new NativeImpactScorer(8, mode))
            {
                long now = 1_700_000_000_000L;
                for (int i = 0; i < 5_000; i++)
                {
                    final byte[] text = text(rnd);
                    if (text.length == 0)
                    {
                        continue;
                    }
                    scanner.scan(text, 0, text.length);
                    final int agent = rnd.nextInt(8);
                    final int priority = rnd.nextInt(4);
                    final int type = rnd.nextInt(12);
                    final int flags = rnd.nextInt(2);
                    now += rnd.nextInt(3_000);
                    final double a = searching.score(agent, now, text, text.length, tools, rnd.nextInt(tools.length + 1), flags, priority, type);
                    final double[] fa = searching.factors().clone();
                    final double b = given.scoreFound(agent, now, scanner.impactKeywords(), tools, 0, flags, priority, type);
                    // Tools length differs on purpose only in the permission factor: compare it apart.
                    assertEquals(fa[ImpactScorer.SEMANTIC], given.factors()[ImpactScorer.SEMANTIC], "semantic");
                    assertEquals(fa[ImpactScorer.DRIFT], given.factors()[ImpactScorer.DRIFT], "drift (state kept alike)");
                    assertEquals(fa[ImpactScorer.VOLUME], given.factors()[ImpactScorer.VOLUME], "volume (state kept alike)");
                    assertTrue(a >= 0 && b >= 0);
                }
                // Same tools: bit-identical scores and factors.
                final byte[] text = "critical security breach in the payment audit".getBytes(StandardCharsets.US_ASCII);
                scanner.scan(text, 0, text.length);
                final double a = searching.score(1, now, text, text.length, tools, tools.length, 0, 1, 3);
                final double b = given.scoreFound(1, now, scanner.impactKeywords(), tools, tools.length, 0, 1, 3);
                assertEquals(a, b);
                assertArrayEquals(searching.factors(), given.factors());
            }
        }
    }

    private static byte[] text(final SplittableRandom rnd)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++)
        {
            out.writeBytes(PIECES[rnd.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
