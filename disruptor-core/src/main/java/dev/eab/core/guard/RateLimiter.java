package dev.eab.core.guard;

import dev.eab.api.RateLimit;

/**
 * Per-agent token buckets, indexed by agent handle (so per tenant:agent: a handle never changes
 * tenant). Owned by the bus thread: plain arrays, no locks, no allocation after construction.
 * Time comes from the caller (the event's publish time), so a check costs no clock read.
 */
public final class RateLimiter
{
    private static final double NANOS_PER_SECOND = 1e9;

    private final double[] tokens;
    private final long[] lastRefillNanos;
    private final boolean[] started;

    public RateLimiter(final int maxAgents)
    {
        tokens = new double[maxAgents];
        lastRefillNanos = new long[maxAgents];
        started = new boolean[maxAgents];
    }

    /**
     * Takes one token from the agent's bucket.
     *
     * @return 0 when allowed; otherwise how many milliseconds until a token is back (at least 1).
     */
    public long tryAcquire(final int handle, final RateLimit limit, final long nowNanos)
    {
        if (limit.unlimited())
        {
            return 0;
        }
        final double rate = limit.messagesPerSecond();
        final double burst = limit.burst();
        double t;
        if (!started[handle])
        {
            // A new agent starts with a full bucket.
            started[handle] = true;
            t = burst;
        }
        else
        {
            final long elapsed = Math.max(0, nowNanos - lastRefillNanos[handle]);
            t = Math.min(burst, tokens[handle] + elapsed * rate / NANOS_PER_SECOND);
        }
        lastRefillNanos[handle] = nowNanos;
        if (t >= 1.0)
        {
            tokens[handle] = t - 1.0;
            return 0;
        }
        tokens[handle] = t;
        return Math.max(1, (long)Math.ceil((1.0 - t) * 1000.0 / rate));
    }
}
