package dev.eab.api;

/**
 * How the bus thread waits for work when the ring is empty. See docs/BENCHMARKS.md, "which idle strategy
 * for which host", for measurements of each.
 */
public enum IdleStrategy
{
    /** Spin: lowest latency, burns a core; for hosts with dedicated (pinned, isolated) cores. Keeps the path warm while idle. */
    BUSY_SPIN,
    /** Spin briefly, then {@code Thread.yield()}: burns a core but yields it to runnable threads. Keeps the path warm while idle. */
    YIELDING,
    /**
     * Spin, yield, then park with growing sleeps (the Disruptor's {@code SleepingWaitStrategy}): little CPU, but
     * a message that arrives during a sleep waits for the sleep to end.
     */
    BACKOFF,
    /** Lock and condition (the Disruptor's {@code BlockingWaitStrategy}): a lock and a signal on every publish. */
    BLOCKING,
    /**
     * The default: park as soon as the ring is empty (the spin and yield phases are 0 by default); a publisher
     * pays for an unpark only when the bus thread has parked. Keeps the path warm while idle (an invisible probe
     * every 250 µs). Made for shared hosts (laptops, VMs, busy machines), where a thread that never sleeps waits
     * out other threads' time slices.
     */
    PHASED
}
