package dev.eab.core.workflow;

import dev.eab.api.exception.ConfigurationException;

/**
 * How often and how long one unit of workflow code (a saga step, a compensation, a DAG node) may run:
 * up to {@link #maxAttempts()} attempts, each limited to {@link #timeoutMs()}, with
 * {@link #retryDelayMs()} between a failed attempt and the next. A timeout counts as a failed attempt.
 * Immutable.
 */
public final class RetryPolicy
{
    /** The original's {@code max_retries}: attempts per step or compensation. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** The original's {@code retry_delay_seconds} (1.0 s). */
    public static final long DEFAULT_RETRY_DELAY_MS = 1_000;
    /** The original's {@code timeout_seconds} (30 s). */
    public static final long DEFAULT_TIMEOUT_MS = 30_000;

    /** The original's defaults: 3 attempts, 1 s apart, 30 s each. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_DELAY_MS, DEFAULT_TIMEOUT_MS);

    private final int maxAttempts;
    private final long retryDelayMs;
    private final long timeoutMs;

    private RetryPolicy(final int maxAttempts, final long retryDelayMs, final long timeoutMs)
    {
        this.maxAttempts = maxAttempts;
        this.retryDelayMs = retryDelayMs;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @param maxAttempts  attempts, at least 1.
     * @param retryDelayMs pause between attempts in milliseconds, at least 0.
     * @param timeoutMs    longest one attempt may run in milliseconds, at least 1.
     * @return the policy.
     * @throws ConfigurationException naming the value that is out of range.
     */
    public static RetryPolicy of(final int maxAttempts, final long retryDelayMs, final long timeoutMs)
    {
        if (maxAttempts < 1)
        {
            throw new ConfigurationException("maxAttempts", "must be at least 1, was " + maxAttempts);
        }
        if (retryDelayMs < 0)
        {
            throw new ConfigurationException("retryDelayMs", "must be at least 0, was " + retryDelayMs);
        }
        if (timeoutMs < 1)
        {
            throw new ConfigurationException("timeoutMs", "must be at least 1, was " + timeoutMs);
        }
        return new RetryPolicy(maxAttempts, retryDelayMs, timeoutMs);
    }

    /**
     * @param timeoutMs longest the single attempt may run in milliseconds, at least 1.
     * @return one attempt, no retry.
     */
    public static RetryPolicy once(final long timeoutMs)
    {
        return of(1, 0, timeoutMs);
    }

    /** @return attempts, at least 1. */
    public int maxAttempts()
    {
        return maxAttempts;
    }

    /** @return pause between attempts, in milliseconds. */
    public long retryDelayMs()
    {
        return retryDelayMs;
    }

    /** @return longest one attempt may run, in milliseconds. */
    public long timeoutMs()
    {
        return timeoutMs;
    }

    @Override
    public String toString()
    {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", retryDelayMs=" + retryDelayMs + ", timeoutMs=" + timeoutMs + '}';
    }
}
