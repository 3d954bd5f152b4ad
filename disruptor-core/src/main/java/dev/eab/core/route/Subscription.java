package dev.eab.core.route;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageHandler;

/**
 * An agent's handler and how it runs, published as one immutable value.
 *
 * @param handler the handler, or null when messages wait in the inbox for {@code receive}.
 * @param mode    how the handler runs.
 */
public record Subscription(MessageHandler handler, DeliveryMode mode)
{
    /** No handler: messages wait in the inbox. */
    public static final Subscription NONE = new Subscription(null, DeliveryMode.DISPATCHED);

    /** @return true when the handler runs on the agent's own inbox thread. */
    public boolean dispatched()
    {
        return handler != null && mode == DeliveryMode.DISPATCHED;
    }

    /** @return true when the handler runs on the bus thread. */
    public boolean inline()
    {
        return handler != null && mode == DeliveryMode.INLINE;
    }
}
