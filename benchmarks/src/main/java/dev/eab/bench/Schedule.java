package dev.eab.bench;

/**
 * The open-loop schedule: message {@code i} of a phase is due at {@code start + i * interval}, whatever
 * happened to the messages before it. A sender that falls behind sends at once and never skips, so a
 * stall shows up as latency of every message scheduled during it (no coordinated omission).
 */
public final class Schedule
{
    /** Offered rate meaning "as fast as possible" (saturation). */
    public static final long SATURATION = 0;

    private Schedule()
    {
    }

    /** @return nanoseconds between intended send times for {@code ratePerSecond}; 0 for saturation. */
    public static long intervalNanos(final long ratePerSecond)
    {
        if (ratePerSecond < 0)
        {
            throw new IllegalArgumentException("rate must be >= 0, got " + ratePerSecond);
        }
        if (ratePerSecond == SATURATION)
        {
            return 0;
        }
        final long interval = 1_000_000_000L / ratePerSecond;
        if (interval == 0)
        {
            throw new IllegalArgumentException("rate above 1e9/s cannot be scheduled: " + ratePerSecond);
        }
        return interval;
    }

    /** @return the intended send time of message {@code index} of a phase starting at {@code startNanos}. */
    public static long intendedNanos(final long startNanos, final long index, final long intervalNanos)
    {
        return startNanos + index * intervalNanos;
    }

    /** @return how many messages a phase of {@code durationNanos} schedules at {@code intervalNanos} (> 0). */
    public static long messagesInPhase(final long durationNanos, final long intervalNanos)
    {
        return (durationNanos + intervalNanos - 1) / intervalNanos;
    }
}
