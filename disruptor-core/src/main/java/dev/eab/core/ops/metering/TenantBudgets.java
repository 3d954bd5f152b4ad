package dev.eab.core.ops.metering;

import dev.eab.api.exception.RateLimitExceededException;

import java.util.Map;

/**
 * Per-tenant message budgets (fixed windows) enforced on the bus thread, after validation: a message whose tenant has
 * used up its budget for the current window is refused (the pipeline rejects it with
 * {@code RejectReason.TENANT_BUDGET_EXCEEDED}, text {@link #text}). Unlike the per-agent token buckets, a budget
 * bounds a whole tenant, however many agents it registers.
 *
 * <p>Owned by the bus thread: plain arrays indexed by the bus's interned tenant index, no locks, no allocation after
 * construction (a tenant's budget is looked up by name once, the first time its index is seen). Time comes from the
 * caller (the message's publish time). Tenants interned past the arrays' bound share one overflow window, which is
 * stricter, never looser.
 */
public final class TenantBudgets
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MS = 1_000_000L;
    private static final int UNRESOLVED = 0;
    private static final int NONE = -1;

    private final Map<String, TenantBudget> budgets;
    private final int[] limit;
    private final long[] windowNanos;
    private final long[] windowStart;
    private final int[] used;
    private final boolean[] started;

    /**
     * @param tenantIndexes bus tenant indexes tracked one by one (e.g. the bus's maxAgents)
     * @param budgets       by normalised tenant id
     */
    public TenantBudgets(final int tenantIndexes, final Map<String, TenantBudget> budgets)
    {
        this.budgets = Map.copyOf(budgets);
        final int n = tenantIndexes + 1;
        limit = new int[n];
        windowNanos = new long[n];
        windowStart = new long[n];
        used = new int[n];
        started = new boolean[n];
    }

    /** @return true when at least one tenant has a budget (the pipeline skips the check otherwise). */
    public boolean any()
    {
        return !budgets.isEmpty();
    }

    /** @return every budget by normalised tenant id. */
    public Map<String, TenantBudget> all()
    {
        return budgets;
    }

    /** @return the budget of a normalised tenant id, or null. */
    public TenantBudget budgetOf(final String tenantId)
    {
        return tenantId == null ? null : budgets.get(tenantId);
    }

    /**
     * Bus thread: counts one message against its tenant's budget.
     *
     * @param tenantIndex the sender's bus tenant index (negative: no tenant, never budgeted)
     * @param tenantId    the sender's normalised tenant id (read only the first time an index is seen)
     * @param nowNanos    {@code System.nanoTime()} of the message
     * @return 0 when within budget; otherwise the milliseconds until the window ends (≥ 1)
     */
    public long tryAcquire(final int tenantIndex, final String tenantId, final long nowNanos)
    {
        if (tenantIndex < 0)
        {
            return 0;
        }
        final int overflow = limit.length - 1;
        final int i = Math.min(tenantIndex, overflow);
        int max = limit[i];
        if (max == UNRESOLVED || i == overflow)
        {
            // The overflow slot is shared, so its tenants' budgets are looked up every time (a map read, no allocation).
            final TenantBudget b = budgetOf(tenantId);
            if (b == null)
            {
                if (i != overflow)
                {
                    limit[i] = NONE;
                }
                return 0;
            }
            max = b.messages();
            limit[i] = max;
            windowNanos[i] = b.windowSeconds() * NANOS_PER_SECOND;
        }
        if (max == NONE)
        {
            return 0;
        }
        if (!started[i] || nowNanos - windowStart[i] >= windowNanos[i])
        {
            started[i] = true;
            windowStart[i] = nowNanos;
            used[i] = 0;
        }
        if (used[i] < max)
        {
            used[i]++;
            return 0;
        }
        final long left = windowStart[i] + windowNanos[i] - nowNanos;
        return Math.max(1, (left + NANOS_PER_MS - 1) / NANOS_PER_MS);
    }

    /**
     * @return the refusal's text, the original's {@code RateLimitExceeded}:
     * "Agent 'a' exceeded rate limit of N messages per Ws (retry after Xms)", N and W the tenant's budget.
     */
    public static String text(final String agentId, final TenantBudget budget, final long retryAfterMs)
    {
        return exception(agentId, budget, retryAfterMs).getMessage();
    }

    /** @return the typed exception for a refusal (callers outside the pipeline may throw it). */
    public static RateLimitExceededException exception(final String agentId, final TenantBudget budget, final long retryAfterMs)
    {
        return new RateLimitExceededException(agentId, budget.messages(), budget.windowSeconds(), retryAfterMs);
    }
}
