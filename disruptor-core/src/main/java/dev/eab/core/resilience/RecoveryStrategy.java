package dev.eab.core.resilience;

/** How a recovery waits between attempts (reference §4.2). */
public enum RecoveryStrategy
{
    /** initial × multiplier^(n−1) before attempt n (the first: initial). */
    EXPONENTIAL_BACKOFF,
    /** initial × n before attempt n (the first: initial, not 0 as in the original). */
    LINEAR_BACKOFF,
    /** No wait. */
    IMMEDIATE,
    /** Waits in {@link RecoveryState#AWAITING_MANUAL} until an operator triggers it (the original ran it at once). */
    MANUAL
}
