package dev.eab.core.resilience;

import dev.eab.api.Constitution;
import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.BusOperationException;
import dev.eab.api.exception.ConstitutionalHashMismatchException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Scenario limits and texts (reference §4.3), unique names, the hash check and the emergency stop, on an engine
 * whose targets are a real breaker registry (the bus-level effects are in {@code ChaosBusTest}).
 */
class ChaosScenarioLimitsTest
{
    private final BreakerRegistry breakers = new BreakerRegistry();
    private final FaultInjector injector = new FaultInjector();
    private final ChaosEngine engine = new ChaosEngine(Constitution.HASH, injector, new ChaosTargets()
    {
        @Override public BreakerRegistry breakers() { return breakers; }
        @Override public RecoveryOrchestrator recovery() { return null; }
        @Override public boolean hasJournal() { return false; }
        @Override public int holdRing(final double level, final BooleanSupplier released) { throw new UnsupportedOperationException("no ring"); }
        @Override public int reserveInbox(final String agentId, final double level) { throw new IllegalArgumentException("no agent '" + agentId + "'"); }
    });

    @AfterEach
    void close()
    {
        engine.close();
    }

    @Test
    void durationAndLatencyAreCappedNotRefused()
    {
        final ChaosScenario s = ChaosScenario.builder("long", ChaosType.LATENCY, "validation").delayMs(60_000).durationS(10_000).build();
        assertEquals(300.0, s.durationS());
        assertEquals(5000, s.delayMs());
        assertThrows(IllegalArgumentException.class, () -> ChaosScenario.builder("x", ChaosType.LATENCY, "validation").durationS(0).build());
        assertThrows(IllegalArgumentException.class, () -> ChaosScenario.builder("x", ChaosType.LATENCY, "validation").delayMs(-1).build());
    }

    @Test
    void rateAndLevelOutsideZeroOneAreRefusedWithTheOriginalTexts()
    {
        assertEquals("error_rate must be between 0.0 and 1.0", assertThrows(IllegalArgumentException.class,
            () -> ChaosScenario.builder("x", ChaosType.ERROR, "validation").errorRate(1.01).build()).getMessage());
        assertEquals("error_rate must be between 0.0 and 1.0", assertThrows(IllegalArgumentException.class,
            () -> ChaosScenario.builder("x", ChaosType.ERROR, "validation").errorRate(-0.1).build()).getMessage());
        assertEquals("resource_level must be between 0.0 and 1.0, got 1.5", assertThrows(IllegalArgumentException.class,
            () -> ChaosScenario.builder("x", ChaosType.RESOURCE_EXHAUSTION, "memory").resourceLevel(1.5).build()).getMessage());
        assertEquals("error_rate must be between 0.0 and 1.0", assertThrows(IllegalArgumentException.class,
            () -> ChaosScenario.builder("x", ChaosType.ERROR, "validation").errorRate(Double.NaN).build()).getMessage());
        // the bounds themselves are fine
        ChaosScenario.builder("x", ChaosType.ERROR, "validation").errorRate(1.0).resourceLevel(0.0).build();
    }

    @Test
    void blastRadiusDefaultsToTheTargetAndMustIncludeIt()
    {
        final ChaosScenario s = ChaosScenario.errors(FaultPoint.ROUTING, 0.5, 5);
        assertEquals(Set.of("routing"), s.blastRadius());
        assertTrue(s.isTargetAllowed("routing"));
        assertFalse(s.isTargetAllowed("validation"));
        final ChaosScenario wide = ChaosScenario.builder("wide", ChaosType.ERROR, "routing").blastRadius(Set.of("routing", "validation")).build();
        assertTrue(wide.isTargetAllowed("validation"));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ChaosScenario.builder("x", ChaosType.ERROR, "routing").blastRadius(Set.of("validation")).build());
        assertTrue(e.getMessage().contains("must include the target 'routing'"), e.getMessage());
    }

    @Test
    void theScenarioHashMustBeTheBuses()
    {
        final ChaosScenario bad = ChaosScenario.builder("evil", ChaosType.ERROR, "validation").constitutionalHash("0000000000000000").build();
        final ConstitutionalHashMismatchException e = assertThrows(ConstitutionalHashMismatchException.class, () -> engine.activate(bad));
        assertTrue(e.getMessage().contains("ChaosScenario 'evil'"), e.getMessage());
        assertFalse(e.getMessage().contains(Constitution.HASH), "the full hash never appears in the text");
        assertEquals(0, engine.active().size());
        assertFalse(injector.armed(-1));
    }

    @Test
    void namesAreUniqueAmongActiveScenarios()
    {
        engine.activate(ChaosScenario.latency(FaultPoint.VALIDATION, 1, 60));
        assertThrows(BusOperationException.class, () -> engine.activate(ChaosScenario.latency(FaultPoint.VALIDATION, 1, 60)));
        assertEquals(1, engine.active().size());
        assertTrue(engine.deactivate("latency_validation_1ms"));
        engine.activate(ChaosScenario.latency(FaultPoint.VALIDATION, 1, 60));
    }

    @Test
    void unknownTargetsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> engine.activate(ChaosScenario.builder("x", ChaosType.ERROR, "nowhere").build()));
        assertThrows(IllegalArgumentException.class, () -> engine.activate(ChaosScenario.forceOpen("no_such_breaker", 5)));
        assertThrows(IllegalArgumentException.class, () -> engine.activate(ChaosScenario.exhaust("disk", 0.5, 5)));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> engine.activate(ChaosScenario.errors(FaultPoint.JOURNAL_APPEND, 1.0, 5)));
        assertTrue(e.getMessage().contains("needs a journal"));
        assertEquals(0, engine.active().size());
    }

    @Test
    void scenariosArmOnlyTheirPointsAndEndThemselves()
    {
        assertFalse(injector.armed(-1), "nothing armed at first");
        engine.activate(ChaosScenario.builder("short", ChaosType.ERROR, "routing").errorRate(1.0).durationS(0.2).build());
        assertTrue(injector.armed(FaultPoint.ROUTING.bit()));
        assertFalse(injector.armed(FaultPoint.VALIDATION.bit() | FaultPoint.NATIVE_CALL.bit()));
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.isActive("short") && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
        assertFalse(engine.isActive("short"), "ended after its duration");
        assertFalse(injector.armed(-1));
    }

    @Test
    void forcedBreakerIsRealAndReleasedToOpenAfter()
    {
        final CircuitBreaker b = breakers.breaker("svc");
        engine.activate(ChaosScenario.forceOpen("svc", 60));
        assertEquals(CircuitBreaker.State.FORCED_OPEN, b.getState());
        assertEquals(1L, engine.metrics().get("total_circuit_breakers_forced"));
        engine.deactivate("circuit_open_svc");
        assertEquals(CircuitBreaker.State.OPEN, b.getState(), "released: it heals as from a real trip");
    }

    @Test
    void memoryExhaustionReallyHoldsTheBudget()
    {
        final var took = engine.activate(ChaosScenario.builder("mem", ChaosType.RESOURCE_EXHAUSTION, "memory").resourceLevel(0.5)
            .memoryBudgetBytes(8L << 20).durationS(60).build());
        assertEquals(4L << 20, took.get("bytes"));
        engine.deactivate("mem");
    }

    @Test
    void emergencyStopClearsEverythingAndBlocksUntilReset()
    {
        final CircuitBreaker b = breakers.breaker("svc");
        engine.activate(ChaosScenario.forceOpen("svc", 60));
        engine.activate(ChaosScenario.errors(FaultPoint.VALIDATION, 1.0, 60));
        engine.activate(ChaosScenario.clockSkew(3_600_000, 60));
        assertTrue(injector.armed(FaultPoint.VALIDATION.bit()));
        assertTrue(injector.nowMs() > System.currentTimeMillis() + 3_000_000);
        engine.emergencyStop();
        assertFalse(injector.armed(-1), "every point disarmed");
        assertEquals(0, engine.active().size());
        assertNotEquals(CircuitBreaker.State.FORCED_OPEN, b.getState());
        assertTrue(Math.abs(injector.nowMs() - System.currentTimeMillis()) < 60_000, "clock back");
        assertEquals(true, engine.metrics().get("emergency_stop_active"));
        assertEquals(0, engine.metrics().get("active_scenarios"));
        final AgentBusException e = assertThrows(AgentBusException.class, () -> engine.activate(ChaosScenario.errors(FaultPoint.ROUTING, 1.0, 5)));
        assertEquals("Cannot activate chaos scenario: emergency stop is active", e.getMessage());
        assertFalse(injector.armed(-1));
        engine.reset();
        engine.activate(ChaosScenario.errors(FaultPoint.ROUTING, 1.0, 5));
        assertTrue(injector.armed(FaultPoint.ROUTING.bit()));
    }
}
