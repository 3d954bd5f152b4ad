package dev.eab.api;

/** How a subscription's handler is run. */
public enum DeliveryMode
{
    /**
     * The default: messages go to the recipient's own bounded inbox, drained by its own thread, so a
     * slow handler never blocks the bus or other agents.
     */
    DISPATCHED,
    /**
     * The handler runs on the bus thread: lowest latency, for handlers that promise never to block.
     * The {@link MessageView} is valid only during the call.
     */
    INLINE
}
