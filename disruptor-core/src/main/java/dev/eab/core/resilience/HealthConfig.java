package dev.eab.core.resilience;

import java.time.Duration;

/**
 * The health aggregator's settings (reference §4.1). A score at or above {@code degradedThreshold} is HEALTHY, at
 * or above {@code criticalThreshold} DEGRADED, else CRITICAL (the original's names: below "degraded" is degraded).
 *
 * @param degradedThreshold lowest HEALTHY score (0.7)
 * @param criticalThreshold lowest DEGRADED score (0.5)
 * @param historyWindow     how far back {@link HealthAggregator#history()} looks (5 minutes)
 * @param maxHistory        snapshots kept at most (300)
 */
public record HealthConfig(double degradedThreshold, double criticalThreshold, Duration historyWindow, int maxHistory)
{
    /** The original's defaults: 0.7, 0.5, 5 minutes, 300 snapshots. */
    public static final HealthConfig DEFAULTS = new HealthConfig(0.7, 0.5, Duration.ofMinutes(5), 300);

    public HealthConfig
    {
        if (!(criticalThreshold >= 0.0 && criticalThreshold <= degradedThreshold && degradedThreshold <= 1.0))
        {
            throw new IllegalArgumentException("thresholds must satisfy 0 <= critical (" + criticalThreshold + ") <= degraded (" +
                degradedThreshold + ") <= 1");
        }
        if (historyWindow == null || historyWindow.isNegative() || historyWindow.isZero())
        {
            throw new IllegalArgumentException("historyWindow must be positive, got " + historyWindow);
        }
        if (maxHistory < 1)
        {
            throw new IllegalArgumentException("maxHistory must be >= 1, got " + maxHistory);
        }
    }

    /** @return the status of {@code score} under these thresholds */
    public HealthStatus statusOf(final double score)
    {
        if (score >= degradedThreshold)
        {
            return HealthStatus.HEALTHY;
        }
        return score >= criticalThreshold ? HealthStatus.DEGRADED : HealthStatus.CRITICAL;
    }
}
