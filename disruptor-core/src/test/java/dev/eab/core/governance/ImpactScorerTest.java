package dev.eab.core.governance;

import dev.eab.api.KeywordMatching;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The scorer's rules (reference §3.5), the shared vectors, and the decaying volume window and drift. */
class ImpactScorerTest
{
    private static final byte[] NO_TOOLS = new byte[0];
    private static final int EVENT = MessageType.EVENT.ordinal();

    private static double score(final ImpactScorer s, final String text, final int priority)
    {
        final byte[] t = text.getBytes(StandardCharsets.UTF_8);
        return s.score(0, 0, t, t.length, NO_TOOLS, 0, 0, priority, EVENT);
    }

    static List<String[]> vectors() throws IOException
    {
        final Path file = Path.of("..", "ffi-headers", "impact_vectors.csv");
        final List<String[]> out = new ArrayList<>();
        for (final String line : Files.readAllLines(file))
        {
            if (!line.isBlank() && !line.startsWith("#"))
            {
                out.add(line.split("\\|", -1));
            }
        }
        return out;
    }

    private static void checkVectors(final java.util.function.Function<KeywordMatching, ImpactScorer> factory) throws IOException
    {
        final List<String[]> vectors = vectors();
        assertTrue(vectors.size() >= 15, "vectors file read");
        for (final String[] f : vectors)
        {
            try (ImpactScorer s = factory.apply(f[0].equals("word") ? KeywordMatching.WORD : KeywordMatching.SUBSTRING))
            {
                final byte[] text = f[1].replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
                final byte[] tools = f[2].replace(',', '\n').getBytes(StandardCharsets.UTF_8);
                final double got = s.score(0, 0, text, text.length, tools, tools.length, Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                    Integer.parseInt(f[5]));
                assertEquals(Double.parseDouble(f[6]), got, 1e-9, String.join("|", f));
            }
        }
    }

    @Test
    void javaScorerHoldsTheSharedVectors() throws IOException
    {
        checkVectors(m -> new JavaImpactScorer(4, m));
    }

    @Test
    void nativeScorerHoldsTheSharedVectors() throws IOException
    {
        assumeTrue(NativeBindings.available(), "native library not built");
        checkVectors(m -> new NativeImpactScorer(4, m));
    }

    @Test
    void workedValuesOfTheReference()
    {
        // {"content":"hello world"}: what the bus scores is the gathered text "content\nhello world".
        assertEquals(0.15, score(new JavaImpactScorer(1, KeywordMatching.SUBSTRING), "content\nhello world", Priority.NORMAL.value()), 1e-12);
        assertEquals(0.90, score(new JavaImpactScorer(1, KeywordMatching.SUBSTRING), "content\nhello world", Priority.CRITICAL.value()));
        // Three keywords: the semantic override lands exactly on the threshold.
        assertEquals(0.80, score(new JavaImpactScorer(1, KeywordMatching.SUBSTRING), "critical security breach", Priority.NORMAL.value()));
    }

    @Test
    void factorsAreReportedByName()
    {
        final JavaImpactScorer s = new JavaImpactScorer(1, KeywordMatching.SUBSTRING);
        final byte[] tools = "delete_records".getBytes(StandardCharsets.US_ASCII);
        final byte[] text = "audit".getBytes(StandardCharsets.US_ASCII);
        s.score(0, 0, text, text.length, tools, tools.length, ImpactScorer.FLAG_AMOUNT_OVER_1000, Priority.HIGH.value(),
            MessageType.GOVERNANCE_REQUEST.ordinal());
        final double[] f = s.factors();
        assertEquals(0.5, f[ImpactScorer.SEMANTIC]);
        assertEquals(0.9, f[ImpactScorer.PERMISSION]);
        assertEquals(0.1, f[ImpactScorer.VOLUME]);
        assertEquals(0.2 + 0.4, f[ImpactScorer.CONTEXT]);
        assertEquals(0.0, f[ImpactScorer.DRIFT]);
        assertEquals(0.7, f[ImpactScorer.PRIORITY]);
        assertEquals(0.8, f[ImpactScorer.TYPE]);
    }

    @Test
    void substringModeCountsInsideWordsAndWordModeOnlyAtWordStarts()
    {
        final byte[] t = "an Asterisk, a cyberattack, two BREACHES".getBytes(StandardCharsets.US_ASCII);
        final int sub = ImpactKeywords.find(t, 0, t.length, KeywordMatching.SUBSTRING);
        final int word = ImpactKeywords.find(t, 0, t.length, KeywordMatching.WORD);
        assertEquals(3, Integer.bitCount(sub), "risk, attack, breach");
        assertEquals(1, Integer.bitCount(word), "breach only");
        assertEquals(sub & word, word, "word mode finds a subset of substring mode");
    }

    @Test
    void eachKeywordIsFoundAloneInAnyAsciiCaseAndCountsOnce()
    {
        for (int k = 0; k < ImpactKeywords.KEYWORDS.length; k++)
        {
            final String kw = ImpactKeywords.KEYWORDS[k];
            for (final String text : List.of(kw, kw.toUpperCase(), "x " + kw + " " + kw + "!"))
            {
                final byte[] b = text.getBytes(StandardCharsets.US_ASCII);
                assertEquals(1 << k, ImpactKeywords.find(b, 0, b.length, KeywordMatching.WORD), text);
            }
            final byte[] cut = kw.substring(0, kw.length() - 1).getBytes(StandardCharsets.US_ASCII);
            assertEquals(0, ImpactKeywords.find(cut, 0, cut.length, KeywordMatching.SUBSTRING) & (1 << k), "a keyword cut short is not found");
        }
    }

    /** The one-pass search against the obvious one (lowercase, indexOf per keyword) at every offset and in both modes. */
    @Test
    void keywordSearchAgreesWithANaiveReferenceAtEveryOffset()
    {
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        final String[] parts = {"risk", "RISK", "asterisk", "breach", "breaches", "alert", "audit", "legal", "x", "yz", " ", ".", "1", "é", "cyberattack",
            "transfer", "policy", "governance", "ris", "risky", "k", "unauthorized", "abc", "consensus", "_"};
        for (int n = 0; n < 50_000; n++)
        {
            final StringBuilder sb = new StringBuilder();
            final int count = rnd.nextInt(0, 8);
            for (int i = 0; i < count; i++)
            {
                sb.append(parts[rnd.nextInt(parts.length)]);
            }
            final String text = sb.toString();
            final byte[] b = text.getBytes(StandardCharsets.UTF_8);
            final int pad = rnd.nextInt(0, 3);
            final byte[] shifted = new byte[b.length + pad];
            System.arraycopy(b, 0, shifted, pad, b.length);
            for (final KeywordMatching mode : KeywordMatching.values())
            {
                final int expected = naive(text, mode);
                final int got = ImpactKeywords.find(shifted, pad, b.length, mode);
                if (Integer.bitCount(expected) < ImpactKeywords.SATURATION_COUNT)
                {
                    assertEquals(expected, got, mode + " '" + text + "'");
                }
                else
                {
                    assertEquals(ImpactKeywords.SATURATION_COUNT, Integer.bitCount(got), mode + " '" + text + "'");
                    assertEquals(got, got & expected, mode + " '" + text + "'");
                }
            }
        }
    }

    private static int naive(final String text, final KeywordMatching mode)
    {
        final String lower = text.toLowerCase(java.util.Locale.ROOT);
        int mask = 0;
        for (int k = 0; k < ImpactKeywords.KEYWORDS.length; k++)
        {
            final String kw = ImpactKeywords.KEYWORDS[k];
            for (int at = lower.indexOf(kw); at >= 0; at = lower.indexOf(kw, at + 1))
            {
                final char before = at == 0 ? ' ' : lower.charAt(at - 1);
                if (mode == KeywordMatching.SUBSTRING || !(before < 0x80 && Character.isLetterOrDigit(before)))
                {
                    mask |= 1 << k;
                    break;
                }
            }
        }
        return mask;
    }

    /** The one-pass permission factor against the reference's rule applied tool by tool. */
    @Test
    void permissionIsTheMaxOverToolsOfTheFirstMatchingTier()
    {
        final java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
        final String[] parts = {"read", "GET", "list", "view", "send", "Update", "modify", "execute", "delete", "write", "submit", "transfer",
            "_", "file", "x", "exec", "trans", "sen", "ute"};
        for (int n = 0; n < 20_000; n++)
        {
            final List<String> tools = new ArrayList<>();
            for (int t = rnd.nextInt(0, 4); t > 0; t--)
            {
                final StringBuilder sb = new StringBuilder();
                for (int p = rnd.nextInt(1, 4); p > 0; p--)
                {
                    sb.append(parts[rnd.nextInt(parts.length)]);
                }
                tools.add(sb.toString());
            }
            double expected = 0.1;
            for (final String tool : tools)
            {
                final String l = tool.toLowerCase(java.util.Locale.ROOT);
                final double f = List.of("execute", "delete", "write", "submit", "transfer").stream().anyMatch(l::contains) ? 0.9
                    : List.of("send", "update", "modify").stream().anyMatch(l::contains) ? 0.5
                    : List.of("read", "get", "list", "view").stream().anyMatch(l::contains) ? 0.2 : 0.1;
                expected = Math.max(expected, f);
            }
            final byte[] b = String.join("\n", tools).getBytes(StandardCharsets.US_ASCII);
            assertEquals(expected, JavaImpactScorer.permission(b, b.length), tools.toString());
        }
    }

    @Test
    void volumeCountsTheLastMinuteAndDecays()
    {
        final JavaImpactScorer s = new JavaImpactScorer(2, KeywordMatching.SUBSTRING);
        final byte[] t = "hi".getBytes(StandardCharsets.US_ASCII);
        long now = 1_000_000;
        for (int i = 0; i < 150; i++)
        {
            s.score(0, now, t, t.length, NO_TOOLS, 0, 0, 1, EVENT);
            now += 100; // 150 calls over 15 s
        }
        s.score(0, now, t, t.length, NO_TOOLS, 0, 0, 1, EVENT);
        assertEquals(1.0, s.factors()[ImpactScorer.VOLUME], "150 calls before this one within the window");
        s.score(1, now, t, t.length, NO_TOOLS, 0, 0, 1, EVENT);
        assertEquals(0.1, s.factors()[ImpactScorer.VOLUME], "per agent");
        // Two minutes later the window is empty again (the original's counter never decayed).
        s.score(0, now + 120_000, t, t.length, NO_TOOLS, 0, 0, 1, EVENT);
        assertEquals(0.1, s.factors()[ImpactScorer.VOLUME]);
    }

    @Test
    void volumeThresholdsAreTwentyFiftyAndOneFifty()
    {
        final JavaImpactScorer s = new JavaImpactScorer(1, KeywordMatching.SUBSTRING);
        final byte[] t = "hi".getBytes(StandardCharsets.US_ASCII);
        final double[] seen = new double[151];
        for (int i = 0; i <= 150; i++)
        {
            s.score(0, 5_000, t, t.length, NO_TOOLS, 0, 0, 1, EVENT);
            seen[i] = s.factors()[ImpactScorer.VOLUME];
        }
        assertEquals(0.1, seen[19]);
        assertEquals(0.2, seen[20]);
        assertEquals(0.2, seen[49]);
        assertEquals(0.5, seen[50]);
        assertEquals(0.5, seen[149]);
        assertEquals(1.0, seen[150]);
    }

    @Test
    void driftIsTwiceTheDistanceFromTheAgentsMeanSemantic()
    {
        final JavaImpactScorer s = new JavaImpactScorer(1, KeywordMatching.SUBSTRING);
        final byte[] calm = "hello".getBytes(StandardCharsets.US_ASCII);
        final byte[] alarm = "critical security breach attack exploit".getBytes(StandardCharsets.US_ASCII);
        s.score(0, 0, calm, calm.length, NO_TOOLS, 0, 0, 1, EVENT);
        assertEquals(0.0, s.factors()[ImpactScorer.DRIFT], "first message");
        s.score(0, 0, calm, calm.length, NO_TOOLS, 0, 0, 1, EVENT);
        assertEquals(0.0, s.factors()[ImpactScorer.DRIFT]);
        s.score(0, 0, alarm, alarm.length, NO_TOOLS, 0, 0, 1, EVENT);
        assertEquals(1.0, s.factors()[ImpactScorer.DRIFT], "min(1, 2 x |1.0 - 0.1|)");
    }

    @Test
    void anOutOfRangeAgentScoresWithFreshState()
    {
        final JavaImpactScorer s = new JavaImpactScorer(1, KeywordMatching.SUBSTRING);
        final byte[] t = "content\nhello world".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 30; i++)
        {
            assertEquals(0.15, s.score(7, 0, t, t.length, NO_TOOLS, 0, 0, 1, EVENT), 1e-12);
            assertEquals(0.15, s.score(-1, 0, t, t.length, NO_TOOLS, 0, 0, 1, EVENT), 1e-12);
        }
    }
}
