package dev.eab.core.ops.metering;

import dev.eab.api.exception.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TenantBudgetsTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void aTenantGetsItsBudgetPerWindowThenWaitsForTheNextWindow()
    {
        final TenantBudgets b = new TenantBudgets(8, Map.of("acme", new TenantBudget(3, 2)));
        final long t0 = 1_000 * SECOND_NS;
        assertEquals(0, b.tryAcquire(0, "acme", t0));
        assertEquals(0, b.tryAcquire(0, "acme", t0 + 1));
        assertEquals(0, b.tryAcquire(0, "acme", t0 + 2));
        assertEquals(2_000, b.tryAcquire(0, "acme", t0 + 3), "the window started at t0 and lasts 2 s: ceil to ms");
        assertEquals(500, b.tryAcquire(0, "acme", t0 + SECOND_NS + SECOND_NS / 2));
        assertEquals(0, b.tryAcquire(0, "acme", t0 + 2 * SECOND_NS), "a new window");
        assertEquals(0, b.tryAcquire(1, "beta", t0), "no budget: unlimited");
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(0, b.tryAcquire(1, "beta", t0));
        }
        assertEquals(0, b.tryAcquire(-1, null, t0), "no tenant: never budgeted");
    }

    @Test
    void tenantsPastTheArraysShareAnOverflowWindowThatIsNeverLooser()
    {
        final TenantBudgets b = new TenantBudgets(2, Map.of("late-a", new TenantBudget(2, 60), "late-b", new TenantBudget(2, 60)));
        assertEquals(0, b.tryAcquire(5, "late-a", 0));
        assertEquals(0, b.tryAcquire(9, "late-b", 1));
        assertTrue(b.tryAcquire(5, "late-a", 2) > 0, "the shared overflow window is used up: stricter, not looser");
        assertEquals(0, b.tryAcquire(7, "free", 3), "an overflow tenant without a budget is not refused");
    }

    @Test
    void theRefusalReadsAsTheOriginalsRateLimitExceeded()
    {
        assertEquals("Agent 'alice' exceeded rate limit of 100 messages per 60s (retry after 250ms)",
            TenantBudgets.text("alice", new TenantBudget(100, 60), 250));
        assertEquals(250L, TenantBudgets.exception("alice", new TenantBudget(100, 60), 250).retryAfterMs());
    }

    @Test
    void budgetsAreParsedFromTheEnvironmentAndBadOnesAreTypedErrors()
    {
        final MeteringConfig c = MeteringConfig.fromEnvironment(Map.of("EAB_TENANT_BUDGETS", "acme=1000/60, Beta = 5/1",
            "EAB_METERING_QUEUE_SIZE", "20000"));
        assertEquals(Map.of("acme", new TenantBudget(1000, 60), "beta", new TenantBudget(5, 1)), c.tenantBudgets());
        assertEquals(20_000, c.maxQueueSize());
        assertEquals(MeteringConfig.DEFAULT_BATCH_SIZE, c.batchSize());
        assertEquals(MeteringConfig.DEFAULT_FLUSH_INTERVAL_MS, c.flushIntervalMs());
        assertThrows(ConfigurationException.class, () -> MeteringConfig.fromEnvironment(Map.of("EAB_TENANT_BUDGETS", "acme")));
        assertThrows(ConfigurationException.class, () -> MeteringConfig.fromEnvironment(Map.of("EAB_TENANT_BUDGETS", "acme=0/60")));
        assertThrows(ConfigurationException.class, () -> MeteringConfig.fromEnvironment(Map.of("EAB_TENANT_BUDGETS", "acme=10/0")));
        assertThrows(ConfigurationException.class, () -> MeteringConfig.fromEnvironment(Map.of("EAB_TENANT_BUDGETS", "acme=ten/60")));
        assertThrows(ConfigurationException.class, () -> MeteringConfig.fromEnvironment(Map.of("EAB_TENANT_BUDGETS", "a!=10/60")));
        assertThrows(ConfigurationException.class, () -> MeteringConfig.fromEnvironment(Map.of("EAB_METERING_BATCH_SIZE", "x")));
    }
}
