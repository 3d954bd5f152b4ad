package dev.eab.core.resilience;

import dev.eab.core.registry.AgentRecord;

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bus's side of the chaos engine: the stages call it at their {@link FaultPoint}s. With no scenario active the
 * whole cost at a point is {@link #armed}, one volatile read of an int and a mask test, no allocation
 * ({@code ChaosAllocationTest}). When a scenario covers the point, {@link #at} applies it on the calling thread:
 * it waits (latency, timeout) or throws a {@link ChaosFault}, which the stage turns into a fail-closed outcome.
 *
 * <p>Written by the {@link ChaosEngine} only (under its lock: {@link #install}, {@link #disarm}); read by the bus
 * thread. The counters are touched only while a scenario is active.
 */
public final class FaultInjector
{
    /** One active scenario as the hot path sees it: the points it covers and, for a partition, its two sides. */
    record Fault(ChaosScenario scenario, int mask, Set<String> sideA, Set<String> sideB)
    {
    }

    private static final Fault[] NONE = new Fault[0];
    private static final long PARK_SLICE_NS = 1_000_000;

    private volatile int armed;
    private volatile Fault[] faults = NONE;
    private volatile long clockSkewMs;
    final AtomicLong latencyInjectedMs = new AtomicLong();
    final AtomicLong errorsInjected = new AtomicLong();
    final AtomicLong timeoutsInjected = new AtomicLong();
    final AtomicLong partitioned = new AtomicLong();
    final AtomicLong nativeFaults = new AtomicLong();

    /** @return true when a scenario covers one of the points in {@code pointBits}: the hot path's only cost */
    public boolean armed(final int pointBits)
    {
        return (armed & pointBits) != 0;
    }

    /**
     * Applies the scenarios covering {@code point} to one message (sender and recipient may be null).
     *
     * @throws ChaosFault when a scenario fails the point (error, timeout, partition)
     */
    public void at(final FaultPoint point, final AgentRecord sender, final AgentRecord recipient)
    {
        final int bit = point.bit();
        for (final Fault f : faults)
        {
            if ((f.mask & bit) == 0)
            {
                continue;
            }
            final ChaosScenario s = f.scenario;
            switch (s.type())
            {
                case LATENCY -> delay(s.delayMs());
                case ERROR ->
                {
                    if (hit(s.errorRate()))
                    {
                        errorsInjected.incrementAndGet();
                        throw new ChaosFault(s.name(), point, "injected error (rate " + s.errorRate() + ")");
                    }
                }
                case TIMEOUT ->
                {
                    delay(s.delayMs());
                    timeoutsInjected.incrementAndGet();
                    throw new ChaosFault(s.name(), point, "timed out after " + s.delayMs() + " ms");
                }
                case NETWORK_PARTITION ->
                {
                    if (crosses(f, sender, recipient))
                    {
                        partitioned.incrementAndGet();
                        throw new ChaosFault(s.name(), point, "network partition between " + id(sender) + " and " + id(recipient));
                    }
                }
                default ->
                {
                    // Breakers, resources and the clock are not applied per message.
                }
            }
        }
    }

    /**
     * The native call point: latency applies, and an error or timeout makes the call count as failed (the caller
     * reports it to its breaker and decides with the Java twin, as for a real failed downcall).
     *
     * @return true when the native call must be treated as failed
     */
    public boolean nativeCallFails()
    {
        final int bit = FaultPoint.NATIVE_CALL.bit();
        for (final Fault f : faults)
        {
            if ((f.mask & bit) == 0)
            {
                continue;
            }
            final ChaosScenario s = f.scenario;
            switch (s.type())
            {
                case LATENCY -> delay(s.delayMs());
                case ERROR ->
                {
                    if (hit(s.errorRate()))
                    {
                        nativeFaults.incrementAndGet();
                        errorsInjected.incrementAndGet();
                        return true;
                    }
                }
                case TIMEOUT ->
                {
                    delay(s.delayMs());
                    nativeFaults.incrementAndGet();
                    timeoutsInjected.incrementAndGet();
                    return true;
                }
                default ->
                {
                    // Nothing else applies to a downcall.
                }
            }
        }
        return false;
    }

    /** @return the wall clock in ms, skewed while a CLOCK_SKEW scenario is active (one volatile read otherwise) */
    public long nowMs()
    {
        final long now = System.currentTimeMillis();
        return (armed & CLOCK_BIT) == 0 ? now : now + clockSkewMs;
    }

    private static final int CLOCK_BIT = FaultPoint.CLOCK.bit();

    /** Installs the active faults (engine only, under its lock). */
    void install(final Fault[] active, final long skewMs)
    {
        int mask = 0;
        for (final Fault f : active)
        {
            mask |= f.mask;
        }
        if (skewMs != 0)
        {
            mask |= CLOCK_BIT;
        }
        // Order: the faults and skew first, the mask last, so a point that sees its bit sees its fault.
        faults = active.length == 0 ? NONE : active.clone();
        clockSkewMs = skewMs;
        armed = mask;
    }

    /** Disarms every point at once (emergency stop): the mask first, so the hot path stops looking immediately. */
    void disarm()
    {
        armed = 0;
        faults = NONE;
        clockSkewMs = 0;
    }

    private void delay(final long ms)
    {
        if (ms <= 0)
        {
            return;
        }
        final long deadline = System.nanoTime() + ms * 1_000_000L;
        long left;
        // A disarm (emergency stop) cuts the wait short.
        while ((left = deadline - System.nanoTime()) > 0 && armed != 0)
        {
            LockSupport.parkNanos(Math.min(left, PARK_SLICE_NS));
        }
        latencyInjectedMs.addAndGet(ms);
    }

    private static boolean hit(final double rate)
    {
        return rate >= 1.0 || (rate > 0.0 && ThreadLocalRandom.current().nextDouble() < rate);
    }

    /**
     * A message crosses the partition when its sender and recipient are on different sides; with no other side, when
     * either end is on the cut-off side (every message goes through the bus, so a group cut off from the bus cannot
     * even reach itself).
     */
    private static boolean crosses(final Fault f, final AgentRecord sender, final AgentRecord recipient)
    {
        final boolean sa = in(f.sideA, sender);
        final boolean ra = in(f.sideA, recipient);
        if (f.sideB.isEmpty())
        {
            return sa || ra;
        }
        return (sa && in(f.sideB, recipient)) || (ra && in(f.sideB, sender));
    }

    private static boolean in(final Set<String> side, final AgentRecord r)
    {
        if (r == null)
        {
            return false;
        }
        return side.contains(r.agentId()) || side.contains("agent:" + r.agentId()) || side.contains("tenant:" + r.tenantId());
    }

    private static String id(final AgentRecord r)
    {
        return r == null ? "(none)" : r.agentId() + " (tenant " + r.tenantId() + ")";
    }
}
