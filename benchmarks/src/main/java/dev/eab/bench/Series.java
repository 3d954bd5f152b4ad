package dev.eab.bench;

import dev.eab.api.IdleStrategy;
import dev.eab.api.NativeMode;

import java.util.Arrays;
import java.util.List;

/**
 * The series the open-loop benchmark knows, by their result names, with the rates each runs at when no
 * {@code --rates} is given. Every series is compared with a floor (a bare Disruptor with the same wait
 * strategy) and a naive baseline doing the same checks; docs/BENCHMARKS.md says what each does, per row.
 */
public enum Series
{
    /** The bus tuned for dedicated cores: Rust validator and Rust content scanner, YIELDING, stage timing sampled. */
    EAB_NATIVE("eab-native", Rates.ALL),
    /** eab-native with content scanning off: what the guardrail scan costs, in the same run. */
    EAB_NATIVE_NOSCAN("eab-native-noscan", Rates.RATED_SATURATION),
    /** eab-native while an agent of another tenant floods at 200k msg/s against its 1,000 msg/s limit (opt-in). */
    EAB_NATIVE_FLOOD("eab-native-flood", Rates.NONE),
    /**
     * eab-native with the write-ahead journal (page-cache flush, pretoucher on): what journaling costs. Named to run
     * (at 10k, 100k and saturation): {@code --series eab-native,eab-journal}; kept out of the default suite so that
     * {@code --quick} stays under 3 minutes.
     */
    EAB_JOURNAL("eab-journal", List.of(10_000L, 100_000L, Schedule.SATURATION), false),
    /** eab-journal with SYNC_PER_BATCH (an msync per ring batch): machine-crash durability's cost (opt-in). */
    EAB_JOURNAL_SYNC("eab-journal-sync", Rates.NONE),
    /** The Java fallback: Java validator and Java content scanner, YIELDING. */
    EAB_JAVA("eab-java", Rates.RATED_SATURATION),
    /** eab-native with the PHASED idle strategy: the default configuration (spin, then park; warm while idle). */
    EAB_NATIVE_PHASED("eab-native-phased", Rates.ALL_RATED),
    /** eab-native with the BACKOFF idle strategy (the Disruptor's SleepingWaitStrategy; the default before PHASED). */
    EAB_NATIVE_BACKOFF("eab-native-backoff", Rates.RATED),
    /** eab-native with the BLOCKING idle strategy (the Disruptor's BlockingWaitStrategy). */
    EAB_NATIVE_BLOCKING("eab-native-blocking", Rates.RATED),
    /** The naive bus with the bus's checks: Java validator, rate limit and Java content scan, ArrayBlockingQueue. */
    BASELINE_ABQ("baseline-abq", Rates.ALL),
    /** baseline-abq without the content scan: beside eab-native-noscan. */
    BASELINE_ABQ_NOSCAN("baseline-abq-noscan", Rates.RATED_SATURATION),
    /** The floor for the YIELDING series: a bare Disruptor, same wait strategy, no checks. */
    BASELINE_DISRUPTOR("baseline-disruptor", Rates.ALL),
    /** The floor for eab-native-phased: a bare Disruptor with the PHASED wait strategy, no checks. */
    BASELINE_DISRUPTOR_PHASED("baseline-disruptor-phased", Rates.ALL_RATED),
    /**
     * eab-native with metering and the labelled message counters off ({@code enableMetering=false}): beside eab-native (on
     * by default) in the same run, what the ops surface costs the hot path (opt-in:
     * {@code --series eab-native,eab-native-nometering --rates 100000}).
     */
    EAB_NATIVE_NOMETERING("eab-native-nometering", Rates.NONE),
    /**
     * eab-native with governance on: every message impact-scored (Rust scorer) on the bus thread; the threshold (0.8)
     * is above the bench traffic's score (about 0.24), so nothing is held: what scoring costs, beside eab-native.
     * Opt-in like the flood (the --quick suite's time budget is full):
     * {@code --series eab-native,eab-governed,baseline-disruptor --rates 10000,100000,0}.
     */
    EAB_GOVERNED("eab-governed", Rates.NONE),
    /**
     * eab-native with the BLAKE3 audit chain on: every decision recorded off the bus thread by the audit capture
     * behind the pipeline (BLOCK back-pressure), so saturation here is also the audit log's throughput. Opt-in (the
     * quick suite stays under 3 minutes): {@code --series eab-native,eab-audited --rates 10000,100000,0}.
     */
    EAB_AUDITED("eab-audited", Rates.NONE),
    /**
     * eab-native-phased with PHASED's learned cadence on ({@code eab.idle.phased.cadence=true}, set in the child before
     * the bus starts): the same-run A/B of the cadence (opt-in: {@code --series eab-native-phased,eab-native-phased-cadence}).
     */
    EAB_NATIVE_PHASED_CADENCE("eab-native-phased-cadence", Rates.NONE);

    /** Rate sets (msg/s; 0 = saturation). */
    static final class Rates
    {
        static final List<Long> NONE = List.of();
        static final List<Long> RATED = List.of(10_000L, 100_000L);
        static final List<Long> RATED_SATURATION = List.of(100_000L, Schedule.SATURATION);
        static final List<Long> ALL_RATED = List.of(100L, 1_000L, 10_000L, 100_000L);
        static final List<Long> ALL = List.of(100L, 1_000L, 10_000L, 100_000L, Schedule.SATURATION);

        private Rates()
        {
        }
    }

    private final String label;
    private final List<Long> defaultRates;
    private final boolean inDefaultSuite;

    Series(final String label, final List<Long> defaultRates)
    {
        this(label, defaultRates, !defaultRates.isEmpty());
    }

    Series(final String label, final List<Long> defaultRates, final boolean inDefaultSuite)
    {
        this.label = label;
        this.defaultRates = defaultRates;
        this.inDefaultSuite = inDefaultSuite;
    }

    public String label()
    {
        return label;
    }

    /** @return the rates this series runs at when {@code --rates} is not given (empty: only when named). */
    public List<Long> defaultRates()
    {
        return defaultRates;
    }

    /** @return the delivery thread's idle strategy for this series. */
    public IdleStrategy idleStrategy()
    {
        return switch (this)
        {
            case EAB_NATIVE_PHASED, EAB_NATIVE_PHASED_CADENCE, BASELINE_DISRUPTOR_PHASED -> IdleStrategy.PHASED;
            case EAB_NATIVE_BACKOFF -> IdleStrategy.BACKOFF;
            case EAB_NATIVE_BLOCKING, BASELINE_ABQ, BASELINE_ABQ_NOSCAN -> IdleStrategy.BLOCKING;
            default -> IdleStrategy.YIELDING;
        };
    }

    /** @return a new, not yet started, system under test recording into {@code sink}. */
    public SystemUnderTest create(final LatencySink sink)
    {
        return switch (this)
        {
            case EAB_NATIVE, EAB_NATIVE_PHASED, EAB_NATIVE_BACKOFF, EAB_NATIVE_BLOCKING ->
                new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, sink);
            case EAB_NATIVE_PHASED_CADENCE ->
            {
                System.setProperty(dev.eab.core.pipeline.IdleWaitStrategies.CADENCE_PROPERTY, "true"); // one series per child JVM
                yield new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, sink);
            }
            case EAB_NATIVE_NOSCAN -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), false, false, sink);
            case EAB_NATIVE_NOMETERING -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, sink).withoutMetering();
            case EAB_NATIVE_FLOOD -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, true, sink);
            case EAB_JAVA -> new EabSeries(NativeMode.OFF, idleStrategy(), true, false, sink);
            case EAB_GOVERNED -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, true, false, sink);
            case EAB_AUDITED -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, false, true, sink);
            case EAB_JOURNAL -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, sink).journaled(dev.eab.api.JournalFlush.PAGE_CACHE);
            case EAB_JOURNAL_SYNC -> new EabSeries(NativeMode.REQUIRED, idleStrategy(), true, false, sink)
                .journaled(dev.eab.api.JournalFlush.SYNC_PER_BATCH);
            case BASELINE_ABQ -> new AbqBaseline(true, sink);
            case BASELINE_ABQ_NOSCAN -> new AbqBaseline(false, sink);
            case BASELINE_DISRUPTOR, BASELINE_DISRUPTOR_PHASED -> new DisruptorBaseline(idleStrategy(), sink);
        };
    }

    /** @return the series for a result name. */
    public static Series byLabel(final String label)
    {
        for (final Series s : values())
        {
            if (s.label.equals(label.trim()))
            {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown series '" + label + "'; known: " + Arrays.stream(values()).map(Series::label).toList());
    }

    /** @return the series run when none is named. */
    public static List<Series> defaultSuite()
    {
        return Arrays.stream(values()).filter(s -> s.inDefaultSuite).toList();
    }
}
