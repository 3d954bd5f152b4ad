package dev.eab.core.resilience;

import com.lmax.disruptor.RingBuffer;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.pipeline.RingBallast;
import dev.eab.core.registry.AgentRecord;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One bus's resilience: its {@link BreakerRegistry}, {@link HealthAggregator}, {@link RecoveryOrchestrator} (watching
 * the breakers) and {@link ChaosEngine} with the {@link FaultInjector} the stages consult. Built by the bus at
 * construction; {@link #start()} and {@link #close()} follow the bus. It is also the chaos engine's
 * {@link ChaosTargets}: ring ballast, inbox reservations and breakers of this bus.
 */
public final class BusResilience implements ChaosTargets, AutoCloseable
{
    private final BreakerRegistry breakers = new BreakerRegistry();
    private final FaultInjector faults = new FaultInjector();
    private final HealthAggregator health;
    private final RecoveryOrchestrator recovery;
    private final ChaosEngine chaos;
    private final Supplier<RingBuffer<MessageEvent>> ring;
    private final java.util.function.Function<String, AgentRecord> agents;
    private final boolean journal;

    /**
     * @param ring    the bus's current ring (null while stopped)
     * @param journal true when the bus journals
     */
    public BusResilience(
        final String constitutionalHash, final HealthConfig healthConfig, final Supplier<RingBuffer<MessageEvent>> ring,
        final java.util.function.Function<String, AgentRecord> agents, final boolean journal)
    {
        this.ring = ring;
        this.agents = agents;
        this.journal = journal;
        this.health = new HealthAggregator(breakers, healthConfig, Clock.systemUTC());
        this.recovery = new RecoveryOrchestrator(Clock.systemUTC());
        this.recovery.watch(breakers);
        this.chaos = new ChaosEngine(constitutionalHash, faults, this);
    }

    /** Starts the recovery orchestrator's thread (idempotent). */
    public synchronized void start()
    {
        if (!recovery.isRunning())
        {
            recovery.start();
        }
    }

    /** Ends every chaos scenario (the bus is stopping: ballast must not hold the drain). */
    public void onStop()
    {
        chaos.deactivateAll();
    }

    @Override
    public BreakerRegistry breakers()
    {
        return breakers;
    }

    @Override
    public RecoveryOrchestrator recovery()
    {
        return recovery;
    }

    /** @return the health aggregator (a {@link HealthSource}) */
    public HealthAggregator health()
    {
        return health;
    }

    /** @return the chaos engine */
    public ChaosEngine chaos()
    {
        return chaos;
    }

    /** @return the fault points the stages consult */
    public FaultInjector faults()
    {
        return faults;
    }

    @Override
    public boolean hasJournal()
    {
        return journal;
    }

    @Override
    public int holdRing(final double level, final BooleanSupplier released)
    {
        final RingBuffer<MessageEvent> r = ring.get();
        if (r == null)
        {
            throw new IllegalArgumentException("the bus is not running: no ring to exhaust");
        }
        return RingBallast.publish(r, (int)Math.round(level * r.getBufferSize()), released);
    }

    @Override
    public int reserveInbox(final String agentId, final double level)
    {
        final AgentRecord r = agents.apply(agentId);
        if (r == null)
        {
            throw new IllegalArgumentException("no agent '" + agentId + "' to exhaust the inbox of");
        }
        final int slots = (int)Math.round(level * r.inbox().capacity());
        r.inbox().reserve(slots);
        return r.inbox().reservedSlots();
    }

    /** @return health, recovery and chaos in one map (for {@code getMetrics}, the demo and the admin API) */
    public Map<String, Object> snapshot()
    {
        final HealthSnapshot h = health.health();
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", h.status().name());
        m.put("score", Math.round(h.score() * 1000) / 1000.0);
        m.put("breakers", h.breakerStates());
        m.put("degraded_services", h.degradedServices());
        m.put("critical_services", h.criticalServices());
        m.put("recovery", recovery.status());
        m.put("chaos", chaos.metrics());
        m.put("chaos_active", chaos.active());
        return m;
    }

    @Override
    public void close()
    {
        chaos.close();
        recovery.close();
        health.close();
    }
}
