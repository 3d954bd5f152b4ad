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
    private static final long POLL_MS = 50;

    private final Inbox inbox;
    private final MessageHandler handler;
    private final BusMetrics metrics;
    private final String agentId;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean drainOnStop;

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
        try
        {
            while (true)
            {
                final Delivery d = inbox.poll(POLL_MS, TimeUnit.MILLISECONDS);
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
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
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
