package dev.eab.core.route;

/**
 * Lets a subscription switch know when the bus thread has finished routing under the old subscription,
 * without the bus thread paying anything per message: the bus thread reads an inbox's subscription once
 * per event, so once it has processed every event claimed before the switch, no event routes to the old
 * subscription any more. Implemented by the bus over its ring's cursor and consumer sequence.
 */
public interface RoutingBarrier
{
    /** For inboxes used without a bus (tests, tools): nothing is in flight, every switch is passed at once. */
    RoutingBarrier NO_BUS = new RoutingBarrier()
    {
        @Override public long mark() { return -1; }
        @Override public boolean passed(final long mark) { return true; }
        @Override public boolean isBusOwnedThread() { return false; }
        @Override public boolean isBusThread() { return false; }
        @Override public void markBusOwned() { }
    };

    /** @return a mark covering every event claimed so far (taken after the new subscription was published). */
    long mark();

    /** @return true once the bus thread has processed every event up to {@code mark}, or is not running. */
    boolean passed(long mark);

    /**
     * @return true when the calling thread belongs to the bus (its bus thread or an inbox thread): such a
     * thread must never wait for the bus, which may be waiting for it.
     */
    boolean isBusOwnedThread();

    /** @return true when the calling thread is the bus thread itself (it runs INLINE handlers). */
    boolean isBusThread();

    /** Marks the calling thread as bus-owned (an inbox thread marks itself when it starts). */
    void markBusOwned();
}
