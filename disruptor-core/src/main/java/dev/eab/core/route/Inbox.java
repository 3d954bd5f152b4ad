package dev.eab.core.route;

import dev.eab.api.exception.ThrowableText;
import dev.eab.core.ops.BusMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One agent's own bounded inbox and its subscription. Never shared between agents or tenants.
 *
 * <p>Threading: the bus thread is the only producer ({@link #offer}/{@link #put}); the consumer is the
 * agent's drainer thread (dispatched subscription) or whoever calls {@code receive}. The subscription is
 * one immutable {@link Subscription} in a volatile field, so the bus thread always sees a handler
 * together with its own mode, and pays nothing else per message for switches.
 *
 * <p>Switching ({@link #subscribe}) is a bounded hand-over: the new subscription is published at once;
 * the old drainer runs exactly the deliveries that were routed to the old subscription (a prefix of the
 * queue: the bus stops routing to it once it passes the switch, see {@link RoutingBarrier}) and exits;
 * then the next drainer starts on the rest, in order. Under any load it ends after at most one queue's
 * worth of old deliveries. Deliveries left for {@code receive} whose senders still wait are reported
 * delivered (they are in the inbox), so none is stranded without an outcome.
 *
 * <p>The lock guards the drainer fields only; nobody waits for a drainer while holding it (a handler may
 * call back into its own inbox).
 */
public final class Inbox
{
    private static final Logger LOG = Logger.getLogger(Inbox.class.getName());

    private final int handle;
    private final ArrayBlockingQueue<Delivery> queue;
    private final BusMetrics metrics;
    private final Acknowledger acks;
    private volatile Subscription subscription = Subscription.NONE;
    /** The drainer of the current DISPATCHED subscription (possibly not started yet), or null. */
    private InboxDrainer drainer;
    /** Every drainer that may still run: the current one and those finishing a hand-over. */
    private final List<InboxDrainer> live = new ArrayList<>(2);

    public Inbox(final int handle, final int capacity, final BusMetrics metrics)
    {
        this(handle, capacity, metrics, Acknowledger.NONE);
    }

    /** @param acks where handed-out deliveries are acknowledged (the journal), or {@link Acknowledger#NONE}. */
    public Inbox(final int handle, final int capacity, final BusMetrics metrics, final Acknowledger acks)
    {
        this.handle = handle;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = metrics;
        this.acks = acks;
    }

    /** Records in the journal that {@code d} was handed out, failed or refused: it is not redelivered after a restart. */
    public void ack(final Delivery d, final int status)
    {
        acks.ack(d.journalIndex(), status);
    }

    public int handle() { return handle; }
    /** @return the current subscription; {@link Subscription#NONE} when messages wait for {@code receive}. */
    public Subscription subscription() { return subscription; }
    public int size() { return queue.size(); }
    public int capacity() { return queue.size() + queue.remainingCapacity(); }

    /** @return true when queued; false when full (or within the slots a chaos scenario reserved). */
    public boolean offer(final Delivery d)
    {
        final int reserved = reservedSlots;
        if (reserved != 0 && queue.remainingCapacity() <= reserved)
        {
            return false;
        }
        return queue.offer(d);
    }

    /**
     * Chaos resource exhaustion: the last {@code slots} of this inbox's capacity count as taken, so {@link #offer}
     * finds it full that much early and the bus applies its backpressure policy (REJECT: INBOX_FULL; under BLOCK the
     * bus thread's {@link #put} waits for real space only). 0 gives them back. Any thread.
     */
    public void reserve(final int slots)
    {
        reservedSlots = Math.max(0, Math.min(slots, capacity()));
    }

    /** @return the slots a chaos scenario holds reserved */
    public int reservedSlots()
    {
        return reservedSlots;
    }

    /** Slots held by a chaos scenario ({@link #reserve}); read once per offer. */
    private volatile int reservedSlots;

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

    Delivery poll()
    {
        return queue.poll();
    }

    Delivery peek()
    {
        return queue.peek();
    }

    /** Removes {@code d} if it is still queued (identity: a {@link Delivery} has no value equality). */
    boolean remove(final Delivery d)
    {
        return queue.remove(d);
    }

    /**
     * What a switch leaves for its caller to wait on.
     *
     * @param previous         the previous drainer (it exits once its part of the hand-over is done), or null.
     * @param previousInline   the previous subscription ran on the bus thread: the caller must wait until
     *                         the bus passes {@code mark} before the old handler is surely done.
     * @param mark             the {@link RoutingBarrier} mark taken right after the switch.
     */
    public record Handover(InboxDrainer previous, boolean previousInline, long mark)
    {
    }

    /**
     * Installs a subscription (see the class comment for the hand-over).
     *
     * @param next       the new subscription ({@link Subscription#NONE} for none).
     * @param newDrainer the drainer for a DISPATCHED subscription (unstarted), or null.
     * @return the previous drainer, if any, and the barrier mark the hand-over waits for.
     */
    public Handover subscribe(final Subscription next, final InboxDrainer newDrainer, final RoutingBarrier barrier)
    {
        synchronized (this)
        {
            final InboxDrainer old = drainer;
            final boolean previousInline = subscription.inline();
            subscription = next;
            final long mark = barrier.mark();
            drainer = newDrainer;
            if (newDrainer != null)
            {
                live.add(newDrainer);
            }
            if (old != null && !old.isExited() && !old.isAbandoned())
            {
                old.finish(newDrainer, next, mark);
            }
            else
            {
                if (old != null)
                {
                    live.remove(old);
                }
                if (newDrainer != null)
                {
                    newDrainer.start();
                }
            }
            return new Handover(old, previousInline, mark);
        }
    }

    /**
     * Restarts the drainer of a DISPATCHED subscription that {@link #drainAndStop} stopped, so the
     * subscription survives a bus stop/start. No-op otherwise.
     */
    public synchronized void resume()
    {
        final InboxDrainer d = drainer;
        if (d != null && (d.isExited() || d.isAbandoned()))
        {
            live.remove(d);
            final InboxDrainer fresh = d.copy();
            drainer = fresh;
            live.add(fresh);
            fresh.start();
        }
    }

    /**
     * Bus stop (nothing new arrives): the drainer runs every queued delivery, then exits; waits for it
     * up to {@code timeoutMs}, then gives up on it (its message fails, see {@link #abandon}).
     */
    public void drainAndStop(final long timeoutMs)
    {
        final InboxDrainer d;
        synchronized (this)
        {
            d = drainer;
            if (d == null)
            {
                return;
            }
            // Not started yet (its predecessor is still finishing a hand-over)? It drains once started.
            d.drain();
        }
        awaitOrAbandon(d, timeoutMs, "the bus stopped without it");
    }

    /** Waits up to {@code timeoutMs} for {@code d} to exit; abandons it (and starts its successor) if not. */
    public void awaitOrAbandon(final InboxDrainer d, final long timeoutMs, final String why)
    {
        if (d != null && !d.awaitExit(timeoutMs) && !d.isExited())
        {
            abandon(d, notReturned(timeoutMs, why));
        }
    }

    /** The failure a message gets when its handler is given up on: one wording for every reason. */
    private static IllegalStateException notReturned(final long timeoutMs, final String why)
    {
        return new IllegalStateException("Handler did not return within " + timeoutMs + " ms; " + why);
    }

    /**
     * Gives up on a wedged drainer: its message fails with {@code reason}; a fresh drainer with the same
     * subscription takes over the inbox (or, for a drainer finishing a hand-over, its successor starts).
     */
    public void abandon(final InboxDrainer d, final Throwable reason)
    {
        if (!d.abandon(reason))
        {
            return;
        }
        metrics.onInboxThreadReplaced();
        LOG.warning("inbox thread of handle " + handle + " replaced: " + ThrowableText.message(reason));
        replaceOrHandOver(d);
    }

    /** Called by a drainer's own thread as it exits (not when abandoned). */
    void onDrainerExit(final InboxDrainer d, final boolean normalExit)
    {
        if (!normalExit)
        {
            metrics.onInboxThreadReplaced();
            LOG.log(Level.WARNING, "inbox thread of handle " + handle + " died; replaced");
        }
        replaceOrHandOver(d);
    }

    private synchronized void replaceOrHandOver(final InboxDrainer d)
    {
        live.remove(d);
        switch (d.mode())
        {
            case InboxDrainer.FINISH ->
            {
                final InboxDrainer next = d.successor();
                if (next != null && !next.isAbandoned())
                {
                    next.start();
                }
                else
                {
                    reportLeftFor(d.subscription());
                }
            }
            case InboxDrainer.RUN ->
            {
                if (d == drainer)
                {
                    // Died or wedged while current: the subscription must not go deaf.
                    final InboxDrainer fresh = d.copy();
                    drainer = fresh;
                    live.add(fresh);
                    fresh.start();
                }
            }
            default ->
            {
                // DRAIN: the bus stopped; resume() restarts the subscription with the next start.
            }
        }
    }

    /**
     * Deliveries routed to a subscription that has no successor drainer (switched to none or INLINE)
     * now wait for {@code receive}: senders still waiting on them are told they are delivered (in the
     * inbox), as deliveries to an agent without a handler are.
     */
    private void reportLeftFor(final Subscription old)
    {
        for (final Delivery d : queue)
        {
            if (d.routedTo() == old && d.awaitsOutcome() && d.claimOutcome())
            {
                metrics.onDelivered();
                Outcomes.delivered(d, handle, metrics);
            }
        }
    }

    /** Watchdog: abandons a drainer whose handler has run longer than {@code timeoutNs} on one message. */
    public void checkStalled(final long nowNs, final long timeoutNs, final long timeoutMs)
    {
        final List<InboxDrainer> stalled = new ArrayList<>(1);
        synchronized (this)
        {
            for (final InboxDrainer d : live)
            {
                if (d.stalled(nowNs, timeoutNs))
                {
                    stalled.add(d);
                }
            }
        }
        for (final InboxDrainer d : stalled)
        {
            abandon(d, notReturned(timeoutMs, "the agent's inbox thread was replaced"));
        }
    }
}
