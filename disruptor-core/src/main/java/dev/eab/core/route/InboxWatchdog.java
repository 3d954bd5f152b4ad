package dev.eab.core.route;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Finds inbox threads whose handler has been running one message for longer than the handler timeout
 * and has them replaced ({@link Inbox#checkStalled}): the message fails with a clear reason, a fresh
 * thread takes over the inbox, so a wedged handler never leaves an agent deaf. One platform daemon thread
 * per bus while it runs; it looks every quarter of the timeout (between 10 ms and 1 s), so a wedge is
 * acted on within 1.25 × the timeout. Off the hot path: it reads one volatile per drainer.
 */
public final class InboxWatchdog implements Runnable
{
    private static final Logger LOG = Logger.getLogger(InboxWatchdog.class.getName());
    private static final long MIN_INTERVAL_MS = 10;
    private static final long MAX_INTERVAL_MS = 1_000;

    private final Supplier<List<Inbox>> inboxes;
    private final long timeoutMs;
    private final long intervalMs;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param timeoutMs how long one handler call may run; must be positive. */
    public InboxWatchdog(final Supplier<List<Inbox>> inboxes, final long timeoutMs)
    {
        this.inboxes = inboxes;
        this.timeoutMs = timeoutMs;
        this.intervalMs = Math.clamp(timeoutMs / 4, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
        this.thread = Thread.ofPlatform().daemon().name("eab-inbox-watchdog").unstarted(this);
    }

    public void start()
    {
        thread.start();
    }

    public void stop()
    {
        running = false;
        thread.interrupt();
    }

    @Override
    public void run()
    {
        final long timeoutNs = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (running)
        {
            try
            {
                Thread.sleep(intervalMs);
                final long now = System.nanoTime();
                for (final Inbox inbox : inboxes.get())
                {
                    inbox.checkStalled(now, timeoutNs, timeoutMs);
                }
            }
            catch (final InterruptedException e)
            {
                // stop() interrupts; the loop condition decides.
            }
            catch (final Throwable t)
            {
                LOG.warning("inbox watchdog: " + dev.eab.api.exception.ThrowableText.describe(t));
            }
        }
    }
}
