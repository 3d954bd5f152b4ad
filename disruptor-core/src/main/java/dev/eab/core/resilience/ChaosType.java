package dev.eab.core.resilience;

/**
 * The kinds of chaos scenario (reference §4.3; TIMEOUT and NETWORK_PARTITION implemented here, CLOCK_SKEW added for
 * the invariants under a wrong clock).
 */
public enum ChaosType
{
    /** Delays the bus at the target fault points. */
    LATENCY,
    /** Fails the target fault points with probability {@code errorRate}. */
    ERROR,
    /** Forces a real breaker of the registry open; lifted at the end (the breaker then heals as from a real trip). */
    CIRCUIT_BREAKER,
    /** Consumes a resource: ring capacity, an agent's inbox capacity, or a memory budget. */
    RESOURCE_EXHAUSTION,
    /** The target fault points hang for {@code delayMs}, then fail as timed out. */
    TIMEOUT,
    /** Messages between two groups of agents or tenants (or to and from one group) are refused at routing. */
    NETWORK_PARTITION,
    /** The validate stage's clock runs {@code delayMs} ahead (negative: behind). */
    CLOCK_SKEW
}
