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
 * agent's drainer thread (dispatched subscription) or whoever calls {@code receive}. The subscription
 * fields are volatile: written by API callers, read by the bus thread per message.
 */
public final class Inbox
{
    private final int handle;
    private final BlockingQueue<Delivery> queue;
    private volatile MessageHandler handler;
    private volatile DeliveryMode mode = DeliveryMode.DISPATCHED;
    private volatile InboxDrainer drainer;

    public Inbox(final int handle, final int capacity)
    {
        this.handle = handle;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    public int handle() { return handle; }
    /** @return the handler, or null when messages wait for {@code receive}. */
    public MessageHandler handler() { return handler; }
    public DeliveryMode mode() { return mode; }
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
     * Installs a subscription, stopping the previous drainer (queued messages stay for the next one).
     *
     * @param newDrainer the drainer for a DISPATCHED handler, or null for INLINE or no handler.
     */
    public synchronized void subscribe(final MessageHandler newHandler, final DeliveryMode newMode, final InboxDrainer newDrainer)
    {
        final InboxDrainer old = drainer;
        if (old != null)
        {
            old.stop(false);
        }
        mode = newMode;
        handler = newHandler;
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
