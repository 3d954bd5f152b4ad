package dev.eab.bench;

import dev.eab.core.ops.CpuSampler;
import dev.eab.core.ops.HiccupMeter;
import dev.eab.core.ops.Json;

import dev.eab.bench.jmh.JmhMain;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of {@code ./eab bench}. The parent forks one fresh JVM per (series, rate) running
 * {@code --child}, collects their results and writes latest.json, the .hgrm files, latency.png and
 * the summary table. {@code --jmh} runs the JMH per-operation benchmarks instead. See docs/BENCHMARKS.md.
 */
public final class BenchMain
{
    /** With --wait-quiet: CPU used by other processes during a measurement above which the run is repeated. */
    static final double NOISY_CPU = 0.25;

    private BenchMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final BenchOptions o;
        try
        {
            o = BenchOptions.parse(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("eab bench: " + e.getMessage());
            System.err.print(BenchOptions.usage());
            System.exit(2);
            return;
        }
        if (o.help)
        {
            System.out.print(BenchOptions.usage());
            return;
        }
        if (o.child)
        {
            runChild(o);
            return;
        }
        final Path root = projectRoot();
        final Path results = o.resultsDir != null ? o.resultsDir : root.resolve("benchmarks/results");
        Files.createDirectories(results);
        if (o.jmh)
        {
            JmhMain.run(jvmOptions(root), results, o.jmhInclude);
            return;
        }
        if (o.metering)
        {
            MeteringBench.main(new String[] {"--results", results.toString()});
            return;
        }
        if (o.replayMessages > 0)
        {
            ReplayRate.main(new String[] {Integer.toString(o.replayMessages), "3"});
            return;
        }
        runSuite(o, root, results);
    }

    // ------------------------------------------------------------------ child

    private static void runChild(final BenchOptions o) throws Exception
    {
        RunResult r;
        try
        {
            r = new OpenLoopDriver(o.childSeries, o.childRate).run(o.childWarmupSec, o.childMeasureSec, o.hiccup);
        }
        catch (final Throwable t)
        {
            t.printStackTrace();
            System.exit(1);
            return;
        }
        r.write(o.childOut);
        // Daemon threads (bus, meter) must not keep the JVM; exit promptly.
        System.exit(0);
    }

    // ------------------------------------------------------------------ parent

    private static void runSuite(final BenchOptions o, final Path root, final Path results) throws Exception
    {
        final Path jvmOptions = jvmOptions(root);
        if (o.repeat > 1)
        {
            RepeatRunner.run(o, jvmOptions, results);
            return;
        }
        final List<RunResult> runs = new ArrayList<>();
        int total = 0;
        double planned = 0;
        for (final long rate : o.suiteRates())
        {
            for (final Series s : o.series)
            {
                if (o.ratesFor(s).contains(rate))
                {
                    total++;
                    planned += o.warmupFor(rate) + o.measureFor(rate) + 2.5;
                }
            }
        }
        final long start = System.nanoTime();
        System.out.printf(Locale.ROOT, "eab bench (%s): %d runs (%s at %s), one fresh JVM each; planned ~%.0f s. Hiccup meter: %s.%n",
            o.modeName(), total, o.series.stream().map(Series::label).toList(), o.suiteRates().stream().map(BenchMain::rateName).toList(),
            planned, o.hiccup);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s; %s%n", Report.cores(), Report.cpuModel(), Report.jdk());
        int n = 0;
        // Rate-major: every series at one rate runs back to back, so same-rate comparisons are close in time.
        for (final long rate : o.suiteRates())
        {
            for (final Series s : o.series)
            {
                if (!o.ratesFor(s).contains(rate))
                {
                    continue;
                }
                n++;
                final double warm = o.warmupFor(rate);
                final double measure = o.measureFor(rate);
                System.out.printf(Locale.ROOT, "[%2d/%d %s] %-25s @ %-10s warm-up %.1f s + measure %.1f s ...%n",
                    n, total, elapsed(start), s.label(), rateName(rate), warm, measure);
                if (o.waitQuietSec > 0)
                {
                    waitQuiet(o.waitQuietSec);
                }
                RunResult r = fork(jvmOptions, results, s, rate, warm, measure, o.hiccup);
                // With --wait-quiet, a run whose measurement shared the machine with busy neighbours is repeated (at most twice).
                for (int repeat = 0; o.waitQuietSec > 0 && r.error == null && r.foreignCpuCores > NOISY_CPU && repeat < 2; repeat++)
                {
                    System.out.printf(Locale.ROOT, "        others used %.2f CPU during the measurement (p99 %s µs); repeating%n",
                        r.foreignCpuCores, Report.f(Report.pct(r.latency, 99)));
                    waitQuiet(o.waitQuietSec);
                    r = fork(jvmOptions, results, s, rate, warm, measure, o.hiccup);
                }
                runs.add(r);
                if (r.error == null)
                {
                    Report.writeHgrm(results, r);
                    System.out.printf(Locale.ROOT, "        achieved %,.0f/s  n %,d  p50 %s  p99 %s  p99.9 %s  max %s µs  (delivery CPU %.2f, hiccup max %s µs, others %.2f CPU, retries %d, gc %d)%n",
                        r.achievedPerSec, r.latency.getTotalCount(), Report.f(Report.pct(r.latency, 50)), Report.f(Report.pct(r.latency, 99)),
                        Report.f(Report.pct(r.latency, 99.9)), Report.f(Report.max(r.latency)), r.deliveryCpuCores,
                        r.hiccups.getTotalCount() == 0 ? "0" : Report.f(Report.max(r.hiccups)), r.foreignCpuCores, r.retries, r.gcCount);
                }
                else
                {
                    System.out.println("        FAILED: " + r.error);
                }
            }
        }
        final Report report = new Report(runs, o.modeName());
        final Path json = results.resolve("latest.json");
        Files.writeString(json, Json.write(report.toJson()), StandardCharsets.UTF_8);
        final Path png = results.resolve("latency.png");
        try
        {
            LatencyChart.writeAll(runs, results, Report.cores() + " cores " + Report.cpuModel());
        }
        catch (final Throwable t)
        {
            System.out.println("chart not written: " + t);
        }
        report.printTable(System.out);
        System.out.printf(Locale.ROOT, "%nwrote %s, %s and %d .hgrm files in %s (total %s)%n", json.getFileName(), png.getFileName(),
            runs.stream().filter(r -> r.error == null).count(), results, elapsed(start));
    }

    /** Waits, up to {@code maxSec}, for a 1-second window in which other processes used < 0.15 CPU. */
    static void waitQuiet(final double maxSec) throws InterruptedException
    {
        final long deadline = System.nanoTime() + (long)(maxSec * 1e9);
        boolean told = false;
        while (true)
        {
            final CpuSampler.Sample a = CpuSampler.sample();
            Thread.sleep(1_000);
            final double foreign = CpuSampler.foreignCores(a, CpuSampler.sample());
            if (foreign < 0.15)
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                System.out.printf(Locale.ROOT, "        machine still busy (others %.2f CPU); running anyway%n", foreign);
                return;
            }
            if (!told)
            {
                System.out.printf(Locale.ROOT, "        waiting for a quiet machine (others %.2f CPU) ...%n", foreign);
                told = true;
            }
        }
    }

    static RunResult fork(
        final Path jvmOptions, final Path results, final Series s, final long rate, final double warm, final double measure,
        final HiccupMeter.Mode hiccup) throws IOException, InterruptedException
    {
        final Path out = Files.createTempFile("eab-bench-" + s.label() + "-", ".properties");
        final List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("@" + jvmOptions);
        cmd.add("-Xms1g");
        cmd.add("-Xmx1g");
        cmd.add("-XX:+AlwaysPreTouch");
        // Forward -Deab.* (e.g. eab.native.path) to the child.
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("eab.")).sorted()
            .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchMain.class.getName());
        cmd.add("--child");
        cmd.add(s.label());
        cmd.add(Long.toString(rate));
        cmd.add(Double.toString(warm));
        cmd.add(Double.toString(measure));
        cmd.add(out.toString());
        cmd.add("--hiccup");
        cmd.add(hiccup.name().toLowerCase(Locale.ROOT));
        final Process p = new ProcessBuilder(cmd).inheritIO().start();
        final long timeoutSec = (long)(warm + measure) + 180;
        RunResult r;
        if (!p.waitFor(timeoutSec, TimeUnit.SECONDS))
        {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            r = failed(s, rate, "child timed out after " + timeoutSec + " s");
        }
        else if (p.exitValue() != 0)
        {
            r = failed(s, rate, "child exited with " + p.exitValue());
        }
        else
        {
            r = RunResult.read(out);
        }
        Files.deleteIfExists(out);
        return r;
    }

    private static RunResult failed(final Series s, final long rate, final String why)
    {
        final RunResult r = new RunResult();
        r.series = s.label();
        r.offeredPerSec = rate;
        r.error = why;
        return r;
    }

    static String rateName(final long rate)
    {
        return rate == Schedule.SATURATION ? "saturation" : String.format(Locale.ROOT, "%,d/s", rate);
    }

    static String elapsed(final long start)
    {
        final long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    // ------------------------------------------------------------------ locations

    /**
     * @return the project root: {@code -Deab.root}, else the folder holding jvm.options found upwards from
     * this class's location (benchmarks/target/classes) or from the working directory.
     */
    static Path projectRoot()
    {
        final String prop = System.getProperty("eab.root");
        if (prop != null)
        {
            return Path.of(prop).toAbsolutePath();
        }
        final List<Path> starts = new ArrayList<>();
        try
        {
            starts.add(Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        catch (final URISyntaxException | RuntimeException e)
        {
            // ignore
        }
        starts.add(Path.of("").toAbsolutePath());
        for (final Path s : starts)
        {
            for (Path p = s; p != null; p = p.getParent())
            {
                if (Files.isRegularFile(p.resolve("jvm.options")) && Files.isDirectory(p.resolve("benchmarks")))
                {
                    return p;
                }
            }
        }
        throw new IllegalStateException("cannot find the project root (jvm.options); run via ./eab bench or pass -Deab.root=");
    }

    static Path jvmOptions(final Path root)
    {
        final Path p = root.resolve("jvm.options");
        if (!Files.isRegularFile(p))
        {
            throw new IllegalStateException("missing " + p);
        }
        return p.toAbsolutePath();
    }

}
