package dev.eab.bench;

import dev.eab.core.ops.HiccupMeter;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link BenchMain}. */
public final class BenchOptions
{
    /** Every offered rate the suite knows, in run order (each series runs at its own subset, {@link Series#defaultRates()}). */
    public static final List<Long> DEFAULT_RATES = Series.Rates.ALL;
    /** Rates below this are "sporadic senders": their warm-up runs at {@link #JIT_WARMUP_RATE} so the code is compiled. */
    public static final long SPORADIC_BELOW = 10_000;
    /** Offered rate of the warm-up of a sporadic run: 100k msg/s reaches C2 in a second (100 msg/s never would). */
    public static final long JIT_WARMUP_RATE = 100_000;

    public boolean help;
    public boolean quick;
    public boolean jmh;
    /** {@code --metering}: the paced metering-queue load ({@link MeteringBench}) instead of the suite. */
    public boolean metering;
    /** {@code --replay N}: the journal's replay rate with N unacked messages (3 runs), instead of the open loop. */
    public int replayMessages;
    public boolean child;
    public List<Series> series = Series.defaultSuite();
    /** The rates named by {@code --rates}; null: each series at its own {@link Series#defaultRates()}. */
    public List<Long> rates;
    public HiccupMeter.Mode hiccup = HiccupMeter.Mode.SLEEP;
    /** Overrides of the warm-up / measurement seconds (null: by mode). */
    public Double warmupSec;
    public Double measureSec;
    public Path resultsDir;
    /** Regex of JMH benchmarks to run (default: every benchmark class in dev.eab.bench.jmh). */
    public String jmhInclude = "dev\\.eab\\.bench\\.jmh\\..*Benchmark\\..*";
    /** Before each run, wait up to this many seconds for other processes to go quiet (0: don't wait). */
    public double waitQuietSec;
    /**
     * {@code --repeat N}: run the named series alternately N times per rate (order rotated each round) and report the
     * median of each percentile per series and how many rounds each bus won against each baseline ({@link RepeatRunner}).
     */
    public int repeat = 1;
    /** Child mode: the one series and rate to run, its durations, and where to write. */
    public Series childSeries;
    public long childRate;
    public double childWarmupSec;
    public double childMeasureSec;
    public Path childOut;

    public static BenchOptions parse(final String[] args)
    {
        final BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String a = args[i];
            switch (a)
            {
                case "-h", "--help" -> o.help = true;
                case "--quick" -> o.quick = true;
                case "--jmh" -> o.jmh = true;
                case "--metering" -> o.metering = true;
                case "--replay" -> o.replayMessages = (int)positive(value(args, ++i, a).replace("_", ""), a);
                case "--no-hiccup" -> o.hiccup = HiccupMeter.Mode.OFF;
                case "--hiccup" -> o.hiccup = HiccupMeter.Mode.parse(value(args, ++i, a));
                case "--series" -> o.series = parseSeries(value(args, ++i, a));
                case "--rates" -> o.rates = parseRates(value(args, ++i, a));
                case "--warmup" -> o.warmupSec = positive(value(args, ++i, a), a);
                case "--measure" -> o.measureSec = positive(value(args, ++i, a), a);
                case "--results" -> o.resultsDir = Path.of(value(args, ++i, a));
                case "--jmh-include" -> o.jmhInclude = value(args, ++i, a);
                case "--wait-quiet" -> o.waitQuietSec = positive(value(args, ++i, a), a);
                case "--repeat" -> o.repeat = (int)positive(value(args, ++i, a), a);
                case "--child" ->
                {
                    o.child = true;
                    o.childSeries = Series.byLabel(value(args, ++i, a));
                    o.childRate = Long.parseLong(value(args, ++i, a));
                    o.childWarmupSec = positive(value(args, ++i, a), a);
                    o.childMeasureSec = positive(value(args, ++i, a), a);
                    o.childOut = Path.of(value(args, ++i, a));
                }
                default -> throw new IllegalArgumentException("unknown option '" + a + "' (try --help)");
            }
        }
        if (o.repeat > 1 && (o.jmh || o.metering || o.replayMessages > 0))
        {
            throw new IllegalArgumentException("--repeat applies to the open-loop suite only");
        }
        if (o.jmh && o.quick)
        {
            throw new IllegalArgumentException("--jmh and --quick are separate runs; pick one");
        }
        return o;
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static double positive(final String v, final String option)
    {
        final double d = Double.parseDouble(v);
        if (!(d > 0))
        {
            throw new IllegalArgumentException(option + " must be > 0, got " + v);
        }
        return d;
    }

    static List<Series> parseSeries(final String csv)
    {
        final List<Series> out = new ArrayList<>();
        for (final String s : csv.split(","))
        {
            if (!s.isBlank() && !out.contains(Series.byLabel(s)))
            {
                out.add(Series.byLabel(s));
            }
        }
        if (out.isEmpty())
        {
            throw new IllegalArgumentException("--series names no series");
        }
        return List.copyOf(out);
    }

    static List<Long> parseRates(final String csv)
    {
        final List<Long> out = new ArrayList<>();
        for (final String s : csv.split(","))
        {
            if (s.isBlank())
            {
                continue;
            }
            final String t = s.trim().replace("_", "").toLowerCase(java.util.Locale.ROOT);
            final long r = t.equals("saturation") || t.equals("max") ? 0 : Long.parseLong(t);
            Schedule.intervalNanos(r); // validates
            if (!out.contains(r))
            {
                out.add(r);
            }
        }
        if (out.isEmpty())
        {
            throw new IllegalArgumentException("--rates names no rate");
        }
        return List.copyOf(out);
    }

    /** @return the rates {@code s} runs at in this suite. */
    public List<Long> ratesFor(final Series s)
    {
        return rates != null ? rates : s.defaultRates();
    }

    /** @return every rate of this suite, in run order. */
    public List<Long> suiteRates()
    {
        if (rates != null)
        {
            return rates;
        }
        return DEFAULT_RATES.stream().filter(r -> series.stream().anyMatch(s -> s.defaultRates().contains(r))).toList();
    }

    /** @return the offered rate of the warm-up for a run at {@code rate}: sporadic rates warm up at {@link #JIT_WARMUP_RATE}. */
    public static long warmupRate(final long rate)
    {
        return rate != Schedule.SATURATION && rate < SPORADIC_BELOW ? JIT_WARMUP_RATE : rate;
    }

    /** @return warm-up seconds for a rate in this mode. */
    public double warmupFor(final long rate)
    {
        if (warmupSec != null)
        {
            return warmupSec;
        }
        if (rate == Schedule.SATURATION)
        {
            return quick ? 1 : 10;
        }
        return rate < SPORADIC_BELOW ? (quick ? 1 : 10) : (quick ? 1 : 15);
    }

    /**
     * @return measurement seconds for a rate in this mode. Quick runs are short: 2 s at 100 msg/s is 200
     * messages (its p99 is the second-largest), so quick mode is a smoke test and the full mode the measurement.
     */
    public double measureFor(final long rate)
    {
        if (measureSec != null)
        {
            return measureSec;
        }
        if (rate == Schedule.SATURATION)
        {
            return quick ? 1 : 20;
        }
        return rate < SPORADIC_BELOW ? (quick ? 2 : 60) : (quick ? 2 : 45);
    }

    public String modeName()
    {
        return warmupSec != null || measureSec != null ? "custom" : quick ? "quick" : "full";
    }

    public static String usage()
    {
        return """
            usage: ./eab bench [options]
              (no options)        full open-loop suite: every series at its rates (100, 1k, 10k, 100k msg/s, saturation;
                                  see docs/BENCHMARKS.md), each in a fresh JVM: 15 s warm-up + 45 s measured at 10k/100k,
                                  10 s (at 100k/s) + 60 s at 100 and 1k/s, saturation 10 s + 20 s; ~35 min
              --quick             the same series and rates, short (1 s + 2 s; at 100 and 1k/s that is 200 and 2,000
                                  messages; saturation 1 s + 1 s); < 3 min
              --jmh               JMH per-operation costs (validate downcall, Java validate, publish) with -prof gc;
                                  results in benchmarks/results/jmh.json; ~5 min
              --jmh-include RE    with --jmh: only benchmarks matching this regex (default: all in dev.eab.bench.jmh)
              --metering          the metering queue at default settings under a paced 1M, 2M, 4M events/s (5 s each):
                                  queued / dropped / flushed; results in benchmarks/results/metering.json; ~30 s
              --replay N          the journal's replay rate: N unacked messages re-delivered after a restart, 3 runs
              --series a,b        only these series: eab-native, eab-native-noscan, eab-java, eab-native-phased,
                                  eab-native-backoff, eab-native-blocking, baseline-abq, baseline-abq-noscan,
                                  baseline-disruptor, baseline-disruptor-phased; and, not in the default set, eab-governed (impact scoring on),
                                  eab-native-nometering (metering off), eab-native-flood (another tenant floods:
                                  --series eab-native,eab-native-flood --rates 10000,100000) and eab-audited (BLAKE3 audit
                                  chain on: --series eab-native,eab-audited --rates 10000,100000,0),
                                  eab-journal (eab-native + the write-ahead journal, page cache; 10k, 100k, saturation)
                                  and eab-journal-sync (msync per batch), e.g.
                                  --series eab-native,eab-journal  or  --series eab-journal-sync --rates 10000,100000
              --rates r1,r2       every series at these offered rates in msg/s (default: each series at its own);
                                  0 (or 'saturation') = as fast as possible
              --warmup S          override warm-up seconds;  --measure S  override measured seconds
              --hiccup MODE       platform-noise meter: sleep (default, jHiccup's 1 ms park), spin, off
              --no-hiccup         same as --hiccup off
              --results DIR       write results there instead of benchmarks/results
              --wait-quiet S      before each run wait up to S seconds until other processes use < 0.15 CPU, and
                                  repeat (at most twice) a run during which they used > 0.25 CPU (for shared
                                  machines; the CPU others used is reported per run either way)
              --repeat N          run the series alternately N times per rate (fresh JVM each, order rotated per round) and
                                  report per series the median of each percentile and, per bus/baseline pair, in how many
                                  rounds the bus won (p50, p99, both) and the issue-8 targets by median and by rounds won;
                                  repeat.json. For a decision on a noisy machine, e.g. --repeat 5 --warmup 2 --measure 4
              --help              this text
            Outputs: latest.json, one .hgrm per run, latency.png (results directory); a table on stdout.
            """;
    }
}
