package dev.eab.core.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The health formula, thresholds, service lists, bounded history and change callbacks (reference §4.1). */
class HealthAggregatorTest
{
    private final BreakerRegistry registry = new BreakerRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private HealthAggregator health = new HealthAggregator(registry, HealthConfig.DEFAULTS, clock);

    @AfterEach
    void close()
    {
        health.close();
    }

    @Test
    void noBreakersIsHealthyWithScoreOne()
    {
        final HealthSnapshot s = health.health();
        assertEquals(1.0, s.score());
        assertEquals(HealthStatus.HEALTHY, s.status());
        assertEquals(List.of(), s.degradedServices());
        assertEquals(List.of(), s.criticalServices());
    }

    @Test
    void scoreCountsClosedFullyHalfOpenHalfAndOpenNothing()
    {
        registry.breaker("a");
        registry.breaker("b");
        registry.breaker("c");
        registry.breaker("d");
        assertEquals(1.0, health.health().score());
        registry.get("b").transitionToOpenState();
        registry.get("b").transitionToHalfOpenState();
        // (3 closed + 0.5) / 4
        assertEquals(0.875, health.health().score(), 1e-12);
        registry.get("c").transitionToForcedOpenState();
        // (2 + 0.5) / 4 = 0.625: below 0.7
        final HealthSnapshot s = health.health();
        assertEquals(0.625, s.score(), 1e-12);
        assertEquals(HealthStatus.DEGRADED, s.status());
        assertEquals(List.of("b"), s.degradedServices());
        assertEquals(List.of("c"), s.criticalServices());
        assertEquals("HALF_OPEN", s.breakerStates().get("b"));
        assertEquals("OPEN", s.breakerStates().get("c"), "forced open counts as open");
        registry.get("d").transitionToOpenState();
        // (1 + 0.5) / 4 = 0.375
        assertEquals(HealthStatus.CRITICAL, health.health().status());
        assertEquals(List.of("c", "d"), health.health().criticalServices());
    }

    @Test
    void thresholdsAreInclusiveAndConfigurable()
    {
        final HealthConfig c = HealthConfig.DEFAULTS;
        assertEquals(HealthStatus.HEALTHY, c.statusOf(0.7));
        assertEquals(HealthStatus.DEGRADED, c.statusOf(0.6999));
        assertEquals(HealthStatus.DEGRADED, c.statusOf(0.5));
        assertEquals(HealthStatus.CRITICAL, c.statusOf(0.4999));
        assertEquals(HealthStatus.CRITICAL, c.statusOf(0.0));
        final HealthConfig strict = new HealthConfig(0.95, 0.8, Duration.ofMinutes(1), 10);
        assertEquals(HealthStatus.DEGRADED, strict.statusOf(0.9));
        assertEquals(HealthStatus.CRITICAL, strict.statusOf(0.75));
        assertThrows(IllegalArgumentException.class, () -> new HealthConfig(0.5, 0.7, Duration.ofMinutes(1), 10));
        assertThrows(IllegalArgumentException.class, () -> new HealthConfig(1.1, 0.5, Duration.ofMinutes(1), 10));
        assertThrows(IllegalArgumentException.class, () -> new HealthConfig(0.7, 0.5, Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new HealthConfig(0.7, 0.5, Duration.ofMinutes(1), 0));

        health.close();
        health = new HealthAggregator(registry, strict, clock);
        registry.breaker("a");
        registry.breaker("b");
        registry.get("b").transitionToOpenState();
        registry.get("b").transitionToHalfOpenState();
        // 0.75 with the strict thresholds: critical
        assertEquals(HealthStatus.CRITICAL, health.health().status());
    }

    @Test
    void historyIsBoundedAndReadWithinItsWindow()
    {
        health.close();
        health = new HealthAggregator(registry, new HealthConfig(0.7, 0.5, Duration.ofMinutes(5), 5), clock);
        for (int i = 0; i < 8; i++)
        {
            health.health();
            clock.advance(Duration.ofMinutes(1));
        }
        // 8 taken, 5 kept: those of minutes 3..7; now is minute 8
        assertEquals(5, health.history(Duration.ofHours(1)).size());
        assertEquals(Instant.parse("2026-12-01T12:03:00Z"), health.history(Duration.ofHours(1)).get(0).at());
        assertEquals(3, health.history(Duration.ofMinutes(3)).size(), "minutes 5, 6 and 7 are within 3 minutes of minute 8");
        assertEquals(5, health.history().size(), "the configured 5-minute window holds minutes 3..7");
        assertEquals(5, health.metrics().get("history_size"));
        assertEquals(8L, health.metrics().get("snapshots_collected"));
    }

    @Test
    void callbacksFireOnStatusChangeOnlyIncludingTheFirst() throws Exception
    {
        final List<HealthStatus> seen = new CopyOnWriteArrayList<>();
        health.onHealthChange(s -> seen.add(s.status()));
        registry.breaker("a");
        registry.breaker("b");
        health.health();
        health.health();
        // a transition triggers a snapshot by itself (on the aggregator's thread)
        registry.get("a").transitionToOpenState();
        assertTrue(health.awaitCallbacks(Duration.ofSeconds(10)));
        health.health();
        assertTrue(health.awaitCallbacks(Duration.ofSeconds(10)));
        assertEquals(List.of(HealthStatus.HEALTHY, HealthStatus.DEGRADED), seen);
        registry.get("b").transitionToOpenState();
        assertTrue(health.awaitCallbacks(Duration.ofSeconds(10)));
        assertTrue(health.awaitCallbacks(Duration.ofSeconds(10)));
        assertEquals(List.of(HealthStatus.HEALTHY, HealthStatus.DEGRADED, HealthStatus.CRITICAL), seen);
    }

    @Test
    void callbacksNeverBlockTheCallerAndTheirExceptionsAreContained() throws Exception
    {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final List<HealthStatus> after = new CopyOnWriteArrayList<>();
        health.onHealthChange(s -> {
            throw new IllegalStateException("callback bug");
        });
        health.onHealthChange(s -> {
            entered.countDown();
            try
            {
                release.await();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        });
        health.onHealthChange(s -> after.add(s.status()));
        final CircuitBreaker b = registry.breaker("svc");
        // The first snapshot fires callbacks; the blocking one holds the callback thread, not us.
        health.health();
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        b.transitionToOpenState();
        final HealthSnapshot s = health.health();
        assertEquals(HealthStatus.CRITICAL, s.status(), "the caller got its snapshot while a callback blocks");
        release.countDown();
        assertTrue(health.awaitCallbacks(Duration.ofSeconds(10)));
        assertEquals(List.of(HealthStatus.HEALTHY, HealthStatus.CRITICAL), after, "the throwing callback did not stop the others");
        assertEquals(2L, health.metrics().get("callback_failures"));
    }

    @Test
    void aCustomSourceThatThrowsCountsAsOpen()
    {
        registry.breaker("a");
        health.registerSource("custom_ok", () -> BreakerState.HALF_OPEN);
        health.registerSource("custom_broken", () -> {
            throw new IllegalStateException("cannot tell");
        });
        final HealthSnapshot s = health.health();
        assertEquals((1.0 + 0.5 + 0.0) / 3, s.score(), 1e-12);
        assertEquals(List.of("custom_broken"), s.criticalServices());
        assertEquals(List.of("custom_ok"), s.degradedServices());
        assertEquals(3, health.metrics().get("total_breakers"));
    }

    @Test
    void registryBreakersFollowThePerServiceDefaults()
    {
        assertEquals(new BreakerDefaults(3, Duration.ofSeconds(15)), BreakerDefaults.forService(BreakerRegistry.REGO_POLICY));
        assertEquals(new BreakerDefaults(7, Duration.ofSeconds(60)), BreakerDefaults.forService(BreakerRegistry.AUDIT_SINK));
        assertEquals(new BreakerDefaults(7, Duration.ofSeconds(45)), BreakerDefaults.forService(BreakerRegistry.DELIBERATION_LAYER));
        assertEquals(new BreakerDefaults(5, Duration.ofSeconds(30)), BreakerDefaults.forService(BreakerRegistry.NATIVE_VALIDATOR));
        assertEquals(new BreakerDefaults(5, Duration.ofSeconds(30)), BreakerDefaults.forService("anything_else"));
        final CircuitBreaker rego = registry.breaker(BreakerRegistry.REGO_POLICY);
        assertSame(rego, registry.breaker(BreakerRegistry.REGO_POLICY), "one breaker per name");
        assertEquals(15_000L, rego.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
        // Three consecutive failures trip it; successes in between reset the run (reported through a guard).
        final BreakerGuard guard = new BreakerGuard(rego);
        guard.failure(new RuntimeException("1"));
        guard.failure(new RuntimeException("2"));
        guard.success();
        guard.failure(new RuntimeException("3"));
        guard.failure(new RuntimeException("4"));
        assertEquals(CircuitBreaker.State.CLOSED, rego.getState(), "a success broke the run of failures");
        guard.failure(new RuntimeException("5"));
        assertEquals(CircuitBreaker.State.OPEN, rego.getState());
        assertFalse(guard.allows(), "open: no call before the reset timeout");
        rego.transitionToHalfOpenState();
        assertTrue(guard.allows(), "half-open: one probe");
        assertFalse(guard.allows(), "half-open: only one probe");
        guard.success();
        assertEquals(CircuitBreaker.State.CLOSED, rego.getState(), "one successful probe closes it, as pybreaker");
    }
}
