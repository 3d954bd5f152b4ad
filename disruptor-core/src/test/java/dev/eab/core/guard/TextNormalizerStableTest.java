package dev.eab.core.guard;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The normaliser's stable-starter path (a text of stable starters is its own NFKC, so {@link java.text.Normalizer} is
 * skipped): same output as the NFKC route on random texts of stable starters and of every other kind, and no
 * allocation on ordinary mixed-script text.
 */
class TextNormalizerStableTest
{
    private static final long SEED = Long.getLong("eab.test.seed", new SplittableRandom().nextLong());

    @Test
    void stableStarterTextsNormaliseAsThroughNfkc()
    {
        final SplittableRandom r = new SplittableRandom(SEED);
        final List<Integer> stable = new ArrayList<>();
        final List<Integer> other = new ArrayList<>();
        for (int cp = 0x80; cp < 0x30000; cp++)
        {
            if (cp >= 0xD800 && cp <= 0xDFFF || !Character.isDefined(cp))
            {
                continue;
            }
            (TextNormalizer.isStableStarter(cp) ? stable : other).add(cp);
        }
        assertTrue(stable.size() > 50_000, "stable starters: " + stable.size());
        assertFalse(TextNormalizer.isStableStarter(0x0301), "a combining mark");
        assertFalse(TextNormalizer.isStableStarter(0xFF29), "a fullwidth letter (NFKC maps it)");
        assertFalse(TextNormalizer.isStableStarter(0x1161), "a Hangul vowel jamo (composes with what precedes)");
        assertTrue(TextNormalizer.isStableStarter(0x00E9), "é, precomposed");
        // Every stable starter after a random stable starter, and random mixes with a few others.
        for (int i = 0; i < stable.size(); i++)
        {
            final String s = new StringBuilder().appendCodePoint(stable.get(r.nextInt(stable.size()))).appendCodePoint(stable.get(i))
                .append(r.nextBoolean() ? "Ab" : "").toString();
            assertEquals(TextNormalizer.normalizeThroughNfkc(s), TextNormalizer.normalize(s), "seed " + SEED + ": " + s);
        }
        for (int n = 0; n < 20_000; n++)
        {
            final StringBuilder b = new StringBuilder();
            for (int k = r.nextInt(12); k >= 0; k--)
            {
                final int pick = r.nextInt(10);
                b.appendCodePoint(pick < 6 ? stable.get(r.nextInt(stable.size())) : pick < 8 ? 'A' + r.nextInt(58) : other.get(r.nextInt(other.size())));
            }
            final String s = b.toString();
            assertEquals(TextNormalizer.normalizeThroughNfkc(s), TextNormalizer.normalize(s), "seed " + SEED + ": " + s);
            assertEquals(TextNormalizer.normalizeThroughNfkc(s), TextNormalizer.normalize(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void mixedScriptTextAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final byte[] text = ("Bitte fasse den Quartalsbericht zusammen, Größe 12 Seiten. Merci de vérifier la facture n° 4411 avant " +
            "vendredi. 請在週五之前完成對帳。Пожалуйста, проверьте отчёт. café naïve résumé ✅ 🎉 ").repeat(4).getBytes(StandardCharsets.UTF_8);
        final JavaContentScanner scanner = new JavaContentScanner(GuardrailPatterns.defaults(), dev.eab.api.KeywordMatching.SUBSTRING);
        long sink = 0;
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int n = 0; n < 5_000; n++)
            {
                sink += scanner.scan(text, 0, text.length) + scanner.impactKeywords() + 1;
            }
            best = Math.min(best, threads.getCurrentThreadAllocatedBytes() - before);
        }
        assertNotEquals(0, sink);
        assertTrue(best < 4096, "the scanner allocates per unicode scan: " + best + " B over 5,000 scans");
    }
}
