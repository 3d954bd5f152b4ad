package dev.eab.core.resilience;

import dev.eab.api.ConstitutionalHashMatcher;
import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.BusOperationException;
import dev.eab.api.exception.ConstitutionalHashMismatchException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Breaks the bus on purpose, in a controlled way (reference §4.3, its defects fixed). Unlike the original, the
 * engine does not wait to be polled: scenarios are installed into the bus's {@link FaultInjector}, which the stages
 * consult at their {@link FaultPoint}s, and breaker, ring, inbox and memory scenarios act on the real objects.
 *
 * <p>Rules: the scenario's constitutional hash must be the bus's; names are unique among active scenarios (the
 * original silently overwrote); each scenario ends itself after its duration (≤ 300 s) and is restored (a forced
 * breaker released to OPEN and handed to the recovery orchestrator, ballast released, reservations and memory
 * given back). {@link #emergencyStop()} disarms every point at once (one volatile write), restores everything and
 * refuses new scenarios until {@link #reset()}.
 *
 * <p>Thread-safe (one lock); one daemon thread ends scenarios on time.
 */
public final class ChaosEngine implements AutoCloseable
{
    /** The original's text for an activation during an emergency stop. */
    public static final String EMERGENCY_STOP_TEXT = "Cannot activate chaos scenario: emergency stop is active";
    private static final int MEMORY_CHUNK_BYTES = 1 << 20;

    private final class Active
    {
        final ChaosScenario scenario;
        final Instant started = Instant.now();
        final AtomicBoolean released = new AtomicBoolean();
        final List<byte[]> memory = new ArrayList<>();
        FaultInjector.Fault fault;
        ScheduledFuture<?> timer;
        long consumed;
        String consumedUnit = "";

        Active(final ChaosScenario scenario)
        {
            this.scenario = scenario;
        }
    }

    private final ConstitutionalHashMatcher hash;
    private final FaultInjector injector;
    private final ChaosTargets targets;
    private final Map<String, Active> active = new LinkedHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final AtomicLong scenariosRun = new AtomicLong();
    private final AtomicLong breakersForced = new AtomicLong();
    private final AtomicLong emergencyStops = new AtomicLong();
    private volatile boolean stopped;

    /**
     * @param constitutionalHash the bus's hash, which every scenario must carry
     * @param injector           the bus's fault points
     * @param targets            the bus's breakers, ring, inboxes and recovery
     */
    public ChaosEngine(final String constitutionalHash, final FaultInjector injector, final ChaosTargets targets)
    {
        this.hash = new ConstitutionalHashMatcher(constitutionalHash);
        this.injector = Objects.requireNonNull(injector, "injector");
        this.targets = Objects.requireNonNull(targets, "targets");
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            final Thread t = new Thread(r, "eab-chaos");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Activates {@code scenario} until its duration passes (or {@link #deactivate}, {@link #emergencyStop}).
     *
     * @return what the scenario took (the resource slots, the breaker) as a map, for the caller to print
     * @throws AgentBusException                   during an emergency stop (the original's text)
     * @throws ConstitutionalHashMismatchException when the scenario's hash is not the bus's
     * @throws BusOperationException               when a scenario of that name is active
     * @throws IllegalArgumentException            when the target does not exist (a point, breaker, resource or agent)
     */
    public synchronized Map<String, Object> activate(final ChaosScenario scenario)
    {
        Objects.requireNonNull(scenario, "scenario");
        if (stopped)
        {
            throw new AgentBusException(EMERGENCY_STOP_TEXT);
        }
        if (!hash.matches(scenario.constitutionalHash()))
        {
            throw new ConstitutionalHashMismatchException(hash.expected(), scenario.constitutionalHash(), "ChaosScenario '" + scenario.name() + "'");
        }
        if (active.containsKey(scenario.name()))
        {
            throw new BusOperationException("chaos scenario '" + scenario.name() + "' is already active");
        }
        final Active a = new Active(scenario);
        switch (scenario.type())
        {
            case LATENCY, ERROR, TIMEOUT -> a.fault = new FaultInjector.Fault(scenario, pointMask(scenario), java.util.Set.of(), java.util.Set.of());
            case NETWORK_PARTITION -> a.fault = new FaultInjector.Fault(scenario, FaultPoint.ROUTING.bit(), scenario.blastRadius(), scenario.otherSide());
            case CIRCUIT_BREAKER -> forceOpen(a);
            case RESOURCE_EXHAUSTION -> exhaust(a);
            case CLOCK_SKEW ->
            {
                // Installed through the skew sum below.
            }
        }
        active.put(scenario.name(), a);
        reinstall();
        scenariosRun.incrementAndGet();
        a.timer = timer.schedule(() -> deactivate(scenario.name()), (long)(scenario.durationS() * 1000), TimeUnit.MILLISECONDS);
        return describe(a);
    }

    private int pointMask(final ChaosScenario s)
    {
        int mask = 0;
        for (final String label : s.blastRadius())
        {
            final FaultPoint p = FaultPoint.byLabel(label);
            if (p == null || p == FaultPoint.CLOCK)
            {
                throw new IllegalArgumentException("ChaosScenario '" + s.name() + "': unknown fault point '" + label +
                    "' (validation, native_call, governance, journal_append, routing, handler_delivery)");
            }
            if (p == FaultPoint.GOVERNANCE && targets.breakers().get(BreakerRegistry.DELIBERATION_LAYER) == null)
            {
                throw new IllegalArgumentException("ChaosScenario '" + s.name() + "': governance needs governance on (BusConfiguration.governance)");
            }
            if (p == FaultPoint.JOURNAL_APPEND && !targets.hasJournal())
            {
                throw new IllegalArgumentException("ChaosScenario '" + s.name() + "': journal_append needs a journal (set journalDir)");
            }
            mask |= p.bit();
        }
        return mask;
    }

    private void forceOpen(final Active a)
    {
        for (final String name : a.scenario.blastRadius())
        {
            if (targets.breakers().get(name) == null)
            {
                throw new IllegalArgumentException("ChaosScenario '" + a.scenario.name() + "': no breaker named '" + name + "' (have " +
                    targets.breakers().states().keySet() + ")");
            }
        }
        for (final String name : a.scenario.blastRadius())
        {
            targets.breakers().get(name).transitionToForcedOpenState();
            breakersForced.incrementAndGet();
        }
        a.consumed = a.scenario.blastRadius().size();
        a.consumedUnit = "breakers";
    }

    private void exhaust(final Active a)
    {
        final ChaosScenario s = a.scenario;
        final String target = s.target();
        if (target.equals("ring"))
        {
            a.consumed = targets.holdRing(s.resourceLevel(), a.released::get);
            a.consumedUnit = "ring_slots";
        }
        else if (target.startsWith("inbox:"))
        {
            a.consumed = targets.reserveInbox(target.substring("inbox:".length()), s.resourceLevel());
            a.consumedUnit = "inbox_slots";
        }
        else if (target.equals("memory"))
        {
            // At most a quarter of the heap: the drill must not take the bus down with an OutOfMemoryError.
            final long budget = Math.min(s.memoryBudgetBytes(), Runtime.getRuntime().maxMemory() / 4);
            final long bytes = (long)(budget * s.resourceLevel());
            for (long taken = 0; taken < bytes; taken += MEMORY_CHUNK_BYTES)
            {
                final byte[] chunk = new byte[(int)Math.min(MEMORY_CHUNK_BYTES, bytes - taken)];
                // Touch every page so the memory is really committed, not just reserved.
                for (int i = 0; i < chunk.length; i += 4096)
                {
                    chunk[i] = 1;
                }
                a.memory.add(chunk);
            }
            a.consumed = bytes;
            a.consumedUnit = "bytes";
        }
        else
        {
            throw new IllegalArgumentException("ChaosScenario '" + s.name() + "': unknown resource '" + target + "' (ring, memory, inbox:<agent id>)");
        }
    }

    /**
     * Ends the scenario named {@code name} and restores what it took.
     *
     * @return false when no such scenario is active
     */
    public synchronized boolean deactivate(final String name)
    {
        final Active a = active.remove(name);
        if (a == null)
        {
            return false;
        }
        if (a.timer != null)
        {
            a.timer.cancel(false);
        }
        reinstall();
        restore(a);
        return true;
    }

    /** Ends every active scenario (the bus calls this when it stops). */
    public synchronized void deactivateAll()
    {
        for (final String name : List.copyOf(active.keySet()))
        {
            deactivate(name);
        }
    }

    /**
     * Emergency stop: disarms every fault point at once, ends and restores every scenario, and refuses new ones until
     * {@link #reset()}.
     */
    public void emergencyStop()
    {
        // Before the lock: a latency or timeout under way sees the disarm and stops waiting.
        stopped = true;
        injector.disarm();
        synchronized (this)
        {
            emergencyStops.incrementAndGet();
            deactivateAll();
        }
    }

    /** Clears an emergency stop. */
    public void reset()
    {
        stopped = false;
    }

    /** @return true while an emergency stop is in force */
    public boolean isEmergencyStopped()
    {
        return stopped;
    }

    private void restore(final Active a)
    {
        a.released.set(true);
        final ChaosScenario s = a.scenario;
        if (s.type() == ChaosType.CIRCUIT_BREAKER)
        {
            for (final String name : s.blastRadius())
            {
                final CircuitBreaker b = targets.breakers().get(name);
                if (b != null && b.getState() == CircuitBreaker.State.FORCED_OPEN)
                {
                    // Released to OPEN: it heals as from a real trip, through the recovery orchestrator's probe (or
                    // its own half-open probe after the reset timeout).
                    b.transitionToOpenState();
                    final RecoveryOrchestrator recovery = targets.recovery();
                    if (recovery != null)
                    {
                        recovery.scheduleBreaker(name);
                    }
                }
            }
        }
        else if (s.type() == ChaosType.RESOURCE_EXHAUSTION && s.target().startsWith("inbox:"))
        {
            try
            {
                targets.reserveInbox(s.target().substring("inbox:".length()), 0.0);
            }
            catch (final IllegalArgumentException ignored)
            {
                // The agent was unregistered meanwhile: nothing left to give back.
            }
        }
        a.memory.clear();
    }

    private void reinstall()
    {
        if (stopped)
        {
            injector.disarm();
            return;
        }
        final List<FaultInjector.Fault> faults = new ArrayList<>();
        long skew = 0;
        for (final Active a : active.values())
        {
            if (a.fault != null)
            {
                faults.add(a.fault);
            }
            if (a.scenario.type() == ChaosType.CLOCK_SKEW)
            {
                skew += a.scenario.delayMs();
            }
        }
        injector.install(faults.toArray(FaultInjector.Fault[]::new), skew);
    }

    /** @return the active scenarios, each as a map (name, type, target, radius, ends_in_ms, what it took) */
    public synchronized List<Map<String, Object>> active()
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final Active a : active.values())
        {
            out.add(describe(a));
        }
        return out;
    }

    /** @return true when a scenario of that name is active */
    public synchronized boolean isActive(final String name)
    {
        return active.containsKey(name);
    }

    private static Map<String, Object> describe(final Active a)
    {
        final ChaosScenario s = a.scenario;
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("type", s.type().name());
        m.put("target", s.target());
        m.put("blast_radius", List.copyOf(new java.util.TreeSet<>(s.blastRadius())));
        if (!s.otherSide().isEmpty())
        {
            m.put("other_side", List.copyOf(new java.util.TreeSet<>(s.otherSide())));
        }
        switch (s.type())
        {
            case LATENCY, TIMEOUT, CLOCK_SKEW -> m.put("delay_ms", s.delayMs());
            case ERROR -> m.put("error_rate", s.errorRate());
            case RESOURCE_EXHAUSTION -> m.put("resource_level", s.resourceLevel());
            default ->
            {
                // Nothing more to say.
            }
        }
        if (!a.consumedUnit.isEmpty())
        {
            m.put(a.consumedUnit, a.consumed);
        }
        m.put("duration_s", s.durationS());
        m.put("started_at", a.started.toString());
        return m;
    }

    /** @return the original's counters plus this engine's: scenarios run, latency, errors, timeouts, partitions, breakers forced, active, emergency stop */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_scenarios_run", scenariosRun.get());
        m.put("total_latency_injected_ms", injector.latencyInjectedMs.get());
        m.put("total_errors_injected", injector.errorsInjected.get());
        m.put("total_timeouts_injected", injector.timeoutsInjected.get());
        m.put("total_native_faults", injector.nativeFaults.get());
        m.put("total_partitioned", injector.partitioned.get());
        m.put("total_circuit_breakers_forced", breakersForced.get());
        m.put("emergency_stops", emergencyStops.get());
        synchronized (this)
        {
            m.put("active_scenarios", active.size());
        }
        m.put("emergency_stop_active", stopped);
        m.put("constitutional_hash", hash.expected());
        return m;
    }

    /** @return the injector the bus's stages consult */
    public FaultInjector injector()
    {
        return injector;
    }

    @Override
    public void close()
    {
        deactivateAll();
        timer.shutdownNow();
    }
}
