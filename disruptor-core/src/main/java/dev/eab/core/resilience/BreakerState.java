package dev.eab.core.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A breaker's state as health sees it (reference §4.5): closed, half-open or open. resilience4j's extra states
 * fold into these: FORCED_OPEN (chaos, an operator) is open; DISABLED and METRICS_ONLY let every call through,
 * so they count as closed.
 */
public enum BreakerState
{
    CLOSED("closed"), HALF_OPEN("half-open"), OPEN("open");

    private final String label;

    BreakerState(final String label)
    {
        this.label = label;
    }

    /** @return pybreaker's spelling: {@code closed}, {@code half-open}, {@code open}. */
    public String label()
    {
        return label;
    }

    /** @return the health state of a resilience4j state. */
    public static BreakerState of(final CircuitBreaker.State state)
    {
        return switch (state)
        {
            case CLOSED, DISABLED, METRICS_ONLY -> CLOSED;
            case HALF_OPEN -> HALF_OPEN;
            case OPEN, FORCED_OPEN -> OPEN;
        };
    }
}
