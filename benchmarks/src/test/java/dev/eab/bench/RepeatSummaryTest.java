package dev.eab.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RepeatSummaryTest
{
    /** A run whose every message took {@code p50Us} except the slowest 5 %, which took {@code p99Us}. */
    private static RunResult run(final String series, final long rate, final double p50Us, final double p99Us)
    {
        final RunResult r = new RunResult();
        r.series = series;
        r.offeredPerSec = rate;
        r.latency.recordValueWithCount((long)(p50Us * 1000), 95);
        r.latency.recordValueWithCount((long)(p99Us * 1000), 5);
        r.deliveryCpuCores = 0.05;
        return r;
    }

    private static RunResult failed(final String series, final long rate)
    {
        final RunResult r = new RunResult();
        r.series = series;
        r.offeredPerSec = rate;
        r.error = "child exited with 1";
        return r;
    }

    @Test
    void mediansAndRangesOverRounds()
    {
        final RepeatSummary s = new RepeatSummary(5);
        final double[] p50 = {9, 3, 500, 4, 5};
        for (int i = 0; i < 5; i++)
        {
            s.add(i, run("eab-native-phased", 10_000, p50[i], 100 + i));
        }
        final RepeatSummary.Spread m = s.percentile("eab-native-phased", 10_000, 50);
        assertEquals(5, m.n());
        assertEquals(5.0, m.median(), 0.01, "the median ignores the one noisy round");
        assertEquals(3.0, m.min(), 0.01);
        assertEquals(500.0, m.max(), 0.5);
        assertEquals(0, s.percentile("eab-native-phased", 100_000, 50).n(), "never ran at that rate");
    }

    @Test
    void evenRoundsAverageTheMiddleTwoAndFailedRoundsAreMissing()
    {
        final RepeatSummary s = new RepeatSummary(3);
        s.add(0, run("baseline-abq", 100, 10, 50));
        s.add(1, failed("baseline-abq", 100));
        s.add(2, run("baseline-abq", 100, 20, 60));
        final RepeatSummary.Spread m = s.percentile("baseline-abq", 100, 50);
        assertEquals(2, m.n());
        assertEquals(15.0, m.median(), 0.05);
    }

    @Test
    void winsCompareTheSameRoundOnly()
    {
        final RepeatSummary s = new RepeatSummary(4);
        // round 0: bus ahead at both; 1: p50 only; 2: p99 only; 3: the baseline failed (not counted)
        s.add(0, run("eab-native-phased", 10_000, 4, 20));
        s.add(0, run("baseline-abq", 10_000, 5, 30));
        s.add(1, run("eab-native-phased", 10_000, 4, 40));
        s.add(1, run("baseline-abq", 10_000, 5, 30));
        s.add(2, run("eab-native-phased", 10_000, 6, 20));
        s.add(2, run("baseline-abq", 10_000, 5, 30));
        s.add(3, run("eab-native-phased", 10_000, 1, 2));
        s.add(3, failed("baseline-abq", 10_000));
        final RepeatSummary.Wins w = s.wins("eab-native-phased", "baseline-abq", 10_000);
        assertEquals(3, w.rounds());
        assertEquals(2, w.p50());
        assertEquals(2, w.p99());
        assertEquals(1, w.both());
        final List<RepeatSummary.Wins> all = s.allWins();
        assertEquals(1, all.size(), "one bus, one baseline, one rate");
        final RepeatSummary.Verdict v = s.targets().get(0);
        assertEquals(1, v.roundsPassed());
        assertEquals(3, v.rounds());
        assertTrue(v.description().startsWith("§3"));
        // medians: bus p50 4 vs 5 (ahead), p99 20 vs 30 (ahead); rounds: 1 of 3: they disagree
        assertEquals("MIXED", v.status());
    }

    @Test
    void sporadicTargetUsesTheFloorSlackAndFactor()
    {
        final RepeatSummary s = new RepeatSummary(3);
        // floor p50 10, p99 100. Round 0: +1.9 µs and 1.9x: pass. Round 1: +2.1 µs: fail. Round 2: 2.1x: fail.
        final double[][] bus = {{11.9, 190}, {12.1, 100}, {10, 210}};
        for (int i = 0; i < 3; i++)
        {
            s.add(i, run("eab-native-phased", 100, bus[i][0], bus[i][1]));
            s.add(i, run("baseline-disruptor-phased", 100, 10, 100));
        }
        final RepeatSummary.Verdict v = s.targets().stream().filter(t -> t.description().startsWith("§4 eab-native-phased")).findFirst().orElseThrow();
        assertEquals(1, v.roundsPassed());
        assertEquals(3, v.rounds());
        // medians: p50 11.9 (+1.9, pass), p99 190 (1.9x, pass) but only 1 of 3 rounds: MIXED
        assertEquals("MIXED", v.status());
        assertTrue(RepeatSummary.sporadicPass(12, 10, 200, 100), "the bounds are inclusive");
        assertFalse(RepeatSummary.sporadicPass(12.01, 10, 200, 100));
    }

    @Test
    void passAndMissNeedMediansAndRoundsToAgree()
    {
        final RepeatSummary s = new RepeatSummary(3);
        for (int i = 0; i < 3; i++)
        {
            s.add(i, run("eab-native-phased", 100_000, 2, 20));
            s.add(i, run("baseline-abq", 100_000, 3, 30));
            s.add(i, run("eab-native-phased", 10_000, 9, 90));
            s.add(i, run("baseline-abq", 10_000, 3, 30));
        }
        final Map<String, String> status = new java.util.HashMap<>();
        s.targets().forEach(v -> status.put(v.description(), v.status()));
        assertEquals("PASS", status.get("§3 eab-native-phased ahead of baseline-abq at p50 and p99 @100k/s"));
        assertEquals("MISS", status.get("§3 eab-native-phased ahead of baseline-abq at p50 and p99 @10k/s"));
        final String json = dev.eab.core.ops.Json.write(s.toJson());
        assertTrue(json.contains("\"both_wins\""), json);
        assertTrue(json.contains("\"p99_9_us\""), json);
    }

    @Test
    void repeatOption()
    {
        assertEquals(5, BenchOptions.parse(new String[] {"--repeat", "5"}).repeat);
        assertEquals(1, BenchOptions.parse(new String[0]).repeat);
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--repeat", "0"}));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--repeat", "3", "--jmh"}));
    }
}
