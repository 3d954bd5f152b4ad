package dev.eab.core.resilience;

import dev.eab.api.exception.AgentBusException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/** Recovery delays, policy texts, the state machine, priority scheduling, cancel, history and breaker healing (reference §4.2). */
class RecoveryOrchestratorTest
{
    private static final long HANG_GUARD_S = 10;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private RecoveryOrchestrator orchestrator = new RecoveryOrchestrator(clock);

    @AfterEach
    void stop()
    {
        orchestrator.stop();
    }

    @Test
    void delaysFollowTheStrategiesAndTheCap()
    {
        final RecoveryPolicy p = RecoveryPolicy.DEFAULTS;
        assertEquals(5, p.maxRetryAttempts());
        assertEquals(1000, p.initialDelayMs());
        assertEquals(60_000, p.maxDelayMs());
        assertEquals(List.of(1000L, 2000L, 4000L, 8000L), List.of(d(p, RecoveryStrategy.EXPONENTIAL_BACKOFF, 1),
            d(p, RecoveryStrategy.EXPONENTIAL_BACKOFF, 2), d(p, RecoveryStrategy.EXPONENTIAL_BACKOFF, 3), d(p, RecoveryStrategy.EXPONENTIAL_BACKOFF, 4)));
        assertEquals(List.of(1000L, 2000L, 3000L), List.of(d(p, RecoveryStrategy.LINEAR_BACKOFF, 1), d(p, RecoveryStrategy.LINEAR_BACKOFF, 2),
            d(p, RecoveryStrategy.LINEAR_BACKOFF, 3)), "linear: the first delay is the initial delay, not 0");
        assertEquals(0L, d(p, RecoveryStrategy.IMMEDIATE, 3));
        assertEquals(60_000L, d(p, RecoveryStrategy.EXPONENTIAL_BACKOFF, 20), "capped at 60 s");
        final RecoveryPolicy capped = new RecoveryPolicy(5, 2.0, 1000, 5000, null);
        assertEquals(5000L, d(capped, RecoveryStrategy.EXPONENTIAL_BACKOFF, 10));
        assertEquals(5000L, d(capped, RecoveryStrategy.LINEAR_BACKOFF, 10));
    }

    private static long d(final RecoveryPolicy p, final RecoveryStrategy s, final int attempt)
    {
        return p.delayMs(s, attempt);
    }

    @Test
    void policyRefusesBadArgumentsWithTheOriginalTexts()
    {
        assertEquals("max_retry_attempts must be >= 1",
            assertThrows(IllegalArgumentException.class, () -> new RecoveryPolicy(0, 2.0, 1000, 60_000, null)).getMessage());
        assertEquals("backoff_multiplier must be >= 1.0",
            assertThrows(IllegalArgumentException.class, () -> new RecoveryPolicy(5, 0.5, 1000, 60_000, null)).getMessage());
        assertEquals("initial_delay_ms must be >= 0",
            assertThrows(IllegalArgumentException.class, () -> new RecoveryPolicy(5, 2.0, -1, 60_000, null)).getMessage());
        assertEquals("max_delay_ms must be >= initial_delay_ms",
            assertThrows(IllegalArgumentException.class, () -> new RecoveryPolicy(5, 2.0, 1000, 999, null)).getMessage());
    }

    @Test
    void stateMachineRetriesWithBackoffThenFails()
    {
        final AtomicInteger checks = new AtomicInteger();
        final RecoveryPolicy failing = new RecoveryPolicy(3, 2.0, 100, 60_000, () -> {
            checks.incrementAndGet();
            return false;
        });
        assertEquals(RecoveryState.IDLE, orchestrator.state("svc"));
        assertEquals(RecoveryState.SCHEDULED, orchestrator.schedule("svc", RecoveryStrategy.EXPONENTIAL_BACKOFF, 1, failing));
        assertEquals(RecoveryState.SCHEDULED, orchestrator.schedule("svc", RecoveryStrategy.LINEAR_BACKOFF, 1, failing), "already scheduled: no-op");
        assertEquals(RecoveryState.SCHEDULED, orchestrator.executeRecovery("svc"));
        assertEquals(1, orchestrator.attempts("svc"));
        assertEquals(RecoveryState.SCHEDULED, orchestrator.executeRecovery("svc"));
        assertEquals(RecoveryState.FAILED, orchestrator.executeRecovery("svc"), "attempt 3 of 3 failed");
        assertEquals(3, checks.get());
        assertEquals(RecoveryState.IDLE, orchestrator.state("svc"), "a finished task is removed");
        // The delays recorded for the retries: 100 × 2^(n−1) before attempts 2 and 3
        final List<Long> delays = orchestrator.history().stream().filter(e -> e.to() == RecoveryState.SCHEDULED).map(RecoveryOrchestrator.Event::nextDelayMs)
            .toList();
        assertEquals(List.of(100L, 200L, 400L), delays);
        final List<RecoveryState> path = orchestrator.history().stream().map(RecoveryOrchestrator.Event::to).toList();
        assertEquals(List.of(RecoveryState.SCHEDULED, RecoveryState.IN_PROGRESS, RecoveryState.SCHEDULED, RecoveryState.IN_PROGRESS,
            RecoveryState.SCHEDULED, RecoveryState.IN_PROGRESS, RecoveryState.FAILED), path);
        assertEquals(RecoveryState.IDLE, orchestrator.history().get(0).from(), "a task starts IDLE");
    }

    @Test
    void healthCheckDecidesSuccessAndAThrowIsAFailure()
    {
        final AtomicInteger calls = new AtomicInteger();
        orchestrator.schedule("svc", RecoveryStrategy.IMMEDIATE, 1, new RecoveryPolicy(5, 2.0, 0, 0, () -> {
            if (calls.incrementAndGet() == 1)
            {
                throw new IllegalStateException("probe exploded");
            }
            return true;
        }));
        assertEquals(RecoveryState.SCHEDULED, orchestrator.executeRecovery("svc"));
        assertTrue(orchestrator.history().get(orchestrator.history().size() - 1).detail().contains("probe exploded"));
        assertEquals(RecoveryState.SUCCEEDED, orchestrator.executeRecovery("svc"));
        assertEquals(RecoveryState.IDLE, orchestrator.state("svc"));
        orchestrator.schedule("nocheck", RecoveryStrategy.IMMEDIATE);
        assertEquals(RecoveryState.SUCCEEDED, orchestrator.executeRecovery("nocheck"), "no health check: success");
    }

    @Test
    void unknownServiceAndDoubleStartGiveTheOriginalErrors()
    {
        assertEquals("No active recovery task", assertThrows(AgentBusException.class, () -> orchestrator.executeRecovery("nope")).getMessage());
        orchestrator.start();
        assertEquals("already running", assertThrows(AgentBusException.class, orchestrator::start).getMessage());
    }

    @Test
    void manualWaitsForAnOperator() throws Exception
    {
        orchestrator = new RecoveryOrchestrator();
        orchestrator.start();
        final AtomicInteger checks = new AtomicInteger();
        assertEquals(RecoveryState.AWAITING_MANUAL, orchestrator.schedule("svc", RecoveryStrategy.MANUAL, 1, new RecoveryPolicy(5, 2.0, 0, 0, () -> {
            checks.incrementAndGet();
            return true;
        })));
        Thread.sleep(300);
        assertEquals(RecoveryState.AWAITING_MANUAL, orchestrator.state("svc"), "never runs by itself");
        assertEquals(0, checks.get());
        assertFalse(orchestrator.trigger("other"));
        assertTrue(orchestrator.trigger("svc"));
        await(() -> orchestrator.state("svc") == RecoveryState.IDLE, "the triggered recovery to finish");
        assertEquals(1, checks.get());
        assertEquals(RecoveryState.SUCCEEDED, orchestrator.history().get(orchestrator.history().size() - 1).to());
    }

    @Test
    void aDueLowPriorityTaskIsNotBlockedByAHighPriorityOneNotYetDue()
    {
        orchestrator = new RecoveryOrchestrator();
        final AtomicBoolean highRan = new AtomicBoolean();
        final AtomicBoolean lowRan = new AtomicBoolean();
        // priority 0 (runs first when both are due), but due in 60 s
        orchestrator.schedule("high", RecoveryStrategy.EXPONENTIAL_BACKOFF, 0, new RecoveryPolicy(5, 2.0, 60_000, 60_000, () -> highRan.getAndSet(true) || true));
        orchestrator.schedule("low", RecoveryStrategy.IMMEDIATE, 9, new RecoveryPolicy(5, 2.0, 0, 0, () -> lowRan.getAndSet(true) || true));
        orchestrator.start();
        await(lowRan::get, "the due low-priority task to run");
        assertFalse(highRan.get());
        assertEquals(RecoveryState.SCHEDULED, orchestrator.state("high"));
        assertEquals(RecoveryState.IDLE, orchestrator.state("low"));
    }

    @Test
    void dueTasksRunInPriorityOrder()
    {
        final List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (final int p : new int[] {5, 1, 3})
        {
            orchestrator.schedule("p" + p, RecoveryStrategy.IMMEDIATE, p, new RecoveryPolicy(5, 2.0, 0, 0, () -> order.add("p" + p)));
        }
        orchestrator.start();
        await(() -> order.size() == 3, "all three to run");
        assertEquals(List.of("p1", "p3", "p5"), order);
    }

    @Test
    void cancelRemovesTheEntry()
    {
        orchestrator.schedule("svc", RecoveryStrategy.EXPONENTIAL_BACKOFF);
        assertEquals(1, orchestrator.status().get("queued_recoveries"));
        assertTrue(orchestrator.cancel("svc"));
        assertFalse(orchestrator.cancel("svc"));
        assertEquals(0, orchestrator.status().get("queued_recoveries"), "gone from the queue, not left to be skipped");
        assertEquals(0, orchestrator.status().get("active_recoveries"));
        assertEquals(RecoveryState.CANCELLED, orchestrator.history().get(orchestrator.history().size() - 1).to());
        assertEquals(RecoveryState.SCHEDULED, orchestrator.schedule("svc", RecoveryStrategy.EXPONENTIAL_BACKOFF), "can be scheduled again");
    }

    @Test
    void historyIsBounded()
    {
        for (int i = 0; i < 200; i++)
        {
            orchestrator.schedule("s" + i, RecoveryStrategy.IMMEDIATE);
            orchestrator.executeRecovery("s" + i);
        }
        assertEquals(RecoveryOrchestrator.MAX_HISTORY, orchestrator.history().size());
        assertEquals("s199", orchestrator.history().get(RecoveryOrchestrator.MAX_HISTORY - 1).service());
        assertEquals(10, ((List<?>)orchestrator.status().get("recent_history")).size());
    }

    @Test
    void anOpenedBreakerIsRecoveredWhenItsProbeSaysSoAndClosed()
    {
        orchestrator = new RecoveryOrchestrator();
        final BreakerRegistry registry = new BreakerRegistry();
        final AtomicBoolean serviceUp = new AtomicBoolean(false);
        final CircuitBreaker b = registry.register("svc", (BooleanSupplier)serviceUp::get);
        orchestrator.watch(registry);
        orchestrator.start();
        b.transitionToOpenState();
        await(() -> orchestrator.state("svc") != RecoveryState.IDLE, "the recovery to be scheduled");
        await(() -> orchestrator.attempts("svc") >= 1, "a first attempt (1 s after the trip)");
        assertEquals(CircuitBreaker.State.OPEN, b.getState(), "the probe said no: still open");
        serviceUp.set(true);
        await(() -> b.getState() == CircuitBreaker.State.CLOSED, "the breaker to be closed by the recovery (next attempt 2 s later)");
        assertEquals(RecoveryState.IDLE, orchestrator.state("svc"));
        assertTrue(orchestrator.history().stream().anyMatch(e -> e.service().equals("svc") && e.to() == RecoveryState.SUCCEEDED));
    }

    @Test
    void aForcedOpenBreakerIsNeverHealedWhileForced()
    {
        orchestrator = new RecoveryOrchestrator();
        final BreakerRegistry registry = new BreakerRegistry();
        final CircuitBreaker b = registry.register("svc", (BooleanSupplier)() -> true);
        orchestrator.watch(registry);
        b.transitionToForcedOpenState();
        orchestrator.scheduleBreaker("svc");
        assertEquals(RecoveryState.SCHEDULED, orchestrator.executeRecovery("svc"), "the probe is healthy but chaos holds the breaker");
        assertEquals(CircuitBreaker.State.FORCED_OPEN, b.getState());
        b.transitionToOpenState();
        assertEquals(RecoveryState.SUCCEEDED, orchestrator.executeRecovery("svc"));
        assertEquals(CircuitBreaker.State.CLOSED, b.getState());
        assertEquals(Set.of(), Set.copyOf(((java.util.Map<?, ?>)orchestrator.status().get("services")).keySet()));
    }

    private static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting for " + what);
            }
            try
            {
                Thread.sleep(5);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
