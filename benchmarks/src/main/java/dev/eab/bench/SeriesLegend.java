package dev.eab.bench;

/**
 * One line per series saying what it does per message and how its delivery thread waits, for the bench's own
 * report (stdout and {@code latest.json}), so a reader of a result never has to guess which work a row compared.
 * The long form, with the comparisons, is the series table in docs/BENCHMARKS.md. The switch is exhaustive: a new
 * series does not compile without its line.
 */
public final class SeriesLegend
{
    private SeriesLegend()
    {
    }

    /** @return what {@code series} does, in one line; "unknown series" for a label no {@link Series} has */
    public static String of(final String label)
    {
        final Series series;
        try
        {
            series = Series.byLabel(label);
        }
        catch (final IllegalArgumentException e)
        {
            return "unknown series";
        }
        return of(series);
    }

    /** @return what {@code series} does, in one line */
    public static String of(final Series series)
    {
        return switch (series)
        {
            case EAB_NATIVE -> "bus: Rust validator + rate limit + Rust content scan, INLINE delivery; waits YIELDING (spin 2 µs, then yield)";
            case EAB_NATIVE_NOSCAN -> "eab-native without the content scan (validator + rate limit); YIELDING";
            case EAB_NATIVE_FLOOD -> "eab-native while another tenant's agent floods against its rate limit; YIELDING";
            case EAB_JOURNAL -> "eab-native + write-ahead journal (page cache); YIELDING";
            case EAB_JOURNAL_SYNC -> "eab-native + write-ahead journal, msync per batch; YIELDING";
            case EAB_JAVA -> "bus with the Java validator + rate limit + Java content scan; YIELDING";
            case EAB_NATIVE_PHASED -> "eab-native with the default idle strategy PHASED (learned spin ≤ 20 µs, else park; publisher unparks; warm probe every 250 µs idle)";
            case EAB_NATIVE_PHASED_CADENCE -> "eab-native-phased with the learned cadence on (timed wake 20 µs before a steady sender's next message, then spin)";
            case EAB_NATIVE_BACKOFF -> "eab-native with BACKOFF (Disruptor SleepingWaitStrategy: spin, yield, 100 ns sleeps)";
            case EAB_NATIVE_BLOCKING -> "eab-native with BLOCKING (Disruptor BlockingWaitStrategy: lock + condition)";
            case BASELINE_ABQ -> "naive bus: new object per send, ArrayBlockingQueue, Java validator + rate limit + Java content scan; take()";
            case BASELINE_ABQ_NOSCAN -> "baseline-abq without the content scan (validator + rate limit); take()";
            case BASELINE_DISRUPTOR -> "floor: bare Disruptor, same slot shape, no checks; the YIELDING wait strategy";
            case BASELINE_DISRUPTOR_PHASED -> "floor: bare Disruptor, same slot shape, no checks; the PHASED wait strategy";
            case EAB_NATIVE_NOMETERING -> "eab-native with metering and labelled counters off; YIELDING";
            case EAB_GOVERNED -> "eab-native + impact scoring (Rust scorer) on every message, nothing held; YIELDING";
            case EAB_AUDITED -> "eab-native + BLAKE3 audit chain of every decision (off the bus thread); YIELDING";
        };
    }
}
