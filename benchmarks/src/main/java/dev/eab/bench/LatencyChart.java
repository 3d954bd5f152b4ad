package dev.eab.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The percentile chart: x = percentile on HdrHistogram's "nines" axis (plotted as 1/(1-p), log scale,
 * so 90%, 99%, 99.9%... are evenly spaced), y = latency in µs, log scale; one line per (series, rate).
 */
public final class LatencyChart
{
    private LatencyChart()
    {
    }

    /**
     * @return the x position of {@code percentile} (0..100) on the nines axis: log10(1/(1-p)), so 0% is 0,
     * 90% is 1, 99% is 2, 99.9% is 3 (plotted on a linear axis; XChart's own log axis is not used).
     */
    public static double ninesX(final double percentile)
    {
        final double p = Math.min(percentile, 99.9999999) / 100.0;
        return Math.log10(1.0 / (1.0 - p));
    }

    /** @return the axis label for a nines-axis position (0 -> "0%", 1 -> "90%", 3 -> "99.9%"); "" between whole nines. */
    public static String ninesLabel(final double x)
    {
        final long nines = Math.round(x);
        if (Math.abs(x - nines) > 1e-6 || nines < 0)
        {
            return "";
        }
        if (nines == 0)
        {
            return "0%";
        }
        if (nines == 1)
        {
            return "90%";
        }
        final StringBuilder sb = new StringBuilder("99");
        if (nines > 2)
        {
            sb.append('.').append("9".repeat((int)nines - 2));
        }
        return sb.append('%').toString();
    }

    /** One colour per series (by {@link Series} ordinal): the floors are greys/black, the naive queues browns. */
    private static final Color[] SERIES_COLOURS = {
        new Color(0xd62728), // eab-native: red
        new Color(0xff7f0e), // eab-native-noscan: orange
        new Color(0xe377c2), // eab-native-flood: pink
        new Color(0x8b0000), // eab-journal: dark red
        new Color(0xdaa520), // eab-journal-sync: gold
        new Color(0x9467bd), // eab-java: purple
        new Color(0x1f77b4), // eab-native-phased: blue
        new Color(0x17becf), // eab-native-backoff: cyan
        new Color(0x2ca02c), // eab-native-blocking: green
        new Color(0x8c564b), // baseline-abq: brown
        new Color(0xbcbd22), // baseline-abq-noscan: olive
        new Color(0x000000), // baseline-disruptor: black
        new Color(0x7f7f7f), // baseline-disruptor-phased: grey
        new Color(0xff9896), // eab-native-nometering: light red (beside eab-native's red)
        new Color(0x6b8e23), // eab-governed: olive drab
        new Color(0xaec7e8), // eab-audited: light blue
        new Color(0x393b79), // eab-native-phased-cadence: dark blue (beside eab-native-phased's blue)
    };

    /** @return the colour of a series (one per series, so the floor is never confused with a baseline). */
    static Color colourOf(final String series)
    {
        final Series s = safeSeries(series);
        return s == null ? Color.MAGENTA : SERIES_COLOURS[s.ordinal() % SERIES_COLOURS.length];
    }

    /** @return the line style of a rate: solid 100k/s, dashed 10k/s, dash-dot 1k/s, long dashes 100/s, dotted saturation. */
    static BasicStroke strokeOf(final long rate)
    {
        final float[] dashes;
        if (rate == Schedule.SATURATION)
        {
            dashes = new float[] {2f, 3f};
        }
        else if (rate >= 100_000)
        {
            dashes = null;
        }
        else if (rate >= 10_000)
        {
            dashes = new float[] {8f, 4f};
        }
        else if (rate >= 1_000)
        {
            dashes = new float[] {10f, 3f, 2f, 3f};
        }
        else
        {
            dashes = new float[] {16f, 6f};
        }
        return dashes == null ? new BasicStroke(2.2f) : new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dashes, 0f);
    }

    /**
     * Writes {@code latency.png} (every run: colour = series, line style = rate) and one chart per rate,
     * {@code latency-<rate>.png} ({@code latency-saturation.png}), which reads better with many series.
     */
    public static void writeAll(final List<RunResult> runs, final Path dir, final String machine) throws IOException
    {
        write(runs, dir.resolve("latency.png"), machine + ", all rates");
        for (final long rate : runs.stream().map(r -> r.offeredPerSec).distinct().toList())
        {
            write(runs.stream().filter(r -> r.offeredPerSec == rate).toList(), dir.resolve("latency-" + rateKey(rate) + ".png"),
                machine + ", " + BenchMain.rateName(rate));
        }
    }

    static String rateKey(final long rate)
    {
        return rate == Schedule.SATURATION ? "saturation" : Long.toString(rate);
    }

    public static void write(final List<RunResult> runs, final Path file, final String title) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(1200).height(750)
            .title("EAB open-loop latency by percentile - " + title + " - " + LocalDate.now())
            .xAxisTitle("percentile").yAxisTitle("latency, µs (intended send -> delivery)").build();
        final var st = chart.getStyler();
        st.setXAxisMin(0.0);
        st.setXAxisDecimalPattern("0");
        st.setYAxisDecimalPattern("#,##0.##");
        st.setYAxisLogarithmic(true);
        st.setLegendPosition(Styler.LegendPosition.InsideNW);
        st.setMarkerSize(0);
        st.setxAxisTickLabelsFormattingFunction(LatencyChart::ninesLabel);
        st.setChartBackgroundColor(Color.WHITE);
        int drawn = 0;
        for (final RunResult r : runs)
        {
            if (r.error != null || r.latency.getTotalCount() == 0)
            {
                continue;
            }
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            points(r.latency, xs, ys);
            final String name = r.series + (r.saturation() ? " @ saturation" : String.format(Locale.ROOT, " @ %,d/s", r.offeredPerSec));
            final XYSeries s = chart.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colourOf(r.series));
            s.setLineStyle(strokeOf(r.offeredPerSec));
            drawn++;
        }
        if (drawn == 0)
        {
            return;
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static Series safeSeries(final String label)
    {
        try
        {
            return Series.byLabel(label);
        }
        catch (final IllegalArgumentException e)
        {
            return null;
        }
    }

    /** Percentile points, 5 per halving of the remaining tail, ending at the max (placed at 1/(1-p) of the last sample). */
    static void points(final Histogram h, final List<Double> xs, final List<Double> ys)
    {
        final long count = h.getTotalCount();
        final double lastX = Math.log10(Math.max(10.0, (double)count));
        for (final HistogramIterationValue v : h.percentiles(5))
        {
            final double p = v.getPercentileLevelIteratedTo();
            final double x = p >= 100.0 ? lastX : Math.min(ninesX(p), lastX);
            final double y = Math.max(0.01, h.highestEquivalentValue(v.getValueIteratedTo()) / 1000.0);
            if (!xs.isEmpty() && x <= xs.get(xs.size() - 1))
            {
                ys.set(ys.size() - 1, Math.max(ys.get(ys.size() - 1), y));
                continue;
            }
            xs.add(x);
            ys.add(y);
        }
    }
}
