package dev.eab.core.validate;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Native when loaded and healthy, the Java twin otherwise. A resilience4j breaker guards the native
 * path: a negative code (panic caught in Rust, null argument, failed downcall) counts as a failure,
 * the message is decided by the Java twin instead (both decide identically), and once the breaker
 * opens every message goes to Java until a half-open probe succeeds.
 *
 * <p>The breaker judges the last {@value #WINDOW_CALLS} calls, but reporting a success to resilience4j
 * allocates (a metrics snapshot) and the hot path must not. So while the breaker is closed successes are
 * only counted; when a failure comes, the pending successes (at most a window's worth) are reported
 * first, then the failure. The window then holds exactly what it would have held had every call been
 * reported, so the 50% threshold means what it says, at zero allocation per successful call. In the
 * half-open state every call is reported. Bus thread only.
 */
public final class CompositeValidationStrategy implements ValidationStrategy, AutoCloseable
{
    /** Calls in the breaker's count-based window. */
    public static final int WINDOW_CALLS = 10;
    /** Calls before the breaker may judge a failure rate. */
    public static final int MINIMUM_CALLS = 3;
    /** How long the breaker stays open before probing native again. */
    public static final Duration OPEN_WAIT = Duration.ofSeconds(30);

    private final ValidationStrategy nativeStrategy;
    private final JavaValidationStrategy javaStrategy;
    private final CircuitBreaker breaker;
    private int unreportedSuccesses;
    private long nativeDecisions;
    private long javaDecisions;
    private long nativeFailures;

    /**
     * @param nativeStrategy the native path, or null when the library is absent (then Java only).
     */
    public CompositeValidationStrategy(final ValidationStrategy nativeStrategy, final JavaValidationStrategy javaStrategy)
    {
        this.nativeStrategy = nativeStrategy;
        this.javaStrategy = javaStrategy;
        this.breaker = CircuitBreaker.of("eab-native-validator", CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(WINDOW_CALLS)
            .minimumNumberOfCalls(MINIMUM_CALLS)
            .failureRateThreshold(50.0f)
            .waitDurationInOpenState(OPEN_WAIT)
            .permittedNumberOfCallsInHalfOpenState(MINIMUM_CALLS)
            .build());
    }

    @Override
    public int validate(final MemorySegment header)
    {
        if (nativeStrategy != null && breaker.tryAcquirePermission())
        {
            final int code = nativeStrategy.validate(header);
            if (code >= 0)
            {
                nativeDecisions++;
                if (breaker.getState() == CircuitBreaker.State.CLOSED)
                {
                    if (unreportedSuccesses < WINDOW_CALLS)
                    {
                        unreportedSuccesses++;
                    }
                }
                else
                {
                    breaker.onSuccess(0, TimeUnit.NANOSECONDS);
                }
                return code;
            }
            nativeFailures++;
            for (; unreportedSuccesses > 0; unreportedSuccesses--)
            {
                breaker.onSuccess(0, TimeUnit.NANOSECONDS);
            }
            breaker.onError(0, TimeUnit.NANOSECONDS, new NativeValidationFailure(code));
        }
        javaDecisions++;
        return javaStrategy.validate(header);
    }

    /**
     * The idle warm-up: runs the strategy that would decide now (native while the breaker is closed, else
     * Java) and counts nothing, reports nothing to the breaker. A native failure here is ignored: the next
     * real message meets it and reports it.
     */
    @Override
    public int warm(final MemorySegment header)
    {
        if (nativeStrategy != null && breaker.getState() == CircuitBreaker.State.CLOSED)
        {
            return nativeStrategy.validate(header);
        }
        return javaStrategy.validate(header);
    }

    /** @return "native" while native decides, "java" when absent or the breaker is open. */
    @Override
    public String name()
    {
        return nativeStrategy != null && breaker.getState() != CircuitBreaker.State.OPEN ? nativeStrategy.name() : javaStrategy.name();
    }

    /** @return the breaker, for health reporting and tests. */
    public CircuitBreaker breaker()
    {
        return breaker;
    }

    public long nativeDecisions() { return nativeDecisions; }
    public long javaDecisions() { return javaDecisions; }
    public long nativeFailures() { return nativeFailures; }

    @Override
    public void close()
    {
        if (nativeStrategy instanceof AutoCloseable c)
        {
            try
            {
                c.close();
            }
            catch (final Exception e)
            {
                throw new IllegalStateException("closing native validator failed", e);
            }
        }
    }

    /** Recorded against the breaker when native returns a negative code. */
    static final class NativeValidationFailure extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        NativeValidationFailure(final int code)
        {
            super("native validator returned " + code, null, false, false);
        }
    }
}
