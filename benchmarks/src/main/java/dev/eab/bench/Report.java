package dev.eab.bench;

import dev.eab.core.ops.Json;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the runs of one suite into latest.json, .hgrm files, the stdout table and the target check. */
public final class Report
{
    public static final String FLOOR = "baseline-disruptor";
    public static final String PHASED_FLOOR = "baseline-disruptor-phased";
    public static final String NAIVE = "baseline-abq";
    public static final String BUS = "eab-native";
    /** The bus with the idle strategy the docs recommend for shared hosts (the default). */
    public static final String SHARED_HOST_BUS = "eab-native-phased";

    private final List<RunResult> runs;
    private final String mode;

    public Report(final List<RunResult> runs, final String mode)
    {
        this.runs = runs;
        this.mode = mode;
    }

    // ------------------------------------------------------------------ environment

    public static int cores()
    {
        return Runtime.getRuntime().availableProcessors();
    }

    public static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException e)
        {
            // fall through
        }
        return System.getProperty("os.arch", "unknown");
    }

    public static String jdk()
    {
        return System.getProperty("java.version") + " " + System.getProperty("java.vendor") + " (" + System.getProperty("java.vm.name") + ")";
    }

    // ------------------------------------------------------------------ numbers

    public static double us(final long nanos)
    {
        return nanos / 1000.0;
    }

    public static double pct(final Histogram h, final double percentile)
    {
        return h.getTotalCount() == 0 ? Double.NaN : us(h.getValueAtPercentile(percentile));
    }

    public static double max(final Histogram h)
    {
        return h.getTotalCount() == 0 ? Double.NaN : us(h.getMaxValue());
    }

    /** @return the run of {@code series} at {@code rate}, or null. */
    public RunResult find(final String series, final long rate)
    {
        for (final RunResult r : runs)
        {
            if (r.error == null && r.series.equals(series) && r.offeredPerSec == rate)
            {
                return r;
            }
        }
        return null;
    }

    /** @return the floor a series is compared with: the bare Disruptor with the same wait strategy (the yielding one for the rest). */
    static String floorOf(final String series)
    {
        return series.startsWith(SHARED_HOST_BUS) || series.equals(PHASED_FLOOR) ? PHASED_FLOOR : FLOOR;
    }

    /** @return the floor run for {@code r}: same rate, same run. */
    RunResult floorFor(final RunResult r)
    {
        return find(floorOf(r.series), r.offeredPerSec);
    }

    public double platformHiccupMaxUs()
    {
        double m = 0;
        for (final RunResult r : runs)
        {
            if (r.error == null && r.hiccups.getTotalCount() > 0)
            {
                m = Math.max(m, max(r.hiccups));
            }
        }
        return m;
    }

    public double platformHiccupsOver1msPerSec()
    {
        long n = 0;
        double s = 0;
        for (final RunResult r : runs)
        {
            if (r.error == null)
            {
                n += r.hiccupsOver1ms();
                s += r.measureSec;
            }
        }
        return s == 0 ? 0 : n / s;
    }

    /** @return the most CPU other processes used during any measurement (cores). */
    public double maxForeign()
    {
        double m = 0;
        for (final RunResult r : runs)
        {
            if (r.error == null)
            {
                m = Math.max(m, r.foreignCpuCores);
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ files

    /** Writes {@code <key>.hgrm}: HdrHistogram's percentile distribution, values in µs. */
    public static Path writeHgrm(final Path dir, final RunResult r) throws IOException
    {
        final Path f = dir.resolve(r.key() + ".hgrm");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(f), false, StandardCharsets.UTF_8))
        {
            r.latency.outputPercentileDistribution(ps, 1000.0);
        }
        return f;
    }

    public Map<String, Object> toJson()
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        final Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", cores());
        machine.put("cpu", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        root.put("machine", machine);
        root.put("jdk", jdk());
        final Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("hiccup_max_us", Json.round(platformHiccupMaxUs(), 1));
        platform.put("hiccups_over_1ms_per_s", Json.round(platformHiccupsOver1msPerSec(), 3));
        platform.put("foreign_cpu_cores_max", Json.round(maxForeign(), 3));
        platform.put("hiccup_meter", runs.isEmpty() ? "OFF" : runs.get(0).hiccupMode);
        platform.put("note", "worst hiccup and total >1 ms hiccups per measured second over all runs of this suite; "
            + "the meter is a thread of each child JVM, competing for the same cores as producer and consumer");
        root.put("platform", platform);
        root.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        root.put("mode", mode);
        root.put("method", "open loop; latency = delivery (recipient's handler) - intended send time; HdrHistogram 3 digits; "
            + "fresh JVM per (series, rate); warm-up and measurement through the same method");
        final List<Object> series = new ArrayList<>();
        for (final RunResult r : runs)
        {
            final Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", r.series);
            s.put("does", SeriesLegend.of(r.series));
            s.put("offered_per_s", r.offeredPerSec);
            s.put("saturation", r.saturation());
            if (r.error != null)
            {
                s.put("error", r.error);
                series.add(s);
                continue;
            }
            s.put("achieved_per_s", Json.round(r.achievedPerSec, 1));
            s.put("count", r.latency.getTotalCount());
            s.put("wait_strategy", r.waitStrategy);
            s.put("p50_us", Json.round(pct(r.latency, 50), 3));
            s.put("p90_us", Json.round(pct(r.latency, 90), 3));
            s.put("p99_us", Json.round(pct(r.latency, 99), 3));
            s.put("p999_us", Json.round(pct(r.latency, 99.9), 3));
            s.put("p9999_us", Json.round(pct(r.latency, 99.99), 3));
            s.put("max_us", Json.round(max(r.latency), 3));
            s.put("hiccup_max_us", Json.round(r.hiccups.getTotalCount() == 0 ? 0 : max(r.hiccups), 1));
            s.put("hiccups_over_1ms_per_s", Json.round(r.hiccupsOver1msPerSec(), 3));
            s.put("hiccups_over_floor_per_s", Json.round(r.hiccupsPerSec(), 2));
            s.put("hiccup_stall_ms_per_s", Json.round(r.hiccupStallMsPerSec(), 3));
            s.put("foreign_cpu_cores", Json.round(r.foreignCpuCores, 3));
            s.put("steal_cores", Json.round(r.stealCores, 3));
            s.put("self_cpu_cores", Json.round(r.selfCpuCores, 3));
            s.put("delivery_cpu_cores", Json.round(r.deliveryCpuCores, 3));
            s.put("warmup_s", r.warmupSec);
            s.put("measure_s", Json.round(r.measureSec, 3));
            s.put("sent", r.sent);
            s.put("rejected", r.rejected);
            s.put("ring_full_retries", r.retries);
            s.put("max_send_lag_us", Json.round(us(r.maxSendLagNanos), 1));
            s.put("gc_count", r.gcCount);
            s.put("gc_time_ms", r.gcTimeMs);
            final RunResult floor = floorFor(r);
            if (floor != null)
            {
                s.put("floor", floor.series);
                s.put("p50_delta_vs_floor_us", Json.round(pct(r.latency, 50) - pct(floor.latency, 50), 3));
                s.put("p99_ratio_vs_floor", Json.round(pct(r.latency, 99) / pct(floor.latency, 99), 3));
                s.put("p999_ratio_vs_floor", Json.round(pct(r.latency, 99.9) / pct(floor.latency, 99.9), 3));
            }
            s.put("hgrm", r.key() + ".hgrm");
            s.put("details", new LinkedHashMap<>(r.details));
            series.add(s);
        }
        root.put("series", series);
        final List<Object> targets = new ArrayList<>();
        for (final Target t : targets())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", t.status);
            m.put("target", t.description);
            m.put("measured", t.measured);
            targets.add(m);
        }
        root.put("targets", targets);
        return root;
    }

    // ------------------------------------------------------------------ stdout

    public void printTable(final PrintStream out)
    {
        final String head = String.format(Locale.ROOT, "%-25s %10s %11s %9s %8s %8s %8s %9s %9s %9s %9s %9s %6s %6s %10s %9s",
            "series", "offered/s", "achieved/s", "count", "p50", "p90", "p99", "p99.9", "p99.99", "max", "hiccupMax", "hic>1ms/s",
            "cpu", "others", "Δp50 floor", "p99/floor");
        out.println();
        out.println("Latency in µs, intended send time -> delivery (open loop). floor = the bare Disruptor with the same wait strategy");
        out.println("(" + PHASED_FLOOR + " for " + SHARED_HOST_BUS + ", else " + FLOOR + ") at the same rate, same run; hiccupMax / hic>1ms/s =");
        out.println("platform-noise meter; cpu = CPUs' worth of time the delivery side used; others = CPU used by other processes.");
        out.println(head);
        out.println("-".repeat(head.length()));
        for (final RunResult r : runs)
        {
            final String offered = r.saturation() ? "saturation" : Long.toString(r.offeredPerSec);
            if (r.error != null)
            {
                out.printf(Locale.ROOT, "%-25s %10s  FAILED: %s%n", r.series, offered, r.error);
                continue;
            }
            final RunResult floor = floorFor(r);
            final String delta = floor == null ? "-" : String.format(Locale.ROOT, "%+.2f", pct(r.latency, 50) - pct(floor.latency, 50));
            final String ratio = floor == null ? "-" : String.format(Locale.ROOT, "%.2fx", pct(r.latency, 99) / pct(floor.latency, 99));
            out.printf(Locale.ROOT, "%-25s %10s %11.0f %9d %8s %8s %8s %9s %9s %9s %9s %9.2f %6.2f %6.2f %10s %9s%n",
                r.series, offered, r.achievedPerSec, r.latency.getTotalCount(), f(pct(r.latency, 50)), f(pct(r.latency, 90)),
                f(pct(r.latency, 99)), f(pct(r.latency, 99.9)), f(pct(r.latency, 99.99)), f(max(r.latency)),
                r.hiccups.getTotalCount() == 0 ? "0" : f(max(r.hiccups)), r.hiccupsOver1msPerSec(), r.deliveryCpuCores, r.foreignCpuCores,
                delta, ratio);
        }
        out.println("What each series does (docs/BENCHMARKS.md, \"The series\", for the comparisons):");
        runs.stream().map(r -> r.series).distinct()
            .forEach(name -> out.printf(Locale.ROOT, "  %-25s %s%n", name, SeriesLegend.of(name)));
        out.printf(Locale.ROOT, "platform (hiccup meter %s): worst hiccup %s µs, %.2f hiccups > 1 ms per measured second%n",
            runs.isEmpty() ? "OFF" : runs.get(0).hiccupMode, f(platformHiccupMaxUs()), platformHiccupsOver1msPerSec());
        if (maxForeign() > 0.1)
        {
            out.printf(Locale.ROOT, "NOTE: other processes used up to %.2f CPUs during some measurements: those rows measured the neighbours too.%n", maxForeign());
        }
        boolean anyRejected = false;
        for (final RunResult r : runs)
        {
            if (r.error == null && r.rejected > 0)
            {
                anyRejected = true;
                out.printf(Locale.ROOT, "WARNING: %s@%d had %d rejected messages%n", r.series, r.offeredPerSec, r.rejected);
            }
        }
        if (!anyRejected)
        {
            out.println("rejected messages: 0 in every run");
        }
        out.println();
        out.println("Targets (informational, never fail the run):");
        for (final Target t : targets())
        {
            out.printf(Locale.ROOT, "  %-4s %s: %s%n", t.status, t.description, t.measured);
        }
    }

    /** Formats µs with sensible precision. */
    static String f(final double v)
    {
        if (!Double.isFinite(v))
        {
            return "-";
        }
        if (v < 10)
        {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (v < 1000)
        {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    // ------------------------------------------------------------------ targets

    public record Target(String status, String description, String measured)
    {
    }

    private static Target check(final boolean known, final boolean pass, final String description, final String measured)
    {
        return new Target(!known ? "N/A" : pass ? "PASS" : "MISS", description, known ? measured : "not measured in this run");
    }

    public List<Target> targets()
    {
        final List<Target> t = new ArrayList<>();
        final RunResult bus100k = find(BUS, 100_000);
        t.add(check(bus100k != null, bus100k != null && pct(bus100k.latency, 99) <= 50,
            "eab-native @100k/s p99 <= 50 µs (aim <= 20)", bus100k == null ? "" : f(pct(bus100k.latency, 99)) + " µs"
                + (bus100k != null && pct(bus100k.latency, 99) <= 20 ? " (aim met)" : "")));
        for (final long rate : new long[] {10_000, 100_000})
        {
            final RunResult bus = find(BUS, rate);
            final RunResult floor = find(FLOOR, rate);
            final boolean known = bus != null && floor != null;
            final double d = known ? pct(bus.latency, 50) - pct(floor.latency, 50) : Double.NaN;
            t.add(check(known, d <= 1.0, "eab-native @" + rate / 1000 + "k/s p50 <= floor p50 + 1 µs",
                known ? String.format(Locale.ROOT, "%s vs %s µs (Δ %+.2f)", f(pct(bus.latency, 50)), f(pct(floor.latency, 50)), d) : ""));
            final double ratio = known ? pct(bus.latency, 99.9) / pct(floor.latency, 99.9) : Double.NaN;
            t.add(check(known, ratio <= 2.0, "eab-native @" + rate / 1000 + "k/s p99.9 <= 2x floor p99.9",
                known ? String.format(Locale.ROOT, "%s vs %s µs (%.2fx)", f(pct(bus.latency, 99.9)), f(pct(floor.latency, 99.9)), ratio) : ""));
        }
        final RunResult sat = find(BUS, Schedule.SATURATION);
        t.add(check(sat != null, sat != null && sat.achievedPerSec >= 3_000_000, "eab-native saturation >= 3,000,000 msg/s (aim 5M)",
            sat == null ? "" : String.format(Locale.ROOT, "%,.0f msg/s%s", sat.achievedPerSec, sat.achievedPerSec >= 5_000_000 ? " (aim met)" : "")));
        // Issue 9: what the write-ahead journal costs, beside eab-native in the same run.
        final RunResult journal100k = find(Series.EAB_JOURNAL.label(), 100_000);
        final boolean journalKnown = journal100k != null && bus100k != null;
        final double journalDelta = journalKnown ? pct(journal100k.latency, 50) - pct(bus100k.latency, 50) : Double.NaN;
        t.add(check(journalKnown, journalDelta <= 1.0, "eab-journal @100k/s p50 <= eab-native p50 + 1 µs (aim 0.3)",
            journalKnown ? String.format(Locale.ROOT, "%s vs %s µs (Δ %+.2f)", f(pct(journal100k.latency, 50)), f(pct(bus100k.latency, 50)), journalDelta) : ""));
        final RunResult journalSat = find(Series.EAB_JOURNAL.label(), Schedule.SATURATION);
        t.add(check(journalSat != null, journalSat != null && journalSat.achievedPerSec >= 1_000_000, "eab-journal saturation >= 1,000,000 msg/s (aim 3M)",
            journalSat == null ? "" : String.format(Locale.ROOT, "%,.0f msg/s", journalSat.achievedPerSec)));
        for (final long rate : new long[] {10_000, 100_000})
        {
            final RunResult bus = find(BUS, rate);
            final RunResult abq = find(NAIVE, rate);
            final boolean known = bus != null && abq != null;
            t.add(check(known, known && pct(bus.latency, 99) < pct(abq.latency, 99), "eab-native ahead of baseline-abq in p99 @" + rate / 1000 + "k/s",
                known ? f(pct(bus.latency, 99)) + " vs " + f(pct(abq.latency, 99)) + " µs" : ""));
        }
        // Issue 8 §3: the default (shared-host) idle strategy ahead of the naive queue at p50 and p99.
        for (final long rate : new long[] {10_000, 100_000})
        {
            final RunResult bus = find(SHARED_HOST_BUS, rate);
            final RunResult abq = find(NAIVE, rate);
            final boolean known = bus != null && abq != null;
            t.add(check(known, known && pct(bus.latency, 50) < pct(abq.latency, 50) && pct(bus.latency, 99) < pct(abq.latency, 99),
                SHARED_HOST_BUS + " (default idle strategy) ahead of baseline-abq at p50 and p99 @" + rate / 1000 + "k/s",
                known ? String.format(Locale.ROOT, "p50 %s vs %s, p99 %s vs %s µs", f(pct(bus.latency, 50)), f(pct(abq.latency, 50)),
                    f(pct(bus.latency, 99)), f(pct(abq.latency, 99))) : ""));
        }
        // Issue 8 §4: sporadic senders, each bus against its floor (same wait strategy).
        for (final String series : new String[] {BUS, SHARED_HOST_BUS})
        {
            final RunResult bus = find(series, 100);
            final RunResult floor = find(floorOf(series), 100);
            final boolean known = bus != null && floor != null;
            t.add(check(known, known && pct(bus.latency, 50) <= pct(floor.latency, 50) + 2 && pct(bus.latency, 99) <= 2 * pct(floor.latency, 99),
                series + " @100/s p50 <= floor + 2 µs and p99 <= 2x floor (" + floorOf(series) + ")",
                known ? String.format(Locale.ROOT, "p50 %s vs %s, p99 %s vs %s µs (%,d messages)", f(pct(bus.latency, 50)),
                    f(pct(floor.latency, 50)), f(pct(bus.latency, 99)), f(pct(floor.latency, 99)), bus.latency.getTotalCount()) : ""));
        }
        final RunResult abqSat = find(NAIVE, Schedule.SATURATION);
        final boolean known = sat != null && abqSat != null;
        t.add(check(known, known && sat.achievedPerSec > abqSat.achievedPerSec, "eab-native ahead of baseline-abq in saturation throughput",
            known ? String.format(Locale.ROOT, "%,.0f vs %,.0f msg/s", sat.achievedPerSec, abqSat.achievedPerSec) : ""));
        // Issue 10: impact scoring on every message costs at most 1 µs at p50 over eab-native (same run).
        final RunResult governed = find("eab-governed", 100_000);
        final RunResult plain = find(BUS, 100_000);
        final boolean bothKnown = governed != null && plain != null;
        final double dg = bothKnown ? pct(governed.latency, 50) - pct(plain.latency, 50) : Double.NaN;
        t.add(check(bothKnown, dg <= 1.0, "eab-governed @100k/s p50 <= eab-native p50 + 1 µs (aim 0.3)",
            bothKnown ? String.format(Locale.ROOT, "%s vs %s µs (Δ %+.2f)", f(pct(governed.latency, 50)), f(pct(plain.latency, 50)), dg) : ""));
        t.add(new Target("see", "native and Java validate each <= 150 ns and 0 B/op", "./eab bench --jmh"));
        t.add(new Target("see", "native and Java impact scorer each <= 150 ns per 256 B and 0 B/op", "./eab bench --jmh"));
        return t;
    }
}
