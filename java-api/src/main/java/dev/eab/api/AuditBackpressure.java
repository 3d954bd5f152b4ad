package dev.eab.api;

/**
 * What the bus does when the audit writer falls behind. In both, the bus thread never waits for the audit
 * log and no decision is ever missing from the chain: what differs is how much the audit queue absorbs
 * before publishers feel it.
 */
public enum AuditBackpressure
{
    /**
     * Strict compliance: once {@code auditQueueCapacity} records wait, the audit capture stops taking
     * decisions off the ring, the ring fills, and publishers get the ring's own backpressure
     * ({@code BackpressurePolicy}: wait, or {@code BackpressureException}).
     */
    BLOCK,
    /**
     * Absorb bursts: beyond {@code auditQueueCapacity}, up to {@code auditOverflowCapacity} more records wait
     * in memory while the bus counts them and reports a critical health signal ({@code audit.lagging}); only
     * a full overflow pushes back on publishers as {@link #BLOCK} does.
     */
    OVERFLOW
}
