package dev.eab.core.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.util.concurrent.TimeUnit;

/**
 * A breaker on a per-message path at the cost of one volatile read per call. {@link #allows()} reads the state
 * (resilience4j keeps it in an atomic reference) and asks the breaker for a permission only when it is not
 * closed. Reporting a success to resilience4j allocates (an event and a metrics snapshot), so while the breaker
 * is closed {@link #success()} only counts; {@link #failure} first reports the successes still pending (at most
 * {@link #MAX_PENDING_SUCCESSES}, more than any trip window here), then the failure. The window then holds what it
 * would have held had every call been reported, so "N consecutive failures" means exactly that. While half-open
 * every outcome is reported at once (the probe decides).
 *
 * <p>Single writer: one guard per calling thread (the bus thread for the validator and the scanner); the
 * breaker itself is thread-safe and shared with health, recovery and chaos.
 */
public final class BreakerGuard
{
    /** Successes remembered while closed; a window larger than this would under-count successes. */
    public static final int MAX_PENDING_SUCCESSES = 64;

    private final CircuitBreaker breaker;
    private int pendingSuccesses;

    public BreakerGuard(final CircuitBreaker breaker)
    {
        this.breaker = breaker;
    }

    /** @return true when the guarded call may be made now (closed, or a half-open probe is permitted) */
    public boolean allows()
    {
        final CircuitBreaker.State s = breaker.getState();
        if (s == CircuitBreaker.State.CLOSED)
        {
            return true;
        }
        // OPEN: resilience4j moves to HALF_OPEN here once the reset timeout has passed.
        return s != CircuitBreaker.State.FORCED_OPEN && breaker.tryAcquirePermission();
    }

    /** The guarded call succeeded. */
    public void success()
    {
        if (breaker.getState() == CircuitBreaker.State.CLOSED)
        {
            if (pendingSuccesses < MAX_PENDING_SUCCESSES)
            {
                pendingSuccesses++;
            }
            return;
        }
        breaker.onSuccess(0, TimeUnit.NANOSECONDS);
    }

    /** The guarded call failed with {@code cause}. */
    public void failure(final Throwable cause)
    {
        for (; pendingSuccesses > 0; pendingSuccesses--)
        {
            breaker.onSuccess(0, TimeUnit.NANOSECONDS);
        }
        breaker.onError(0, TimeUnit.NANOSECONDS, cause);
    }

    /** @return the guarded breaker */
    public CircuitBreaker breaker()
    {
        return breaker;
    }
}
