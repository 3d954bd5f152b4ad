package dev.eab.bench;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Every series has its own one-line legend, and the ones compared with each other say how they differ. */
class SeriesLegendTest
{
    @Test
    void everySeriesHasItsOwnLine()
    {
        final Set<String> lines = new HashSet<>();
        for (final Series s : Series.values())
        {
            final String line = SeriesLegend.of(s);
            assertFalse(line.isBlank(), s.label());
            assertFalse(line.contains("\n"), s.label() + ": one line");
            assertTrue(lines.add(line), s.label() + " shares its line with another series");
            assertEquals(line, SeriesLegend.of(s.label()), "by label");
        }
        assertEquals("unknown series", SeriesLegend.of("no-such-series"));
    }

    @Test
    void likeForLikePairsSayWhatTheyCheck()
    {
        assertTrue(SeriesLegend.of(Series.BASELINE_ABQ).contains("content scan"), "the naive queue scans like the bus");
        assertTrue(SeriesLegend.of(Series.BASELINE_ABQ_NOSCAN).contains("without the content scan"));
        assertTrue(SeriesLegend.of(Series.EAB_NATIVE_NOSCAN).contains("without the content scan"));
        assertTrue(SeriesLegend.of(Series.BASELINE_DISRUPTOR_PHASED).contains("PHASED"));
        assertTrue(SeriesLegend.of(Series.EAB_NATIVE_PHASED).contains("PHASED"));
    }
}
