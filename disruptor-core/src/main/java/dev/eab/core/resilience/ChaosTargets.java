package dev.eab.core.resilience;

import java.util.function.BooleanSupplier;

/** What the {@link ChaosEngine} acts on, provided by the bus it belongs to. */
public interface ChaosTargets
{
    /** @return the bus's breakers (CIRCUIT_BREAKER scenarios force them open) */
    BreakerRegistry breakers();

    /** @return the recovery orchestrator told when a forced breaker is released, or null */
    RecoveryOrchestrator recovery();

    /** @return true when the bus journals (a JOURNAL_APPEND scenario needs one) */
    boolean hasJournal();

    /**
     * Takes {@code level} of the ring's capacity until {@code released} says true: ballast events published into the
     * ring, which the bus thread holds (it stops consuming) until release, as a stalled consumer would.
     *
     * @return the slots taken
     */
    int holdRing(double level, BooleanSupplier released);

    /**
     * Reserves {@code level} of {@code agentId}'s inbox capacity (0 releases it): the bus finds the inbox full that
     * many slots early and applies its backpressure policy.
     *
     * @return the slots reserved
     * @throws IllegalArgumentException when the agent is not registered
     */
    int reserveInbox(String agentId, double level);
}
