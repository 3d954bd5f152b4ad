package dev.eab.api;

/** How the bus thread waits for work (maps onto a Disruptor wait strategy). */
public enum IdleStrategy
{
    /** Spin: lowest latency, burns a core; for co-located hosts with pinned cores. */
    BUSY_SPIN,
    /** Spin briefly, then {@code Thread.yield()}. */
    YIELDING,
    /** Spin, yield, then park with growing sleeps: the default on shared machines. */
    BACKOFF,
    /** Lock and condition: cheapest on CPU, costs a futex wake-up per burst. */
    BLOCKING
}
