package dev.eab.core.resilience;

import java.util.function.BooleanSupplier;

/**
 * How one service is recovered (reference §4.2): attempts, backoff and the health check that decides whether an
 * attempt succeeded (null: an attempt always succeeds; false or a throw: it failed). Invalid arguments are refused
 * with the original's texts.
 *
 * @param maxRetryAttempts  attempts before the task FAILS (5)
 * @param backoffMultiplier exponential growth per attempt (2.0)
 * @param initialDelayMs    first delay (1000)
 * @param maxDelayMs        cap on every delay (60000)
 * @param healthCheck       decides success, or null
 */
public record RecoveryPolicy(int maxRetryAttempts, double backoffMultiplier, long initialDelayMs, long maxDelayMs, BooleanSupplier healthCheck)
{
    /** The original's defaults, no health check. */
    public static final RecoveryPolicy DEFAULTS = new RecoveryPolicy(5, 2.0, 1000, 60_000, null);

    public RecoveryPolicy
    {
        if (maxRetryAttempts < 1)
        {
            throw new IllegalArgumentException("max_retry_attempts must be >= 1");
        }
        if (!(backoffMultiplier >= 1.0))
        {
            throw new IllegalArgumentException("backoff_multiplier must be >= 1.0");
        }
        if (initialDelayMs < 0)
        {
            throw new IllegalArgumentException("initial_delay_ms must be >= 0");
        }
        if (maxDelayMs < initialDelayMs)
        {
            throw new IllegalArgumentException("max_delay_ms must be >= initial_delay_ms");
        }
    }

    /** @return the defaults with {@code check} as the health check */
    public static RecoveryPolicy withHealthCheck(final BooleanSupplier check)
    {
        return new RecoveryPolicy(DEFAULTS.maxRetryAttempts, DEFAULTS.backoffMultiplier, DEFAULTS.initialDelayMs, DEFAULTS.maxDelayMs, check);
    }

    /**
     * The delay before attempt {@code attempt} (1 = the first), capped by {@link #maxDelayMs}: exponential
     * initial × mult^(n−1); linear initial × n; immediate and manual 0 (a manual task waits for the operator, not a clock).
     */
    public long delayMs(final RecoveryStrategy strategy, final int attempt)
    {
        final int n = Math.max(1, attempt);
        final double delay = switch (strategy)
        {
            case EXPONENTIAL_BACKOFF -> initialDelayMs * Math.pow(backoffMultiplier, n - 1);
            case LINEAR_BACKOFF -> (double)initialDelayMs * n;
            case IMMEDIATE, MANUAL -> 0.0;
        };
        return delay >= maxDelayMs ? maxDelayMs : (long)delay;
    }
}
