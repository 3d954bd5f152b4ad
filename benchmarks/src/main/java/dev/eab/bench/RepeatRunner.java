package dev.eab.bench;

import dev.eab.core.ops.Json;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./eab bench --repeat N}: for each rate, N rounds; in each round every named series runs once (a fresh JVM,
 * the rate's warm-up and measurement windows), the order rotated by one series per round so that no series always
 * runs first or right after the same neighbour. Then {@link RepeatSummary} reports medians and rounds won, and the
 * files go to the results directory: {@code repeat.json}, and each round's {@code .hgrm} files under
 * {@code round-<k>/}.
 *
 * <p>Why rounds rather than N whole suites: the compared series run minutes apart instead of a whole suite apart,
 * so a neighbour's burst hits both sides of a comparison or neither more often, and the count of rounds won says
 * how often one noisy run would have decided the other way.
 */
final class RepeatRunner
{
    private RepeatRunner()
    {
    }

    static void run(final BenchOptions o, final Path jvmOptions, final Path results) throws Exception
    {
        final int rounds = o.repeat;
        final RepeatSummary summary = new RepeatSummary(rounds);
        int total = 0;
        double planned = 0;
        for (final long rate : o.suiteRates())
        {
            final List<Series> at = seriesAt(o, rate);
            total += at.size() * rounds;
            planned += at.size() * rounds * (o.warmupFor(rate) + o.measureFor(rate) + 2.5);
        }
        final long start = System.nanoTime();
        System.out.printf(Locale.ROOT, "eab bench (%s, --repeat %d): %d runs (%s at %s), one fresh JVM each, order rotated per round; planned ~%.0f s.%n",
            o.modeName(), rounds, total, o.series.stream().map(Series::label).toList(), o.suiteRates().stream().map(BenchMain::rateName).toList(),
            planned);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s; %s%n", Report.cores(), Report.cpuModel(), Report.jdk());
        final List<RunResult> all = new ArrayList<>();
        int n = 0;
        for (final long rate : o.suiteRates())
        {
            final List<Series> at = seriesAt(o, rate);
            for (int round = 0; round < rounds; round++)
            {
                final Path dir = results.resolve("round-" + (round + 1));
                Files.createDirectories(dir);
                for (int k = 0; k < at.size(); k++)
                {
                    final Series s = at.get((k + round) % at.size());
                    n++;
                    final double warm = o.warmupFor(rate);
                    final double measure = o.measureFor(rate);
                    System.out.printf(Locale.ROOT, "[%3d/%d %s] round %d/%d %-25s @ %-10s ...%n", n, total, BenchMain.elapsed(start), round + 1, rounds,
                        s.label(), BenchMain.rateName(rate));
                    if (o.waitQuietSec > 0)
                    {
                        BenchMain.waitQuiet(o.waitQuietSec);
                    }
                    final RunResult r = BenchMain.fork(jvmOptions, results, s, rate, warm, measure, o.hiccup);
                    summary.add(round, r);
                    all.add(r);
                    if (r.error == null)
                    {
                        Report.writeHgrm(dir, r);
                        System.out.printf(Locale.ROOT, "        n %,d  p50 %s  p99 %s  p99.9 %s µs  (delivery CPU %.2f, others %.2f CPU, hiccup max %s µs)%n",
                            r.latency.getTotalCount(), Report.f(Report.pct(r.latency, 50)), Report.f(Report.pct(r.latency, 99)),
                            Report.f(Report.pct(r.latency, 99.9)), r.deliveryCpuCores, r.foreignCpuCores,
                            r.hiccups.getTotalCount() == 0 ? "0" : Report.f(Report.max(r.hiccups)));
                    }
                    else
                    {
                        System.out.println("        FAILED: " + r.error);
                    }
                }
            }
        }
        final Path json = results.resolve("repeat.json");
        final java.util.Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("mode", o.modeName());
        root.put("machine", Report.cores() + " cores " + Report.cpuModel());
        root.put("jdk", Report.jdk());
        root.putAll(summary.toJson());
        Files.writeString(json, Json.write(root), StandardCharsets.UTF_8);
        summary.print(System.out);
        System.out.printf(Locale.ROOT, "%nwrote %s and %d .hgrm files under %s/round-* (total %s)%n", json.getFileName(),
            all.stream().filter(r -> r.error == null).count(), results, BenchMain.elapsed(start));
    }

    private static List<Series> seriesAt(final BenchOptions o, final long rate)
    {
        return o.series.stream().filter(s -> o.ratesFor(s).contains(rate)).toList();
    }
}
