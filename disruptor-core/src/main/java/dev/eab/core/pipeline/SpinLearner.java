package dev.eab.core.pipeline;

/**
 * Decides, from the idle gaps the bus thread actually sees, whether {@link PhasedWaitStrategy} should spin before
 * it parks, and for how long it must not spin after the host took the core away while it was spinning.
 *
 * <p>Why: a spin pays only when the next message usually arrives within it (a steady stream of ≥ ~50k msg/s:
 * a wake-up from a park costs 5–25 µs on a VM, the gap is ≤ 20 µs); for sporadic senders it burns a core for
 * nothing and, on a shared host, makes the scheduler treat the bus thread as CPU-bound. A fixed spin cannot be
 * right for both, so the wait strategy learns it per bus:
 * <ul>
 *   <li><b>Gap score</b>: an exponentially weighted share (weight 1/8 per idle episode, 16-bit fixed point) of
 *       recent idle episodes that ended within {@link #shortGapNanos()} (twice the spin cap, because an episode
 *       that ended in a park also contains the wake-up). The strategy spins for the cap while the share is at
 *       least one half, else parks at once. A stream that turns sporadic stops spinning after a few messages.</li>
 *   <li><b>Preemption back-off</b>: each time the thread finds it was descheduled while spinning (the host is
 *       oversubscribed) the no-spin period doubles, from {@link #MIN_BACKOFF_NANOS} to {@link #MAX_BACKOFF_NANOS},
 *       if the previous preemption was recent (within {@link #QUIET_FACTOR} no-spin periods), else starts again
 *       from the minimum. So a busy box ends up parking (it spins about once every 1.6 s, finds itself preempted
 *       and parks again), a quiet one spinning, and a box that changes between the two follows within seconds.
 *       Time, not successful spins, decides the decay: at 100k msg/s thousands of spins pay each second even on
 *       a busy box, between the preemptions that cost milliseconds.</li>
 * </ul>
 *
 * <p>Ownership: single writer, the consumer thread of the wait strategy that owns it; plain fields, no
 * allocation.
 */
final class SpinLearner
{
    /** Fixed-point one: the score of a bus whose every recent idle episode was short. */
    static final int SCORE_ONE = 1 << 16;
    /** Spin while at least this share of recent idle episodes was short. */
    static final int SPIN_THRESHOLD = SCORE_ONE / 2;
    /** Weight of the newest episode: 1 / 2^SCORE_SHIFT. */
    static final int SCORE_SHIFT = 3;
    /** First no-spin period after a preemption while spinning (the fixed back-off PHASED had before). */
    static final long MIN_BACKOFF_NANOS = 50_000_000L;
    /** Longest no-spin period: a host that keeps preempting the spinner is re-tried about once a second. */
    static final long MAX_BACKOFF_NANOS = 1_600_000_000L;
    /** A preemption more than this many no-spin periods after the previous one restarts the back-off. */
    static final long QUIET_FACTOR = 4;

    private final long capNanos;
    private final long shortGapNanos;
    private int score;
    private long backoffNanos;
    private long lastPreemptedNanos;

    /** @param capNanos the spin length when spinning pays (> 0) */
    SpinLearner(final long capNanos)
    {
        if (capNanos <= 0)
        {
            throw new IllegalArgumentException("spin cap must be > 0");
        }
        this.capNanos = capNanos;
        this.shortGapNanos = capNanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : capNanos * 2;
    }

    /** @return how long to spin in the idle episode starting now: the cap or 0 */
    long spinNanos()
    {
        return score >= SPIN_THRESHOLD ? capNanos : 0;
    }

    /**
     * Records one idle episode that ended with a message.
     *
     * @param gapNanos how long the thread was idle (from the ring going empty to seeing the message)
     */
    void onIdleEnded(final long gapNanos)
    {
        final int sample = gapNanos <= shortGapNanos ? SCORE_ONE : 0;
        score += (sample - score) >> SCORE_SHIFT;
    }

    /**
     * The thread found it was descheduled while spinning.
     *
     * @param nowNanos {@link System#nanoTime()} now
     * @return how long not to spin from now
     */
    long onPreempted(final long nowNanos)
    {
        final boolean recent = backoffNanos != 0 && nowNanos - lastPreemptedNanos <= QUIET_FACTOR * backoffNanos;
        backoffNanos = recent ? Math.min(MAX_BACKOFF_NANOS, backoffNanos << 1) : MIN_BACKOFF_NANOS;
        lastPreemptedNanos = nowNanos;
        return backoffNanos;
    }

    /** @return the current gap score (0 .. {@link #SCORE_ONE}); for tests and diagnostics */
    int score()
    {
        return score;
    }

    /** @return the last no-spin period (0 before any preemption); for tests and diagnostics */
    long backoffNanos()
    {
        return backoffNanos;
    }

    /** @return the longest idle episode counted as short */
    long shortGapNanos()
    {
        return shortGapNanos;
    }
}
