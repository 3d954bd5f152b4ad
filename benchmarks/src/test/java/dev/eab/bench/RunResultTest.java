package dev.eab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class RunResultTest
{
    @Test
    void roundTripsThroughTheChildFile(@TempDir final Path dir) throws Exception
    {
        final RunResult r = new RunResult();
        r.series = "eab-native";
        r.offeredPerSec = 100_000;
        r.warmupSec = 4;
        r.measureSec = 8.001;
        r.waitStrategy = "YIELDING";
        r.sent = 800_000;
        r.deliveredInWindow = 799_990;
        r.achievedPerSec = 99_998.75;
        r.retries = 3;
        r.hiccupMode = "SLEEP";
        for (long v = 1; v <= 1000; v++)
        {
            r.latency.recordValue(v * 100);
        }
        r.hiccups.recordValue(2_500_000);
        r.hiccups.recordValue(150_000);
        r.details.put("validator", "native");
        final Path f = dir.resolve("run.properties");
        r.write(f);
        final RunResult back = RunResult.read(f);
        assertEquals(r.key(), back.key());
        assertEquals("eab-native_100000", back.key());
        assertEquals(1000, back.latency.getTotalCount());
        assertEquals(r.latency.getValueAtPercentile(99), back.latency.getValueAtPercentile(99));
        assertEquals(r.latency.getMaxValue(), back.latency.getMaxValue());
        assertEquals(1, back.hiccupsOver1ms());
        assertEquals(800_000, back.sent);
        assertEquals(99_998.75, back.achievedPerSec);
        assertEquals("native", back.details.get("validator"));
        assertFalse(back.saturation());
    }

    @Test
    void chartAxisLabelsAreNines()
    {
        assertEquals("0%", LatencyChart.ninesLabel(0));
        assertEquals("90%", LatencyChart.ninesLabel(1));
        assertEquals("99%", LatencyChart.ninesLabel(2));
        assertEquals("99.9%", LatencyChart.ninesLabel(3));
        assertEquals("99.99%", LatencyChart.ninesLabel(4));
        assertEquals("", LatencyChart.ninesLabel(2.5));
        assertEquals(2.0, LatencyChart.ninesX(99), 1e-9);
        assertEquals(0.0, LatencyChart.ninesX(0), 1e-9);
    }
}
