package dev.eab.core.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import dev.eab.api.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * Maps each {@link IdleStrategy} to the Disruptor {@link WaitStrategy} the bus thread uses. The bus and the
 * benchmark's bare-Disruptor floor both build theirs here, so "same wait strategy" means the same class with
 * the same phases.
 *
 * <p>BUSY_SPIN, YIELDING and PHASED are {@link PhasedWaitStrategy} instances (they differ in how long each phase
 * lasts, and PHASED alone learns whether to spin from the gaps it sees and stops spinning for a while when it finds itself descheduled while spinning) and tick every {@link #WARM_TICK_NANOS} while idle, which the bus uses to keep its path warm.
 * BACKOFF and BLOCKING are the Disruptor's own {@link SleepingWaitStrategy} and {@link BlockingWaitStrategy},
 * without ticks.
 */
public final class IdleWaitStrategies
{
    /** Idle tick: how often an idle bus thread runs its warm-up probe ("every few hundred µs"). */
    public static final long WARM_TICK_NANOS = TimeUnit.MICROSECONDS.toNanos(250);
    /** YIELDING: spin this long before yielding (about the Disruptor YieldingWaitStrategy's 100 spin tries). */
    public static final long YIELDING_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(2);
    /**
     * PHASED with {@code -Deab.idle.phased.learn=false}: a fixed spin of this long after the ring goes empty. Zero, from measurement (docs/BENCHMARKS.md): on an
     * oversubscribed 2-vCPU host a 20 µs spin made the bus thread CPU-bound at 100k msg/s, so the scheduler left it
     * behind by milliseconds, while parking at once kept up (p50 2–6 µs); on a quiet host the spin bought p50 1.5
     * instead of 6.6 µs at 100k msg/s. Shared hosts are what PHASED is for. Override: {@code eab.idle.phased.spin-us}.
     */
    public static final long PHASED_SPIN_NANOS = 0;
    /**
     * PHASED with a learned spin (the default): spin this long, or not at all, as {@link SpinLearner} decides from
     * the idle gaps the bus sees: a steady stream (gaps ≤ 40 µs, ≥ ~25k msg/s) gets the spin, sporadic senders and
     * a host that keeps preempting the spinner get a park at once. Override: {@code eab.idle.phased.spin-us};
     * {@code -Deab.idle.phased.learn=false} restores the fixed spin of {@link #PHASED_SPIN_NANOS}.
     */
    public static final long PHASED_SPIN_CAP_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /**
     * PHASED with {@code -Deab.idle.phased.cadence=true} (off by default): with a steady sender whose gaps are too long
     * to spin through (≥ 50 µs, regular), wake this long before its next message is due and spin for it
     * ({@link CadenceLearner}), so the wake-up is off the message's path. It covers a timed wake-up's lateness on this
     * VM with the slack cut to 1 µs (p50 9–11 µs, p90 10–19 µs at load 10). Off by default from measurement
     * (docs/BENCHMARKS.md, "Stop 10 (idle2)"): on the oversubscribed 2-vCPU host it did not pay at 10k msg/s (first
     * version 10× worse at p50, second about level at 0.06 CPU more).
     * Override: {@code eab.idle.phased.cadence-lead-us}.
     */
    public static final long PHASED_CADENCE_LEAD_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** The system property that turns PHASED's learned cadence on ({@code true}; default off). */
    public static final String CADENCE_PROPERTY = "eab.idle.phased.cadence";
    /** PHASED: then yield this long before parking. */
    public static final long PHASED_YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(0);
    /** Longest single park: only a safety net, a publisher unparks the bus thread as soon as it publishes. */
    public static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private IdleWaitStrategies()
    {
    }

    /** @return a new wait strategy for {@code idle} (one per consumer thread). */
    public static WaitStrategy forIdle(final IdleStrategy idle)
    {
        final long tick = micros("eab.idle.warm-tick-us", WARM_TICK_NANOS);
        return switch (idle)
        {
            case BUSY_SPIN -> new PhasedWaitStrategy(PhasedWaitStrategy.FOREVER, 0, MAX_PARK_NANOS, tick, false);
            case YIELDING -> new PhasedWaitStrategy(YIELDING_SPIN_NANOS, PhasedWaitStrategy.FOREVER, MAX_PARK_NANOS, tick, false);
            case PHASED -> phased(tick);
            case BACKOFF -> new SleepingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
        };
    }

    private static PhasedWaitStrategy phased(final long tick)
    {
        final boolean learn = !"false".equalsIgnoreCase(System.getProperty("eab.idle.phased.learn", "true").trim());
        final long spin = micros("eab.idle.phased.spin-us", learn ? PHASED_SPIN_CAP_NANOS : PHASED_SPIN_NANOS);
        return new PhasedWaitStrategy(spin, micros("eab.idle.phased.yield-us", PHASED_YIELD_NANOS), MAX_PARK_NANOS, tick,
            !Boolean.getBoolean("eab.idle.phased.no-adapt"), learn && spin > 0,
            Boolean.getBoolean(CADENCE_PROPERTY) ? micros("eab.idle.phased.cadence-lead-us", PHASED_CADENCE_LEAD_NANOS) : 0);
    }

    /**
     * @return the system property {@code key} in µs as nanoseconds, else {@code defaultNanos}. Overrides for
     * measuring (docs/BENCHMARKS.md): {@code eab.idle.warm-tick-us} (0: no idle ticks, so no warm-up),
     * {@code eab.idle.phased.spin-us}, {@code eab.idle.phased.yield-us}, {@code eab.idle.phased.cadence-lead-us} (with the
     * cadence on); and the booleans {@code eab.idle.phased.cadence} (default false: no learned cadence), {@code eab.idle.phased.learn}
     * (default true: the spin is learned, see {@link SpinLearner}) and
     * {@code eab.idle.phased.no-adapt} (PHASED keeps spinning even when descheduled while spinning).
     */
    private static long micros(final String key, final long defaultNanos)
    {
        final String v = System.getProperty(key);
        return v == null || v.isBlank() ? defaultNanos : TimeUnit.MICROSECONDS.toNanos(Long.parseLong(v.trim()));
    }
}
