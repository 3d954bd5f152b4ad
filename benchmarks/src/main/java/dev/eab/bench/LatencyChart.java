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

    public static void write(final List<RunResult> runs, final Path file, final String machine) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        final XYChart chart = new XYChartBuilder().width(1200).height(750)
            .title("EAB open-loop latency by percentile - " + machine + " - " + LocalDate.now())
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
        final Color[] palette = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c), new Color(0x7f7f7f), new Color(0x9467bd)};
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
            final Series kind = safeSeries(r.series);
            s.setLineColor(palette[kind == null ? 4 : Math.min(kind.ordinal(), 4)]);
            final float width = r.saturation() ? 1.2f : r.offeredPerSec >= 100_000 ? 2.4f : 1.6f;
            s.setLineStyle(r.saturation() ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f}, 0f)
                : r.offeredPerSec >= 100_000 ? new BasicStroke(width) : new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 4f}, 0f));
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
