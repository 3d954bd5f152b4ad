package dev.eab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LatencyChartTest
{
    @Test
    @Timeout(60)
    void writesAPngWithOneLinePerRun(@TempDir final Path dir) throws Exception
    {
        final List<RunResult> runs = new ArrayList<>();
        for (final long rate : new long[] {10_000, 100_000, 0})
        {
            final RunResult r = new RunResult();
            r.series = rate == 0 ? "baseline-disruptor" : "eab-native";
            r.offeredPerSec = rate;
            for (long v = 1; v <= 100_000; v++)
            {
                r.latency.recordValue(300 + (v % 1000) * (v % 97 == 0 ? 500 : 3));
            }
            runs.add(r);
        }
        LatencyChart.writeAll(runs, dir, "test machine");
        for (final String f : new String[] {"latency.png", "latency-10000.png", "latency-100000.png", "latency-saturation.png"})
        {
            assertTrue(Files.size(dir.resolve(f)) > 1000, f);
        }
    }

    @Test
    void oneColourPerSeriesAndOneStylePerRate()
    {
        final java.util.Set<java.awt.Color> colours = new java.util.HashSet<>();
        for (final Series s : Series.values())
        {
            colours.add(LatencyChart.colourOf(s.label()));
        }
        assertEquals(Series.values().length, colours.size(), "every series has its own colour");
        assertNotEquals(LatencyChart.colourOf(Report.FLOOR), LatencyChart.colourOf(Report.NAIVE));
        final java.util.Set<String> styles = new java.util.HashSet<>();
        for (final long rate : BenchOptions.DEFAULT_RATES)
        {
            styles.add(java.util.Arrays.toString(LatencyChart.strokeOf(rate).getDashArray()));
        }
        assertEquals(BenchOptions.DEFAULT_RATES.size(), styles.size(), "every rate has its own line style");
    }

    @Test
    void pointsRiseAlongTheNinesAxis()
    {
        final RunResult r = new RunResult();
        for (long v = 1; v <= 10_000; v++)
        {
            r.latency.recordValue(v);
        }
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        LatencyChart.points(r.latency, xs, ys);
        assertFalse(xs.isEmpty());
        for (int i = 1; i < xs.size(); i++)
        {
            assertTrue(xs.get(i) > xs.get(i - 1));
            assertTrue(ys.get(i) >= ys.get(i - 1));
        }
        assertEquals(4.0, xs.get(xs.size() - 1), 1e-9);
    }
}
