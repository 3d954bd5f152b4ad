package dev.eab.core.route;

import dev.eab.api.MessageHandler;
import dev.eab.api.MessageStatus;
import dev.eab.api.ValidationResult;
import dev.eab.core.ops.BusMetrics;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a DISPATCHED handler on the agent's own (virtual) thread, so a slow or blocking handler holds up
 * only its own inbox. A throwing handler fails only that message: its result gets status FAILED with
 * the handler's error, the failure is counted, and the drainer carries on.
 */
public final class InboxDrainer implements Runnable
{
    /**
     * Longest wait for a delivery before re-checking {@link #running}. {@link #stop} wakes a waiting drainer at
     * once, so this is only a safety net: an idle agent costs one wake-up a second, not twenty (a 50 ms poll in
     * every idle drainer woke the host 160 times a second in the demo and kept the JIT compiling its poll
     * path for seconds, stealing cores from latency-critical threads).
     */
    private static final long IDLE_WAIT_MS = 1_000;

    private final Inbox inbox;
    private final MessageHandler handler;
    private final BusMetrics metrics;
    private final String agentId;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean drainOnStop;
    /** Guards {@link #waiting}: {@link #stop} interrupts the drainer only while it waits, never inside a handler. */
    private final Object wake = new Object();
    private boolean waiting;

    public InboxDrainer(final Inbox inbox, final MessageHandler handler, final BusMetrics metrics, final String agentId)
    {
        this.inbox = inbox;
        this.handler = handler;
        this.metrics = metrics;
        this.agentId = agentId;
        this.thread = Thread.ofVirtual().name("eab-inbox-" + agentId).unstarted(this);
    }

    /** @return true once {@link #stop} has been called (a thread cannot be restarted: see {@link #restarted()}). */
    boolean isStopped()
    {
        return !running;
    }

    /** @return a fresh, unstarted drainer for the same inbox and handler (after the bus restarts). */
    InboxDrainer restarted()
    {
        return new InboxDrainer(inbox, handler, metrics, agentId);
    }

    void start()
    {
        thread.start();
    }

    /** @param drain when true, run every queued delivery first; always waits for the thread to end. */
    void stop(final boolean drain)
    {
        drainOnStop = drain;
        running = false;
        synchronized (wake)
        {
            if (waiting)
            {
                thread.interrupt();
            }
        }
        try
        {
            thread.join();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run()
    {
        while (true)
        {
            final Delivery d = next();
            if (d != null)
            {
                handle(d);
            }
            else if (!running)
            {
                return;
            }
            if (!running && !drainOnStop)
            {
                return;
            }
        }
    }

    /** @return the next delivery: waited for while running, taken without waiting once stopping; null when none. */
    private Delivery next()
    {
        final boolean wait;
        synchronized (wake)
        {
            // Checked under the lock: a stop() before this sees waiting false and needs no interrupt; one after it interrupts.
            wait = running;
            waiting = wait;
        }
        Delivery d = null;
        boolean woken = false;
        try
        {
            d = inbox.poll(wait ? IDLE_WAIT_MS : 0, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            woken = true;
        }
        synchronized (wake)
        {
            waiting = false;
            // Clears stop()'s interrupt, and one a handler left set: neither may reach the next handler or end the drainer.
            Thread.interrupted();
        }
        if (woken)
        {
            // An interrupt can refuse the lock before looking at the queue: look again, so draining on stop misses nothing.
            d = pollNow();
        }
        return d;
    }

    private Delivery pollNow()
    {
        try
        {
            return inbox.poll(0, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            return null;
        }
    }

    private void handle(final Delivery d)
    {
        try
        {
            handler.onMessage(new AgentMessageView(d.message(), d.senderHandle(), inbox.handle()));
            metrics.onDelivered();
            if (d.future() != null)
            {
                d.future().complete(d.accepted());
            }
            else if (d.listener() != null)
            {
                d.listener().onDelivered(d.correlationId(), inbox.handle());
            }
        }
        catch (final Throwable t)
        {
            metrics.onHandlerFailed();
            if (d.future() != null)
            {
                d.future().complete(handlerFailed(d.accepted(), t));
            }
            else if (d.listener() != null)
            {
                d.listener().onHandlerFailed(d.correlationId(), t);
            }
        }
    }

    /**
     * @return the accepted result with status FAILED and the handler's error, in the original's form:
     * {@code Runtime error: msg} for a RuntimeException, {@code ExcType: msg} otherwise.
     */
    public static ValidationResult handlerFailed(final ValidationResult accepted, final Throwable t)
    {
        final String text = (t instanceof RuntimeException && t.getClass() == RuntimeException.class)
            ? "Runtime error: " + t.getMessage()
            : t.getClass().getSimpleName() + ": " + t.getMessage();
        return accepted.withStatus(MessageStatus.FAILED, Map.of("handler_error", text)).withWarning("Handler failed: " + text);
    }
}
