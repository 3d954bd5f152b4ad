package dev.eab.core.route;

import dev.eab.api.DeliveryMode;
import dev.eab.api.MessageHandler;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One agent's own bounded inbox and its subscription. Never shared between agents or tenants.
 *
 * <p>Threading: the bus thread is the only producer ({@link #offer}/{@link #put}); the consumer is the
 * agent's drainer thread (dispatched subscription) or whoever calls {@code receive}. The subscription is
 * one immutable {@link Subscription} in a volatile field, so the bus thread always sees a handler
 * together with its own mode, never a new handler with an old mode.
 */
public final class Inbox
{
    private final int handle;
    private final BlockingQueue<Delivery> queue;
    private volatile Subscription subscription = Subscription.NONE;
    private volatile InboxDrainer drainer;

    public Inbox(final int handle, final int capacity)
    {
        this.handle = handle;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    public int handle() { return handle; }
    /** @return the current subscription; {@link Subscription#NONE} when messages wait for {@code receive}. */
    public Subscription subscription() { return subscription; }
    public int size() { return queue.size(); }
    public int capacity() { return queue.size() + queue.remainingCapacity(); }

    /** @return true when queued; false when full. */
    public boolean offer(final Delivery d)
    {
        return queue.offer(d);
    }

    /** Waits for space: the BLOCK backpressure policy. */
    public void put(final Delivery d) throws InterruptedException
    {
        queue.put(d);
    }

    /** @return the next delivery, or null on timeout. */
    public Delivery poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return queue.poll(timeout, unit);
    }

    /**
     * Installs a subscription. A previous dispatched handler first finishes every message already queued
     * for it (this call waits), so switching handlers or modes strands nothing.
     *
     * @param newHandler the handler, or null for none (messages wait for {@code receive}).
     * @param newDrainer the drainer for a DISPATCHED handler, or null for INLINE or no handler.
     */
    public synchronized void subscribe(final MessageHandler newHandler, final DeliveryMode newMode, final InboxDrainer newDrainer)
    {
        final InboxDrainer old = drainer;
        if (old != null)
        {
            old.stop(true);
        }
        subscription = newHandler == null ? Subscription.NONE : new Subscription(newHandler, newMode);
        drainer = newDrainer;
        if (newDrainer != null)
        {
            newDrainer.start();
        }
    }

    /**
     * Restarts the drainer of a DISPATCHED subscription that {@link #drainAndStop()} stopped, so the
     * subscription survives a bus stop/start. No-op otherwise.
     */
    public synchronized void resume()
    {
        final InboxDrainer d = drainer;
        if (d != null && d.isStopped())
        {
            final InboxDrainer fresh = d.restarted();
            drainer = fresh;
            fresh.start();
        }
    }

    /** Stops the drainer after it has run every queued delivery; waits for it. */
    public synchronized void drainAndStop()
    {
        final InboxDrainer d = drainer;
        if (d != null)
        {
            d.stop(true);
        }
    }
}
