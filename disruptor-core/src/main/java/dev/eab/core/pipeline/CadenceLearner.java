package dev.eab.core.pipeline;

/**
 * Learns the cadence of a sender that sends at a steady pace (a heartbeat, a market-data tick, a paced feed:
 * 10k msg/s, 100 msg/s) from the times the bus thread sees the first message after being idle, so that
 * {@link PhasedWaitStrategy} can wake itself a little before the next message is due and catch it spinning,
 * instead of being woken by the publisher after it arrives.
 *
 * <p>Why: on a VM a wake-up from a park costs 5–25 µs, and with the publisher's unpark it sits on every message's
 * critical path once the gaps are longer than a spin can bridge (≳ 40 µs; shorter gaps are {@link SpinLearner}'s).
 * A wake-up the bus thread times itself costs the same, but it happens before the message, off its path. It only
 * pays when arrivals are regular, so it is off unless they are:
 * <ul>
 *   <li>mean gap: an exponentially weighted mean of the gaps between idle-ending arrivals (weight 1/8);</li>
 *   <li>regularity: an exponentially weighted mean absolute deviation of the same gaps (weight 1/8); the cadence
 *       is used only while it is at most a quarter of the mean gap (a Poisson stream's is about three quarters,
 *       so a random sender never gets it) and at most {@link #MAX_DEVIATION_NANOS} (a window is spun through, so
 *       its width must not grow with the gap: on a loaded host the arrivals jitter by hundreds of µs and the
 *       cadence then stays off), after at least {@link #MIN_SAMPLES} gaps, and for mean gaps in
 *       [{@link #MIN_GAP_NANOS}, {@link #MAX_GAP_NANOS}];</li>
 *   <li>window: from {@code leadNanos} before the expected arrival until {@code 2 × deviation} (at least
 *       {@link #MIN_TOLERANCE_NANOS}) after it; outside it the strategy parks as before and a message that comes
 *       anyway is woken by its publisher, so a wrong prediction costs CPU, never a lost or late wake-up.</li>
 * </ul>
 * What it costs: the spin window per message, 25–60 µs: at 10k msg/s ≈ 0.25–0.6 CPU, at 100 msg/s ≤ 0.006 CPU.
 *
 * <p>Ownership: single writer, the consumer thread of the wait strategy that owns it; plain fields, no allocation.
 */
final class CadenceLearner
{
    /** No prediction: the cadence is not known or not regular. */
    static final long NONE = Long.MIN_VALUE;
    /** Weight of the newest gap: 1 / 2^WEIGHT_SHIFT. */
    static final int WEIGHT_SHIFT = 3;
    /** Gaps seen before a prediction is trusted. */
    static final int MIN_SAMPLES = 16;
    /** Shorter mean gaps are the learned spin's business (a spin bridges them without a park). */
    static final long MIN_GAP_NANOS = 50_000;
    /** Longer mean gaps are not predicted (a sender idle for seconds has no cadence worth a spin). */
    static final long MAX_GAP_NANOS = 100_000_000;
    /** Regular: mean absolute deviation at most mean / 2^REGULAR_SHIFT. */
    static final int REGULAR_SHIFT = 2;
    /** Regular: mean absolute deviation at most this, whatever the gap (bounds the spin window to ~60 µs). */
    static final long MAX_DEVIATION_NANOS = 20_000;
    /** The window lasts at least this long past the expected arrival. */
    static final long MIN_TOLERANCE_NANOS = 5_000;

    private final long leadNanos;
    private long lastArrivalNanos = NONE;
    private long meanGapNanos;
    private long deviationNanos;
    private int samples;

    /** @param leadNanos how long before the expected arrival to start spinning (> 0; covers a timed wake-up's lateness) */
    CadenceLearner(final long leadNanos)
    {
        if (leadNanos <= 0)
        {
            throw new IllegalArgumentException("lead must be > 0");
        }
        this.leadNanos = leadNanos;
    }

    /**
     * The bus thread saw a message after being idle.
     *
     * @param nowNanos {@link System#nanoTime()} when it saw it
     */
    void onArrival(final long nowNanos)
    {
        final long last = lastArrivalNanos;
        lastArrivalNanos = nowNanos;
        if (last == NONE)
        {
            return;
        }
        final long gap = nowNanos - last;
        if (samples == 0)
        {
            meanGapNanos = gap;
            deviationNanos = gap; // not regular until shown
        }
        else
        {
            final long error = gap - meanGapNanos;
            meanGapNanos += error >> WEIGHT_SHIFT;
            deviationNanos += (Math.abs(error) - deviationNanos) >> WEIGHT_SHIFT;
        }
        if (samples < MIN_SAMPLES)
        {
            samples++;
        }
    }

    /** @return true while the cadence is known and regular enough to predict the next arrival */
    boolean regular()
    {
        return samples >= MIN_SAMPLES && meanGapNanos >= MIN_GAP_NANOS && meanGapNanos <= MAX_GAP_NANOS
            && deviationNanos <= meanGapNanos >> REGULAR_SHIFT && deviationNanos <= MAX_DEVIATION_NANOS;
    }

    /** @return when to start spinning for the next message ({@link System#nanoTime()} scale), or {@link #NONE} */
    long windowStartNanos()
    {
        return regular() ? lastArrivalNanos + meanGapNanos - leadNanos : NONE;
    }

    /** @return when to stop spinning and park for the next message, or {@link #NONE} */
    long windowEndNanos()
    {
        return regular() ? lastArrivalNanos + meanGapNanos + Math.max(MIN_TOLERANCE_NANOS, 2 * deviationNanos) : NONE;
    }

    /** @return the learned mean gap (ns); tests and diagnostics */
    long meanGapNanos()
    {
        return meanGapNanos;
    }

    /** @return the learned mean absolute deviation of the gaps (ns); tests and diagnostics */
    long deviationNanos()
    {
        return deviationNanos;
    }
}
