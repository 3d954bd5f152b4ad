package dev.eab.core.resilience;

import java.time.Duration;
import java.util.Map;

/**
 * A breaker's trip rule in pybreaker's terms (reference §4.5): it opens after {@code failureThreshold}
 * consecutive failures and stays open {@code resetTimeout} before a half-open probe.
 *
 * @param failureThreshold consecutive failures that open the breaker (≥ 1)
 * @param resetTimeout     how long it stays open before letting a probe through
 */
public record BreakerDefaults(int failureThreshold, Duration resetTimeout)
{
    /** pybreaker's default {@code CircuitBreakerConfig}: 5 failures, 30 s. */
    public static final BreakerDefaults DEFAULT = new BreakerDefaults(5, Duration.ofSeconds(30));

    /**
     * The original's optimised per-service table, keyed by its service names and by the names the bus uses for
     * the same layers (the native validator and scanner are the "rust_message_bus"; Rego is the "opa_client").
     */
    private static final Map<String, BreakerDefaults> BY_SERVICE = Map.ofEntries(
        Map.entry("adaptive_governance", new BreakerDefaults(3, Duration.ofSeconds(15))),
        Map.entry("policy_registry", new BreakerDefaults(3, Duration.ofSeconds(15))),
        Map.entry("opa_client", new BreakerDefaults(3, Duration.ofSeconds(15))),
        Map.entry(BreakerRegistry.REGO_POLICY, new BreakerDefaults(3, Duration.ofSeconds(15))),
        Map.entry("audit_ledger", new BreakerDefaults(7, Duration.ofSeconds(60))),
        Map.entry(BreakerRegistry.AUDIT_SINK, new BreakerDefaults(7, Duration.ofSeconds(60))),
        Map.entry(BreakerRegistry.DELIBERATION_LAYER, new BreakerDefaults(7, Duration.ofSeconds(45))),
        Map.entry("rust_message_bus", DEFAULT),
        Map.entry("constraint_generation", DEFAULT),
        Map.entry("vector_search", DEFAULT),
        Map.entry("message_processor", DEFAULT),
        Map.entry(BreakerRegistry.NATIVE_VALIDATOR, DEFAULT),
        Map.entry(BreakerRegistry.CONTENT_SCANNER, DEFAULT),
        Map.entry(BreakerRegistry.JOURNAL, DEFAULT));

    public BreakerDefaults
    {
        if (failureThreshold < 1)
        {
            throw new IllegalArgumentException("failureThreshold must be >= 1, got " + failureThreshold);
        }
        if (resetTimeout == null || resetTimeout.isNegative() || resetTimeout.isZero())
        {
            throw new IllegalArgumentException("resetTimeout must be positive, got " + resetTimeout);
        }
    }

    /** @return the defaults for {@code service}: its row of the table, else {@link #DEFAULT}. */
    public static BreakerDefaults forService(final String service)
    {
        return BY_SERVICE.getOrDefault(service, DEFAULT);
    }
}
