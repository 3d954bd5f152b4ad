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
        assertEquals(List.of(Series.EAB_NATIVE, Series.EAB_NATIVE_NOSCAN, Series.EAB_JAVA, Series.BASELINE_ABQ, Series.BASELINE_DISRUPTOR), o.series);
        assertEquals(List.of(10_000L, 100_000L, 0L), o.rates);
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
        assertEquals(HiccupMeter.Mode.OFF, o.hiccup);
        assertTrue(o.warmupFor(100_000) < BenchOptions.parse(new String[0]).warmupFor(100_000));
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
