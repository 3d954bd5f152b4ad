package dev.eab.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What {@code ./eab bench --repeat N} decides from N alternating rounds: per (rate, series) the median of each
 * percentile over the rounds (with min and max), and per (bus series, baseline series) pair at a rate, in how many
 * rounds the bus was ahead at p50, at p99 and at both, comparing the two runs of the same round (minutes apart, not
 * the whole suite apart). The issue-8 idle targets (§3 and §4) are judged twice: on the medians and by the rounds won;
 * a target counts as met only when both agree (medians pass and a strict majority of rounds pass).
 *
 * <p>Why: on a 2-vCPU VM shared with other work one run of a cell differs from the next by 2–1,000×, so a single
 * run decides nothing; the median over alternating short rounds and the count of wins do not hang on one neighbour's
 * burst.
 *
 * <p>Single-threaded (the parent process of the bench); a failed run is kept as a missing round.
 */
public final class RepeatSummary
{
    /** A bus series (its label starts with this) is compared with every baseline series at the same rate. */
    static final String BUS_PREFIX = "eab-";
    /** A baseline series' label starts with this. */
    static final String BASELINE_PREFIX = "baseline-";
    /** Issue 8 §4: the bus's p50 at 100 msg/s may exceed its floor's by this much. */
    static final double SPORADIC_P50_SLACK_US = 2.0;
    /** Issue 8 §4: the bus's p99 at 100 msg/s may be this many times its floor's. */
    static final double SPORADIC_P99_FACTOR = 2.0;

    private final int rounds;
    /** rate -> series -> one result per round (null: not run or failed). */
    private final Map<Long, Map<String, RunResult[]>> cells = new LinkedHashMap<>();

    /** @param rounds how many rounds were planned (N of {@code --repeat N}) */
    public RepeatSummary(final int rounds)
    {
        if (rounds < 1)
        {
            throw new IllegalArgumentException("rounds must be >= 1");
        }
        this.rounds = rounds;
    }

    /** Records round {@code round}'s (0-based) result for its series and rate; a failed run counts as missing. */
    public void add(final int round, final RunResult r)
    {
        if (round < 0 || round >= rounds)
        {
            throw new IllegalArgumentException("round " + round + " outside 0.." + (rounds - 1));
        }
        cells.computeIfAbsent(r.offeredPerSec, k -> new LinkedHashMap<>()).computeIfAbsent(r.series, k -> new RunResult[rounds])[round] =
            r.error == null ? r : null;
    }

    /** One percentile (or other figure) of one (rate, series) over the rounds that ran. */
    public record Spread(int n, double median, double min, double max)
    {
    }

    /** How often a bus was ahead of a baseline, round by round (only rounds where both ran count). */
    public record Wins(String bus, String baseline, long rate, int rounds, int p50, int p99, int both)
    {
    }

    /** An issue-8 target judged on the medians and by rounds won. */
    public record Verdict(String status, String description, String medians, int roundsPassed, int rounds)
    {
    }

    /** @return the spread of {@code metric} for {@code series} at {@code rate} (n = 0 when it never ran) */
    public Spread spread(final String series, final long rate, final ToDoubleFunction<RunResult> metric)
    {
        final RunResult[] rs = runs(series, rate);
        final double[] v = new double[rounds];
        int n = 0;
        for (final RunResult r : rs)
        {
            if (r != null)
            {
                final double x = metric.applyAsDouble(r);
                if (Double.isFinite(x))
                {
                    v[n++] = x;
                }
            }
        }
        if (n == 0)
        {
            return new Spread(0, Double.NaN, Double.NaN, Double.NaN);
        }
        final double[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        final double median = (n & 1) == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        return new Spread(n, median, s[0], s[n - 1]);
    }

    /** @return the p{@code percentile} spread (µs) of {@code series} at {@code rate} */
    public Spread percentile(final String series, final long rate, final double percentile)
    {
        return spread(series, rate, r -> Report.pct(r.latency, percentile));
    }

    /** @return the rounds in which {@code bus} was ahead of {@code baseline} at {@code rate} (lower p50, lower p99, both) */
    public Wins wins(final String bus, final String baseline, final long rate)
    {
        final RunResult[] a = runs(bus, rate);
        final RunResult[] b = runs(baseline, rate);
        int n = 0;
        int p50 = 0;
        int p99 = 0;
        int both = 0;
        for (int i = 0; i < rounds; i++)
        {
            if (a[i] == null || b[i] == null)
            {
                continue;
            }
            n++;
            final boolean w50 = Report.pct(a[i].latency, 50) < Report.pct(b[i].latency, 50);
            final boolean w99 = Report.pct(a[i].latency, 99) < Report.pct(b[i].latency, 99);
            p50 += w50 ? 1 : 0;
            p99 += w99 ? 1 : 0;
            both += w50 && w99 ? 1 : 0;
        }
        return new Wins(bus, baseline, rate, n, p50, p99, both);
    }

    /** @return every bus-against-baseline pair present at each rate, in rate and series order */
    public List<Wins> allWins()
    {
        final List<Wins> out = new ArrayList<>();
        cells.forEach((rate, bySeries) ->
        {
            for (final String bus : bySeries.keySet())
            {
                if (!bus.startsWith(BUS_PREFIX))
                {
                    continue;
                }
                for (final String base : bySeries.keySet())
                {
                    if (base.startsWith(BASELINE_PREFIX))
                    {
                        out.add(wins(bus, base, rate));
                    }
                }
            }
        });
        return out;
    }

    /** @return the issue-8 idle targets that this run measured (both series of a target ran at its rate) */
    public List<Verdict> targets()
    {
        final List<Verdict> out = new ArrayList<>();
        for (final long rate : new long[] {10_000, 100_000})
        {
            final Wins w = wins(Report.SHARED_HOST_BUS, Report.NAIVE, rate);
            if (w.rounds == 0)
            {
                continue;
            }
            final Spread b50 = percentile(Report.SHARED_HOST_BUS, rate, 50);
            final Spread a50 = percentile(Report.NAIVE, rate, 50);
            final Spread b99 = percentile(Report.SHARED_HOST_BUS, rate, 99);
            final Spread a99 = percentile(Report.NAIVE, rate, 99);
            final boolean medians = b50.median < a50.median && b99.median < a99.median;
            out.add(verdict(medians, w.both, w.rounds,
                "§3 " + Report.SHARED_HOST_BUS + " ahead of " + Report.NAIVE + " at p50 and p99 @" + rate / 1000 + "k/s",
                String.format(Locale.ROOT, "median p50 %s vs %s, p99 %s vs %s µs", Report.f(b50.median), Report.f(a50.median),
                    Report.f(b99.median), Report.f(a99.median))));
        }
        for (final String bus : new String[] {Report.SHARED_HOST_BUS, Series.EAB_NATIVE.label()})
        {
            final String floor = Report.floorOf(bus);
            final RunResult[] a = runs(bus, 100);
            final RunResult[] f = runs(floor, 100);
            int n = 0;
            int pass = 0;
            for (int i = 0; i < rounds; i++)
            {
                if (a[i] != null && f[i] != null)
                {
                    n++;
                    pass += sporadicPass(Report.pct(a[i].latency, 50), Report.pct(f[i].latency, 50), Report.pct(a[i].latency, 99),
                        Report.pct(f[i].latency, 99)) ? 1 : 0;
                }
            }
            if (n == 0)
            {
                continue;
            }
            final Spread b50 = percentile(bus, 100, 50);
            final Spread f50 = percentile(floor, 100, 50);
            final Spread b99 = percentile(bus, 100, 99);
            final Spread f99 = percentile(floor, 100, 99);
            out.add(verdict(sporadicPass(b50.median, f50.median, b99.median, f99.median), pass, n,
                "§4 " + bus + " @100/s p50 <= floor + 2 µs and p99 <= 2x floor (" + floor + ")",
                String.format(Locale.ROOT, "median p50 %s vs %s (Δ %+.2f), p99 %s vs %s µs (%.2fx)", Report.f(b50.median), Report.f(f50.median),
                    b50.median - f50.median, Report.f(b99.median), Report.f(f99.median), b99.median / f99.median)));
        }
        return out;
    }

    static boolean sporadicPass(final double busP50, final double floorP50, final double busP99, final double floorP99)
    {
        return busP50 <= floorP50 + SPORADIC_P50_SLACK_US && busP99 <= SPORADIC_P99_FACTOR * floorP99;
    }

    private static Verdict verdict(final boolean medians, final int passed, final int n, final String description, final String measured)
    {
        final boolean majority = 2 * passed > n;
        final String status = medians && majority ? "PASS" : !medians && !majority ? "MISS" : "MIXED";
        return new Verdict(status, description, measured, passed, n);
    }

    private RunResult[] runs(final String series, final long rate)
    {
        final Map<String, RunResult[]> bySeries = cells.get(rate);
        final RunResult[] rs = bySeries == null ? null : bySeries.get(series);
        return rs != null ? rs : new RunResult[rounds];
    }

    /** @return repeat.json's content */
    public Map<String, Object> toJson()
    {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("rounds", rounds);
        final List<Object> rates = new ArrayList<>();
        cells.forEach((rate, bySeries) ->
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("offered_per_s", rate);
            final List<Object> series = new ArrayList<>();
            bySeries.forEach((name, rs) ->
            {
                final Map<String, Object> s = new LinkedHashMap<>();
                s.put("series", name);
                s.put("rounds", percentile(name, rate, 50).n);
                s.put("count_per_round", spread(name, rate, r -> r.latency.getTotalCount()).median);
                s.put("p50_us", spreadJson(percentile(name, rate, 50)));
                s.put("p90_us", spreadJson(percentile(name, rate, 90)));
                s.put("p99_us", spreadJson(percentile(name, rate, 99)));
                s.put("p99_9_us", spreadJson(percentile(name, rate, 99.9)));
                s.put("delivery_cpu_cores", spreadJson(spread(name, rate, r -> r.deliveryCpuCores)));
                s.put("others_cpu_cores", spreadJson(spread(name, rate, r -> r.foreignCpuCores)));
                final List<Object> p50 = new ArrayList<>();
                final List<Object> p99 = new ArrayList<>();
                for (final RunResult r : rs)
                {
                    p50.add(r == null ? null : Report.pct(r.latency, 50));
                    p99.add(r == null ? null : Report.pct(r.latency, 99));
                }
                s.put("p50_us_per_round", p50);
                s.put("p99_us_per_round", p99);
                series.add(s);
            });
            m.put("series", series);
            rates.add(m);
        });
        root.put("rates", rates);
        final List<Object> wins = new ArrayList<>();
        for (final Wins w : allWins())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("bus", w.bus);
            m.put("baseline", w.baseline);
            m.put("offered_per_s", w.rate);
            m.put("rounds", w.rounds);
            m.put("p50_wins", w.p50);
            m.put("p99_wins", w.p99);
            m.put("both_wins", w.both);
            wins.add(m);
        }
        root.put("wins", wins);
        final List<Object> targets = new ArrayList<>();
        for (final Verdict v : targets())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", v.status);
            m.put("target", v.description);
            m.put("medians", v.medians);
            m.put("rounds_passed", v.roundsPassed);
            m.put("rounds", v.rounds);
            targets.add(m);
        }
        root.put("targets", targets);
        return root;
    }

    private static Map<String, Object> spreadJson(final Spread s)
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", s.median);
        m.put("min", s.min);
        m.put("max", s.max);
        return m;
    }

    /** Prints the medians table, the rounds won per pair and the targets. */
    public void print(final PrintStream out)
    {
        out.println();
        out.printf(Locale.ROOT, "Repeated: %d alternating rounds per rate. Latency in µs: median over the rounds [min–max]; cpu = delivery side,%n", rounds);
        out.println("others = CPU other processes used (medians). Wins: rounds in which the bus was ahead, same round compared.");
        final String head = String.format(Locale.ROOT, "%-25s %10s %6s %8s %20s %8s %22s %9s %6s %6s", "series", "offered/s", "rounds", "count",
            "p50 [min–max]", "p90", "p99 [min–max]", "p99.9", "cpu", "others");
        out.println(head);
        out.println("-".repeat(head.length()));
        cells.forEach((rate, bySeries) -> bySeries.keySet().forEach(name ->
        {
            final Spread p50 = percentile(name, rate, 50);
            final Spread p99 = percentile(name, rate, 99);
            out.printf(Locale.ROOT, "%-25s %10d %6s %8.0f %20s %8s %22s %9s %6.2f %6.2f%n", name, rate, p50.n + "/" + rounds,
                spread(name, rate, r -> r.latency.getTotalCount()).median, withRange(p50), Report.f(percentile(name, rate, 90).median), withRange(p99),
                Report.f(percentile(name, rate, 99.9).median), spread(name, rate, r -> r.deliveryCpuCores).median,
                spread(name, rate, r -> r.foreignCpuCores).median);
        }));
        out.println();
        out.println("Rounds won (bus ahead of baseline in the same round): p50 / p99 / both, of rounds where both ran:");
        for (final Wins w : allWins())
        {
            out.printf(Locale.ROOT, "  @%-8d %-25s vs %-25s %d / %d / %d of %d%n", w.rate, w.bus, w.baseline, w.p50, w.p99, w.both, w.rounds);
        }
        out.println();
        out.println("Issue 8 idle targets (PASS: medians pass and a majority of rounds pass; MISS: neither; MIXED: they disagree):");
        for (final Verdict v : targets())
        {
            out.printf(Locale.ROOT, "  %-5s %s: %s; rounds passed %d of %d%n", v.status, v.description, v.medians, v.roundsPassed, v.rounds);
        }
    }

    private static String withRange(final Spread s)
    {
        return s.n == 0 ? "-" : Report.f(s.median) + " [" + Report.f(s.min) + "–" + Report.f(s.max) + "]";
    }
}
