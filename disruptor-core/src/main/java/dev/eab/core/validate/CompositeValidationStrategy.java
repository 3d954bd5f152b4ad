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
 * <p>Successes are reported to the breaker only every {@value #SUCCESS_SAMPLE_INTERVAL}th call while
 * it is closed: each report allocates a metrics snapshot inside resilience4j, and the hot path must not
 * allocate. Failures and half-open probes are always reported. Bus thread only.
 */
public final class CompositeValidationStrategy implements ValidationStrategy, AutoCloseable
{
    /** Closed-state successes per success reported to the breaker. */
    public static final int SUCCESS_SAMPLE_INTERVAL = 1024;
    /** Calls in the breaker's count-based window. */
    public static final int WINDOW_CALLS = 10;
    /** Calls before the breaker may judge a failure rate. */
    public static final int MINIMUM_CALLS = 3;
    /** How long the breaker stays open before probing native again. */
    public static final Duration OPEN_WAIT = Duration.ofSeconds(30);

    private final ValidationStrategy nativeStrategy;
    private final JavaValidationStrategy javaStrategy;
    private final CircuitBreaker breaker;
    private int successesSinceReport;
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
                if (breaker.getState() != CircuitBreaker.State.CLOSED || ++successesSinceReport >= SUCCESS_SAMPLE_INTERVAL)
                {
                    successesSinceReport = 0;
                    breaker.onSuccess(0, TimeUnit.NANOSECONDS);
                }
                else
                {
                    breaker.releasePermission();
                }
                return code;
            }
            nativeFailures++;
            breaker.onError(0, TimeUnit.NANOSECONDS, new NativeValidationFailure(code));
        }
        javaDecisions++;
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
