package dev.eab.bench.jmh;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** {@code ./eab bench --jmh}: runs the JMH benchmarks of this package with the gc profiler, writes jmh.json, prints a table. */
public final class JmhMain
{
    public static final double VALIDATE_TARGET_NS = 150.0;

    private JmhMain()
    {
    }

    public static void run(final Path jvmOptions, final Path resultsDir, final String include) throws Exception
    {
        final Path json = resultsDir.resolve("jmh.json");
        final Options opt = new OptionsBuilder()
            .include(include)
            .forks(1)
            .warmupIterations(3).warmupTime(TimeValue.seconds(1))
            .measurementIterations(5).measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .jvmArgsPrepend("@" + jvmOptions)
            .jvmArgsAppend("-Xms1g", "-Xmx1g")
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .build();
        final Collection<RunResult> results = new Runner(opt).run();
        final List<Row> rows = new ArrayList<>();
        for (final RunResult r : results)
        {
            final Result<?> primary = r.getPrimaryResult();
            final Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            final Result<?> median = r.getSecondaryResults().entrySet().stream().filter(e -> e.getKey().endsWith("p0.50"))
                .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
            final var params = r.getParams();
            final StringBuilder name = new StringBuilder(params.getBenchmark().replace("dev.eab.bench.jmh.", ""));
            if (!params.getParamsKeys().isEmpty())
            {
                name.append(params.getParamsKeys().stream().map(k -> k + "=" + params.getParam(k))
                    .collect(java.util.stream.Collectors.joining(",", "[", "]")));
            }
            rows.add(new Row(name.toString(), primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
                alloc == null ? Double.NaN : alloc.getScore(), median == null ? Double.NaN : median.getScore()));
        }
        rows.sort(Comparator.comparing(Row::name));
        System.out.println();
        System.out.printf(Locale.ROOT, "%-56s %12s %10s %10s %10s%n", "benchmark", "ns/op", "± (99.9%)", "p50 ns", "B/op");
        System.out.println("-".repeat(102));
        for (final Row r : rows)
        {
            System.out.printf(Locale.ROOT, "%-56s %12.1f %10.1f %10s %10.3f%n", r.name, r.score, r.error,
                Double.isNaN(r.median) ? "-" : String.format(Locale.ROOT, "%.1f", r.median), r.bytesPerOp);
        }
        System.out.println();
        System.out.println("(ns/op: mean over the measured iterations; p50: median sample, SampleTime benchmarks only)");
        System.out.println("Targets (informational):");
        for (final String b : new String[] {"ValidateBenchmark.nativeValidate", "ValidateBenchmark.javaValidate"})
        {
            rows.stream().filter(r -> r.name.equals(b)).findFirst().ifPresentOrElse(r -> {
                final boolean pass = r.score <= VALIDATE_TARGET_NS && r.bytesPerOp < 1.0;
                System.out.printf(Locale.ROOT, "  %-4s %s <= %.0f ns and 0 B/op: %.1f ns, %.3f B/op%n", pass ? "PASS" : "MISS", b,
                    VALIDATE_TARGET_NS, r.score, r.bytesPerOp);
            }, () -> System.out.println("  N/A  " + b + " did not run"));
        }
        for (final String b : new String[] {"ImpactBenchmark.nativeKeywords256", "ImpactBenchmark.javaKeywords256"})
        {
            rows.stream().filter(r -> r.name.equals(b)).findFirst().ifPresent(r -> {
                final boolean pass = r.score <= ImpactBenchmark.TARGET_NS && r.bytesPerOp < 1.0;
                System.out.printf(Locale.ROOT, "  %-4s %s <= %.0f ns and 0 B/op: %.1f ns, %.3f B/op%n", pass ? "PASS" : "MISS", b,
                    ImpactBenchmark.TARGET_NS, r.score, r.bytesPerOp);
            });
        }
        // Rego step (RegoBenchmark): a cached decision adds <= 100 ns at p50; an uncached simple policy <= 20 us.
        for (final String[] t : new String[][] {{"RegoBenchmark.cached", "100"}, {"RegoBenchmark.uncached", "20000"}})
        {
            rows.stream().filter(r -> r.name.equals(t[0])).findFirst().ifPresent(r -> System.out.printf(Locale.ROOT,
                "  %-4s %s p50 <= %s ns: p50 %.1f ns, mean %.1f ns, %.3f B/op%n", r.median <= Double.parseDouble(t[1]) ? "PASS" : "MISS",
                t[0], t[1], r.median, r.score, r.bytesPerOp));
        }
        System.out.println("wrote " + json);
    }

    record Row(String name, double score, double error, String unit, double bytesPerOp, double median)
    {
    }
}
