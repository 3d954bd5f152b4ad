package dev.eab.bench;

import dev.eab.core.ops.HiccupMeter;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BenchOptionsTest
{
    @Test
    void defaultsAreTheFullSuite()
    {
        final BenchOptions o = BenchOptions.parse(new String[0]);
        assertFalse(o.quick);
        assertFalse(o.series.contains(Series.EAB_NATIVE_FLOOD), "the flood series is opt-in");
        assertTrue(o.series.containsAll(List.of(Series.EAB_NATIVE, Series.EAB_NATIVE_PHASED, Series.EAB_NATIVE_BACKOFF, Series.EAB_NATIVE_BLOCKING,
            Series.BASELINE_ABQ, Series.BASELINE_ABQ_NOSCAN, Series.BASELINE_DISRUPTOR, Series.BASELINE_DISRUPTOR_PHASED)));
        assertNull(o.rates, "each series at its own rates");
        assertEquals(List.of(100L, 1_000L, 10_000L, 100_000L, 0L), o.suiteRates());
        assertEquals(List.of(10_000L, 100_000L), o.ratesFor(Series.EAB_NATIVE_BACKOFF));
        assertEquals(HiccupMeter.Mode.SLEEP, o.hiccup);
        assertEquals("full", o.modeName());
    }

    @Test
    void filtersAndQuick()
    {
        final BenchOptions o = BenchOptions.parse(new String[] {"--quick", "--series", "eab-native,baseline-disruptor", "--rates", "100_000,saturation",
            "--no-hiccup"});
        assertTrue(o.quick);
        assertEquals(List.of(Series.EAB_NATIVE, Series.BASELINE_DISRUPTOR), o.series);
        assertEquals(List.of(100_000L, 0L), o.rates);
        assertEquals(List.of(100_000L, 0L), o.ratesFor(Series.EAB_NATIVE_BACKOFF), "--rates applies to every series");
        assertEquals(HiccupMeter.Mode.OFF, o.hiccup);
        assertTrue(o.warmupFor(100_000) < BenchOptions.parse(new String[0]).warmupFor(100_000));
    }

    @Test
    void sporadicRatesWarmUpFastAndQuickStaysShort()
    {
        assertEquals(BenchOptions.JIT_WARMUP_RATE, BenchOptions.warmupRate(100));
        assertEquals(10_000, BenchOptions.warmupRate(10_000));
        assertEquals(0, BenchOptions.warmupRate(0));
        final BenchOptions quick = BenchOptions.parse(new String[] {"--quick"});
        double seconds = 0;
        for (final Series s : quick.series)
        {
            for (final long rate : quick.ratesFor(s))
            {
                seconds += quick.warmupFor(rate) + quick.measureFor(rate) + 2.5; // 2.5 s: a child JVM's start and stop
            }
        }
        assertTrue(seconds < 180, "--quick plans " + seconds + " s");
    }

    @Test
    void childArguments()
    {
        final BenchOptions o = BenchOptions.parse(new String[] {"--child", "eab-java", "10000", "2", "3.5", "/tmp/x", "--hiccup", "spin"});
        assertTrue(o.child);
        assertEquals(Series.EAB_JAVA, o.childSeries);
        assertEquals(10_000, o.childRate);
        assertEquals(3.5, o.childMeasureSec);
        assertEquals(HiccupMeter.Mode.SPIN, o.hiccup);
    }

    @Test
    void rejectsNonsense()
    {
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--series", "nope"}));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--rates", "-5"}));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--bogus"}));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse(new String[] {"--rates"}));
    }
}
