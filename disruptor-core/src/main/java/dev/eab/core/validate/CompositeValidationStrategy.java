package dev.eab.core.validate;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import dev.eab.core.resilience.FaultInjector;
import dev.eab.core.resilience.FaultPoint;

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
        this(nativeStrategy, javaStrategy, CircuitBreaker.of("eab-native-validator", CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(WINDOW_CALLS)
            .minimumNumberOfCalls(MINIMUM_CALLS)
            .failureRateThreshold(50.0f)
            .waitDurationInOpenState(OPEN_WAIT)
            .permittedNumberOfCallsInHalfOpenState(MINIMUM_CALLS)
            .build()), new FaultInjector());
    }

    /**
     * With the bus's breaker for the native validator (from its {@code BreakerRegistry}: the original's 5 consecutive
     * failures / 30 s) and its chaos fault injector ({@link FaultPoint#NATIVE_CALL}: a fault there is a failed call).
     */
    public CompositeValidationStrategy(
        final ValidationStrategy nativeStrategy, final JavaValidationStrategy javaStrategy, final CircuitBreaker breaker, final FaultInjector faults)
    {
        this.nativeStrategy = nativeStrategy;
        this.javaStrategy = javaStrategy;
        this.breaker = breaker;
        this.faults = faults;
    }

    /** The code a chaos fault at the native call stands for: a failed downcall. */
    static final int CHAOS_FAULT_CODE = -100;
    private static final int NATIVE_CALL = FaultPoint.NATIVE_CALL.bit();
    private final FaultInjector faults;

    @Override
    public int validate(final MemorySegment header)
    {
        if (nativeStrategy != null && nativeAllowed())
        {
            final int code = faults.armed(NATIVE_CALL) && faults.nativeCallFails() ? CHAOS_FAULT_CODE : nativeStrategy.validate(header);
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
     * One volatile read while closed (the state); a permission is asked for only otherwise (OPEN turns HALF_OPEN
     * there once its wait is over); a forced-open breaker (chaos, an operator) is not asked at all.
     */
    private boolean nativeAllowed()
    {
        final CircuitBreaker.State s = breaker.getState();
        return s == CircuitBreaker.State.CLOSED || (s != CircuitBreaker.State.FORCED_OPEN && breaker.tryAcquirePermission());
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
        final CircuitBreaker.State s = breaker.getState();
        return nativeStrategy != null && s != CircuitBreaker.State.OPEN && s != CircuitBreaker.State.FORCED_OPEN ? nativeStrategy.name()
            : javaStrategy.name();
    }

    /**
     * The recovery orchestrator's probe, from any thread: one native decision on a private zeroed header (the engine
     * is immutable, so this is safe beside the bus thread). True when native answers with a decision and no chaos
     * fault is armed against the native call.
     */
    public boolean probeNative()
    {
        if (nativeStrategy == null || (faults.armed(NATIVE_CALL) && faults.nativeCallFails()))
        {
            return false;
        }
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined())
        {
            return nativeStrategy.validate(arena.allocate(MessageHeaderDescriptor.LENGTH, MessageHeaderDescriptor.ALIGNMENT)) >= 0;
        }
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
