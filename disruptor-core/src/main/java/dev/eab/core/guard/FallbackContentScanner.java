package dev.eab.core.guard;

import dev.eab.core.resilience.BreakerGuard;
import dev.eab.core.resilience.FaultInjector;
import dev.eab.core.resilience.FaultPoint;

/**
 * The native scanner guarded by its breaker ({@code content_scanner} in the bus's
 * {@link dev.eab.core.resilience.BreakerRegistry}), with the Java twin behind it: a native scan that fails (a
 * {@link ContentScanException}: a panic caught in Rust, a failed downcall, or a chaos fault at
 * {@link FaultPoint#NATIVE_CALL}) is reported to the breaker and that text is scanned by the twin, which gives the same
 * verdict ({@code GuardDifferentialTest}); while the breaker is open every text goes to the twin. If the twin fails
 * too, the failure propagates and the message is rejected (fail closed).
 *
 * <p>Cost while healthy: the breaker's state read and the chaos point's armed read, no allocation. Bus thread only
 * (both scanners keep per-instance buffers).
 */
public final class FallbackContentScanner implements ContentScanner, AutoCloseable
{
    private static final int NATIVE_CALL = FaultPoint.NATIVE_CALL.bit();

    private final NativeContentScanner primary;
    private final JavaContentScanner fallback;
    private final BreakerGuard guard;
    private final FaultInjector faults;
    private long fallbackScans;
    /** The scanner that ran the last scan, whose keyword mask {@link #impactKeywords()} reports. */
    private ContentScanner last;

    public FallbackContentScanner(final NativeContentScanner primary, final JavaContentScanner fallback, final BreakerGuard guard,
        final FaultInjector faults)
    {
        this.primary = primary;
        this.fallback = fallback;
        this.guard = guard;
        this.faults = faults;
    }

    @Override
    public long scan(final byte[] utf8, final int off, final int len)
    {
        return scanBytes(null, utf8, off, len);
    }

    @Override
    public long scan(final java.lang.foreign.MemorySegment heapSegment, final byte[] utf8, final int len)
    {
        return scanBytes(heapSegment, utf8, 0, len);
    }

    /**
     * Both byte paths: native first (through the caller's segment over {@code utf8} when it has one, else through
     * the array), the Java twin when the breaker is open or the native call fails.
     */
    private long scanBytes(final java.lang.foreign.MemorySegment heapSegment, final byte[] utf8, final int off, final int len)
    {
        if (guard.allows())
        {
            try
            {
                failIfFaultInjected();
                final long matched = heapSegment == null ? primary.scan(utf8, off, len) : primary.scan(heapSegment, utf8, len);
                last = primary;
                guard.success();
                return matched;
            }
            catch (final RuntimeException e)
            {
                guard.failure(e);
            }
        }
        fallbackScans++;
        last = fallback;
        return fallback.scan(utf8, off, len);
    }

    @Override
    public long scan(final CharSequence text)
    {
        if (guard.allows())
        {
            try
            {
                failIfFaultInjected();
                final long matched = primary.scan(text);
                last = primary;
                guard.success();
                return matched;
            }
            catch (final RuntimeException e)
            {
                guard.failure(e);
            }
        }
        fallbackScans++;
        last = fallback;
        return fallback.scan(text);
    }

    /** Chaos: a native call armed to fail fails here, before the scan, as a real failure of the call would. */
    private void failIfFaultInjected()
    {
        if (faults.armed(NATIVE_CALL) && faults.nativeCallFails())
        {
            throw new ContentScanException("chaos: native scan failed (fault injected at native_call)", null);
        }
    }

    /** @return the keyword mask of whichever scanner ran the last scan (the Java twin's may be -1: not fused) */
    @Override
    public int impactKeywords()
    {
        return last == null ? -1 : last.impactKeywords();
    }

    @Override
    public GuardrailPatterns patterns()
    {
        return primary.patterns();
    }

    /** @return {@code native} while the breaker lets native scan, {@code java} while it is open */
    @Override
    public String name()
    {
        final var s = guard.breaker().getState();
        return s == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.OPEN
            || s == io.github.resilience4j.circuitbreaker.CircuitBreaker.State.FORCED_OPEN ? fallback.name() : primary.name();
    }

    /** @return texts the Java twin scanned because native failed or its breaker was open (bus thread's count) */
    public long fallbackScans()
    {
        return fallbackScans;
    }

    @Override
    public void close()
    {
        primary.close();
    }
}
