package dev.eab.core.governance;

import dev.eab.api.KeywordMatching;
import dev.eab.core.ffi.NativeBindings;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Rust scorer and its Java twin, fed the same generated sequence (texts mixing keywords, their fragments,
 * mixed case, punctuation, digits and non-ASCII bytes; tool lists; amounts; priorities; types; agents in and out of
 * range; a clock moving forwards, jumping and going back) must give bit-identical scores and factors, state
 * included.
 */
class ImpactDifferentialTest
{
    private static final int CALLS = 40_000;
    private static final String[] WORDS = {
        "hello", "world", "risk", "asterisk", "cyberattack", "breaches", "POLICY", "Audit", "transfer", "transfers", "alert!", "legal",
        "payment", "crit", "critica", "critical", "securit", "security", "consensus", "blockchain", "unauthorized", "suspicious", "abnormal",
        "governance", "vulnerability", "exploit", "threat", "danger", "violation", "emergency", "compromise", "regulation", "compliance",
        "financial", "transaction", "breach", "attack", "the", "and", "2024", "x", "-", "_", "\n", "é", "日本", "\u0000", "RiSk", "tRaNsFeR"};
    private static final String[] TOOLS = {"read_file", "get_user", "list", "view", "send_mail", "update", "modify", "execute_sql",
        "DELETE_ALL", "write", "submit", "transfer_funds", "noop", "ping", "rEaD"};

    @Test
    void nativeAndJavaAgreeBitForBit()
    {
        assumeTrue(NativeBindings.available(), "native library not built");
        for (final KeywordMatching mode : KeywordMatching.values())
        {
            run(mode, mode.ordinal() * 7919L + 42);
        }
    }

    private static void run(final KeywordMatching mode, final long seed)
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int agents = 8;
        try (ImpactScorer java = new JavaImpactScorer(agents, mode); ImpactScorer rust = new NativeImpactScorer(agents, mode))
        {
            long now = rnd.nextLong(-1_000_000_000L, 1_000_000_000L);
            for (int i = 0; i < CALLS; i++)
            {
                final byte[] text = text(rnd);
                final byte[] tools = tools(rnd);
                final int agent = rnd.nextInt(-2, agents + 2);
                final int flags = rnd.nextInt(3);
                final int priority = rnd.nextInt(-1, 5);
                final int type = rnd.nextInt(-1, 13);
                final int step = rnd.nextInt(100);
                now += step < 90 ? rnd.nextInt(0, 500) : step < 97 ? rnd.nextInt(0, 70_000) : -rnd.nextInt(0, 30_000);
                final int textLength = rnd.nextInt(10) == 0 ? 0 : text.length;
                final double js = java.score(agent, now, text, textLength, tools, tools.length, flags, priority, type);
                final double rs = rust.score(agent, now, text, textLength, tools, tools.length, flags, priority, type);
                final String what = mode + " call " + i + " text '" + new String(text, 0, textLength, StandardCharsets.UTF_8) + "'";
                assertEquals(Double.doubleToRawLongBits(js), Double.doubleToRawLongBits(rs), what + ": " + js + " vs " + rs);
                for (int f = 0; f < ImpactScorer.FACTOR_COUNT; f++)
                {
                    assertEquals(Double.doubleToRawLongBits(java.factors()[f]), Double.doubleToRawLongBits(rust.factors()[f]),
                        what + " factor " + ImpactScorer.FACTOR_NAMES[f]);
                }
            }
        }
    }

    private static byte[] text(final SplittableRandom rnd)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int words = rnd.nextInt(0, 40);
        for (int w = 0; w < words; w++)
        {
            if (w > 0 && rnd.nextInt(4) != 0)
            {
                out.write(' ');
            }
            out.writeBytes(WORDS[rnd.nextInt(WORDS.length)].getBytes(StandardCharsets.UTF_8));
        }
        if (rnd.nextInt(20) == 0)
        {
            final byte[] noise = new byte[rnd.nextInt(1, 64)];
            rnd.nextBytes(noise);
            out.writeBytes(noise);
        }
        return out.toByteArray();
    }

    private static byte[] tools(final SplittableRandom rnd)
    {
        final StringBuilder sb = new StringBuilder();
        final int n = rnd.nextInt(0, 4);
        for (int i = 0; i < n; i++)
        {
            if (i > 0)
            {
                sb.append('\n');
            }
            sb.append(TOOLS[rnd.nextInt(TOOLS.length)]);
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
