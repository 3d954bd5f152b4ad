package dev.eab.core.governance;

import dev.eab.api.KeywordMatching;
import dev.eab.api.MessageType;
import dev.eab.core.guard.GuardrailPatterns;
import dev.eab.core.guard.JavaContentScanner;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link JavaImpactScorer#scoreFound} with the keyword mask the Java scanner found in its own pass gives what
 * {@link JavaImpactScorer#score} gives on the same text: on the shared vectors, and over a long random sequence that
 * builds up the volume window and the drift history identically in both scorers.
 */
class ImpactScoreFoundTest
{
    private static final GuardrailPatterns PATTERNS = GuardrailPatterns.defaults();

    @Test
    void scoreFoundHoldsTheSharedVectors() throws Exception
    {
        final List<String[]> vectors = ImpactScorerTest.vectors();
        assertTrue(vectors.size() >= 15, "vectors file read");
        for (final String[] f : vectors)
        {
            final KeywordMatching mode = f[0].equals("word") ? KeywordMatching.WORD : KeywordMatching.SUBSTRING;
            final byte[] text = f[1].replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
            final byte[] tools = f[2].replace(',', '\n').getBytes(StandardCharsets.UTF_8);
            final JavaContentScanner scanner = new JavaContentScanner(PATTERNS, mode);
            scanner.scan(text);
            try (JavaImpactScorer s = new JavaImpactScorer(4, mode))
            {
                final double got = s.scoreFound(0, 0, scanner.impactKeywords(), tools, tools.length, Integer.parseInt(f[3]),
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]));
                assertEquals(Double.parseDouble(f[6]), got, 1e-9, String.join("|", f));
            }
        }
    }

    @Test
    void scoreFoundAndScoreKeepIdenticalHistories()
    {
        final long seed = new SplittableRandom().nextLong();
        final SplittableRandom r = new SplittableRandom(seed);
        final String[] words = {"critical", "Security", "breach", "audit", "asterisk", "payment", "hello", "world", "risky", "é", "  ", "\n",
            "transferred", "cyberattack", "the", "ledger"};
        final byte[][] tools = {new byte[0], "read_file".getBytes(StandardCharsets.US_ASCII), "execute\nsend".getBytes(StandardCharsets.US_ASCII)};
        for (final KeywordMatching mode : KeywordMatching.values())
        {
            final JavaContentScanner scanner = new JavaContentScanner(PATTERNS, mode);
            try (JavaImpactScorer byText = new JavaImpactScorer(8, mode); JavaImpactScorer byMask = new JavaImpactScorer(8, mode))
            {
                long now = 0;
                for (int n = 0; n < 20_000; n++)
                {
                    final StringBuilder b = new StringBuilder();
                    for (int k = r.nextInt(12); k > 0; k--)
                    {
                        b.append(words[r.nextInt(words.length)]).append(r.nextBoolean() ? " " : "");
                    }
                    final byte[] text = b.toString().getBytes(StandardCharsets.UTF_8);
                    scanner.scan(text);
                    now += r.nextInt(500);
                    final int agent = r.nextInt(10) - 1; // -1 and 8: untracked handles
                    final byte[] t = tools[r.nextInt(tools.length)];
                    final int flags = r.nextInt(2);
                    final int priority = r.nextInt(4);
                    final int type = r.nextInt(MessageType.values().length);
                    final double expected = byText.score(agent, now, text, text.length, t, t.length, flags, priority, type);
                    final double got = byMask.scoreFound(agent, now, scanner.impactKeywords(), t, t.length, flags, priority, type);
                    assertEquals(expected, got, "seed " + seed + " #" + n + " " + mode + ": " + b);
                    assertArrayEquals(byText.factors(), byMask.factors());
                }
            }
        }
    }

    @Test
    void anEmptyTextIsNotATextWithoutKeywords()
    {
        final JavaContentScanner scanner = new JavaContentScanner(PATTERNS, KeywordMatching.SUBSTRING);
        scanner.scan(new byte[0]);
        assertEquals(ImpactScorer.KEYWORD_MASK_EMPTY_TEXT, scanner.impactKeywords());
        try (JavaImpactScorer s = new JavaImpactScorer(1, KeywordMatching.SUBSTRING))
        {
            s.scoreFound(0, 0, scanner.impactKeywords(), new byte[0], 0, 0, 1, 0);
            assertEquals(0.0, s.factors()[ImpactScorer.SEMANTIC]);
            s.scoreFound(0, 0, 0, new byte[0], 0, 0, 1, 0);
            assertEquals(0.1, s.factors()[ImpactScorer.SEMANTIC]);
        }
    }

    @Test
    void scoreFoundAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] tools = "read_file\nsend_mail".getBytes(StandardCharsets.US_ASCII);
        try (JavaImpactScorer s = new JavaImpactScorer(16, KeywordMatching.SUBSTRING))
        {
            double sink = 0;
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int n = 0; n < 100_000; n++)
                {
                    sink += s.scoreFound(n & 15, n, n & 0x0F0F, tools, tools.length, 0, 1, 0);
                }
                best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
            }
            assertTrue(sink > 0);
            assertTrue(best < 4096, "scoreFound allocates per call: " + best + " B over 100,000 calls");
        }
    }
}
