package dev.eab.core.route;

import dev.eab.api.MessageHandler;
import dev.eab.core.journal.JournalRecordDescriptor;
import dev.eab.core.ops.BusMetrics;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a DISPATCHED handler on the agent's own (virtual) thread, so a slow or blocking handler holds up
 * only its own inbox. A throwing handler fails only that message (status FAILED with the handler's
 * error, counted), and nothing a handler does ends the thread: not a hostile throwable, not an
 * {@code Error}, not a left-over interrupt flag.
 *
 * <p>Modes, each set by another thread through a volatile write:
 * <ul>
 *   <li>{@code RUN}: take and handle whatever arrives.</li>
 *   <li>{@code FINISH} (a subscription switch), after the message in hand: to another DISPATCHED handler,
 *       exit at once (the successor takes the whole queue, in order); to none, wait until the bus has passed
 *       the switch ({@link RoutingBarrier}: no delivery is routed to the old subscription after it), exit,
 *       and the inbox tells the senders still waiting that their messages are in the inbox for
 *       {@code receive}; to INLINE, first handle the deliveries routed to this subscription (a prefix of the
 *       queue, at most its capacity) until the bus has passed the switch, then exit.</li>
 *   <li>{@code DRAIN} (the bus is stopping, nothing new arrives): handle everything queued, then exit.</li>
 * </ul>
 * A drainer whose handler does not return within the bus's handler timeout is <em>abandoned</em> by the
 * {@link InboxWatchdog}: its message fails, a fresh drainer takes over the inbox, and if the old handler
 * ever returns, its thread leaves without touching anything.
 */
public final class InboxDrainer implements Runnable
{
    /**
     * Longest idle wait for a delivery. Mode changes wake a waiting drainer at once ({@link #wake}), so this
     * is only a safety net: an idle agent costs one wake-up a second, not twenty.
     */
    private static final long IDLE_WAIT_MS = 1_000;
    /** How long a finishing drainer parks between looks at the queue and the bus's progress. */
    private static final long FINISH_PARK_NS = 20_000;
    /** A finishing drainer stops waiting for the bus to pass the switch after this long (bus wedged). */
    private static final long FINISH_BARRIER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    static final int RUN = 0;
    static final int FINISH = 1;
    static final int DRAIN = 2;

    private final Inbox inbox;
    private final Subscription subscription;
    private final MessageHandler handler;
    private final BusMetrics metrics;
    private final String agentId;
    private final RoutingBarrier barrier;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final CountDownLatch exitLatch = new CountDownLatch(1);
    private volatile int mode = RUN;
    private volatile boolean exited;
    /** When the handler started on the current delivery ({@code nanoTime | 1}), or 0 while idle. */
    private volatile long busySinceNanos;
    private volatile Delivery current;
    /** Guards {@link #waiting}: a mode change interrupts the thread only while it waits, never inside a handler. */
    private final Object wakeLock = new Object();
    private boolean waiting;
    // Written before the volatile write of mode = FINISH, read after reading it.
    private InboxDrainer successor;
    private Subscription successorSubscription;
    private long finishMark;

    public InboxDrainer(
        final Inbox inbox, final Subscription subscription, final BusMetrics metrics, final String agentId, final RoutingBarrier barrier)
    {
        this.inbox = inbox;
        this.subscription = subscription;
        this.handler = subscription.handler();
        this.metrics = metrics;
        this.agentId = agentId;
        this.barrier = barrier;
        this.thread = Thread.ofVirtual().name("eab-inbox-" + agentId).unstarted(this);
    }

    /** @return a fresh, unstarted drainer for the same inbox and subscription. */
    InboxDrainer copy()
    {
        return new InboxDrainer(inbox, subscription, metrics, agentId, barrier);
    }

    Subscription subscription() { return subscription; }
    InboxDrainer successor() { return successor; }
    int mode() { return mode; }
    boolean isExited() { return exited; }
    boolean isAbandoned() { return abandoned.get(); }
    boolean isCurrentThread() { return Thread.currentThread() == thread; }

    /** Starts the thread; later calls do nothing (a hand-over and a watchdog may both try). */
    void start()
    {
        if (started.compareAndSet(false, true))
        {
            thread.start();
        }
    }

    /** Switch to {@code nextSubscription}: finish as the class comment says, then exit and start {@code next} (may be null). */
    void finish(final InboxDrainer next, final Subscription nextSubscription, final long mark)
    {
        successor = next;
        successorSubscription = nextSubscription;
        finishMark = mark;
        mode = FINISH;
        wake();
    }

    /** Interrupts the thread out of an idle wait (never out of a handler), so a mode change acts at once. */
    private void wake()
    {
        synchronized (wakeLock)
        {
            if (waiting)
            {
                thread.interrupt();
            }
        }
    }

    /** Bus stop: handle everything queued, then exit. */
    void drain()
    {
        mode = DRAIN;
        wake();
    }

    /** @return true when it exited within the timeout (a drainer not started yet may start and exit meanwhile). */
    boolean awaitExit(final long timeoutMs)
    {
        try
        {
            return exitLatch.await(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return exited;
        }
    }

    /** @return true when the handler has been running on one delivery for longer than {@code timeoutNs}. */
    boolean stalled(final long nowNs, final long timeoutNs)
    {
        final long since = busySinceNanos;
        return since != 0 && nowNs - since > timeoutNs && !abandoned.get();
    }

    /**
     * Gives up on this drainer (its handler wedged, or never started because its predecessor wedged):
     * the delivery in hand fails with {@code reason}, the thread is interrupted and may never touch the
     * inbox again.
     *
     * @return true for the first caller.
     */
    boolean abandon(final Throwable reason)
    {
        if (!abandoned.compareAndSet(false, true))
        {
            return false;
        }
        final Delivery d = current;
        if (d != null)
        {
            inbox.ack(d, JournalRecordDescriptor.ACK_FAILED);
            if (d.claimOutcome())
            {
                metrics.onHandlerFailed();
                Outcomes.handlerFailed(d, reason, metrics);
            }
        }
        thread.interrupt();
        return true;
    }

    @Override
    public void run()
    {
        barrier.markBusOwned();
        boolean normalExit = false;
        try
        {
            loop();
            normalExit = true;
        }
        catch (final Throwable t)
        {
            // Only the bus's own code runs outside handle()'s catch: reaching here means an Error such as
            // an OutOfMemoryError while reporting. The inbox replaces this thread (see onExit).
        }
        finally
        {
            exited = true;
            if (!abandoned.get())
            {
                inbox.onDrainerExit(this, normalExit);
            }
            exitLatch.countDown();
        }
    }

    private void loop()
    {
        long finishSince = 0;
        while (!abandoned.get())
        {
            final int m = mode;
            if (m == FINISH)
            {
                if (finishSince == 0)
                {
                    finishSince = System.nanoTime() | 1;
                }
                if (finishStep(finishSince))
                {
                    return;
                }
                continue;
            }
            final Delivery d = m == DRAIN ? inbox.poll() : awaitDelivery();
            if (d != null)
            {
                handle(d);
            }
            else if (m == DRAIN)
            {
                return;
            }
        }
    }

    /** @return the next delivery, or null when the idle wait ended (timed out, or woken by a mode change). */
    private Delivery awaitDelivery()
    {
        synchronized (wakeLock)
        {
            if (mode != RUN)
            {
                return null;
            }
            waiting = true;
        }
        try
        {
            return inbox.poll(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            return null; // woken by a mode change; interrupts never stop a drainer, modes do
        }
        finally
        {
            synchronized (wakeLock)
            {
                waiting = false;
                // An interrupt that raced the wait's end must not reach the handler.
                Thread.interrupted();
            }
        }
    }

    /** @return true when the hand-over is complete and the thread should exit. */
    private boolean finishStep(final long finishSince)
    {
        final InboxDrainer next = successor;
        if (next != null && next.subscription.dispatched())
        {
            // The next handler also runs from this queue, in order, once this thread is gone: it takes the
            // deliveries routed here too, so the switch costs at most the message in hand.
            return true;
        }
        if (!successorSubscription.inline())
        {
            // No handler any more: what was routed here waits for receive(). Once the bus has passed the
            // switch, nothing more arrives for this subscription; the inbox then tells the waiting senders.
            if (barrier.passed(finishMark) || System.nanoTime() - finishSince > FINISH_BARRIER_TIMEOUT_NS)
            {
                return true;
            }
            LockSupport.parkNanos(FINISH_PARK_NS);
            return false;
        }
        // Read before looking at the queue: once the bus has passed the mark, everything routed to this
        // subscription is already queued, so a head that is not ours means we are done.
        final boolean quiet = barrier.passed(finishMark) || System.nanoTime() - finishSince > FINISH_BARRIER_TIMEOUT_NS;
        final Delivery head = inbox.peek();
        if (head != null && head.routedTo() == subscription)
        {
            if (inbox.remove(head))
            {
                handle(head);
            }
            return false;
        }
        if (quiet)
        {
            return true;
        }
        LockSupport.parkNanos(FINISH_PARK_NS);
        return false;
    }

    private void handle(final Delivery d)
    {
        current = d;
        busySinceNanos = System.nanoTime() | 1;
        try
        {
            handler.onMessage(new AgentMessageView(d.message(), d.senderHandle(), inbox.handle()));
            if (!abandoned.get())
            {
                inbox.ack(d, JournalRecordDescriptor.ACK_DELIVERED);
                if (d.claimOutcome())
                {
                    metrics.onDelivered();
                    Outcomes.delivered(d, inbox.handle(), metrics);
                }
            }
        }
        catch (final Throwable t)
        {
            if (!abandoned.get())
            {
                inbox.ack(d, JournalRecordDescriptor.ACK_FAILED);
                if (d.claimOutcome())
                {
                    metrics.onHandlerFailed();
                    Outcomes.handlerFailed(d, t, metrics);
                }
            }
        }
        finally
        {
            busySinceNanos = 0;
            current = null;
            // A handler that left its interrupt flag set must not end this thread at the next poll.
            Thread.interrupted();
        }
    }
}
