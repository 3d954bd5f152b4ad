package dev.eab.core.ops;

import com.sun.net.httpserver.HttpExchange;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.Deliberations;
import dev.eab.api.exception.ThrowableText;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@code GET /deliberations/events}: the deliberation queue's held and decided events as Server-Sent Events
 * ({@code text/event-stream}), so the review console updates the moment something is held or decided instead of
 * at its next poll. Each event is {@code id: n}, {@code event: held|decided} and {@code data:} the item's JSON (the
 * shape of {@link DeliberationRoutes#toJson}); a comment line ({@code : heartbeat}) every
 * {@value #HEARTBEAT_MS} ms keeps proxies from closing an idle stream and finds dead clients.
 *
 * <p>Threads: each subscriber is served by its own exchange thread (the {@link OpsServer}'s virtual thread per
 * request), which writes to the socket. The deliberation listener, which runs on the queue's own thread, only
 * {@code offer}s to the subscriber's bounded queue ({@value #QUEUE_CAPACITY} events): it never waits. A client that
 * reads too slowly to keep its queue from filling is disconnected and counted: it is sent nothing more, and its
 * stream ends as soon as the write in hand completes (a write blocked on a dead peer's full socket ends with the
 * operating system's TCP timeout; only that subscriber's own thread waits for it). The browser then reconnects and
 * reloads the list. The stream is closed only by its own thread, never concurrently with a write. Nothing here
 * can block the queue's thread, and the bus thread never sees any of it.
 */
public final class DeliberationEvents
{
    /** Heartbeat comment interval, milliseconds. */
    public static final long HEARTBEAT_MS = 15_000;
    /** Events buffered per subscriber before it counts as too slow and is disconnected. */
    public static final int QUEUE_CAPACITY = 256;
    /** What the browser waits before reconnecting, milliseconds (the {@code retry:} field). */
    public static final long RETRY_MS = 2_000;

    private static final Logger LOG = Logger.getLogger(DeliberationEvents.class.getName());

    private final Deliberations deliberations;
    private final long heartbeatMs;
    private final int queueCapacity;
    private final AtomicLong subscribers = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong slowDisconnects = new AtomicLong();

    /** With the default heartbeat and queue bound. */
    public DeliberationEvents(final Deliberations deliberations)
    {
        this(deliberations, HEARTBEAT_MS, QUEUE_CAPACITY);
    }

    /**
     * @param heartbeatMs   the heartbeat interval (tests shorten it)
     * @param queueCapacity events buffered per subscriber
     */
    public DeliberationEvents(final Deliberations deliberations, final long heartbeatMs, final int queueCapacity)
    {
        if (heartbeatMs < 1 || queueCapacity < 1)
        {
            throw new IllegalArgumentException("heartbeatMs and queueCapacity must be positive");
        }
        this.deliberations = java.util.Objects.requireNonNull(deliberations, "deliberations");
        this.heartbeatMs = heartbeatMs;
        this.queueCapacity = queueCapacity;
    }

    /** Serves one subscriber until it goes away, is too slow, or the server stops (on the exchange's own thread). */
    void stream(final HttpExchange exchange) throws IOException
    {
        final Subscriber subscriber = new Subscriber(queueCapacity, slowDisconnects::incrementAndGet);
        // Subscribed before the 200 is sent: a queue that refuses listeners is a 500 the console falls back on, and an
        // event between the client's list request and the 200 is not lost.
        final AutoCloseable subscription = deliberations.addListener(subscriber);
        subscribers.incrementAndGet();
        try
        {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
            pump(subscriber, exchange.getResponseBody());
        }
        catch (final IOException | RuntimeException e)
        {
            // The client went away (or was cut off as too slow): the normal end of a stream.
            LOG.fine(() -> "event stream ended: " + ThrowableText.describe(e));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            subscribers.decrementAndGet();
            try
            {
                subscription.close();
            }
            catch (final Exception e)
            {
                LOG.fine(() -> "removing the event listener failed: " + ThrowableText.describe(e));
            }
        }
    }

    /** Writes events and heartbeats to {@code out} until the subscriber overflows or a write fails. */
    void pump(final Subscriber subscriber, final OutputStream out) throws IOException, InterruptedException
    {
        write(out, "retry: " + RETRY_MS + "\n: connected\n\n");
        long sequence = 0;
        while (!subscriber.overflowed())
        {
            final Event event = subscriber.next(heartbeatMs);
            if (subscriber.overflowed())
            {
                break;
            }
            if (event == null)
            {
                write(out, ": heartbeat\n\n");
                continue;
            }
            sequence++;
            write(out, "id: " + sequence + "\nevent: " + event.kind() + "\ndata: " + Json.compact(DeliberationRoutes.toJson(event.item())) + "\n\n");
            sent.incrementAndGet();
        }
    }

    private static void write(final OutputStream out, final String text) throws IOException
    {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** @return subscribers now, events sent, subscribers cut off as too slow. */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("subscribers", subscribers.get());
        m.put("events_sent", sent.get());
        m.put("slow_disconnects", slowDisconnects.get());
        return m;
    }

    /** One held or decided event. Json writes the item's shape; {@code kind} is {@code held} or {@code decided}. */
    record Event(String kind, DeliberationItem item)
    {
    }

    /**
     * One subscriber's bounded queue: the listener side only offers (never waits); on the first event that does not
     * fit, the subscriber is marked overflowed (its writer stops) and {@code onOverflow} runs once (it must not block).
     */
    static final class Subscriber implements DeliberationListener
    {
        private final ArrayBlockingQueue<Event> queue;
        private final Runnable onOverflow;
        private final AtomicBoolean overflowed = new AtomicBoolean();

        Subscriber(final int capacity, final Runnable onOverflow)
        {
            this.queue = new ArrayBlockingQueue<>(capacity);
            this.onOverflow = onOverflow;
        }

        @Override
        public void onHeld(final DeliberationItem item)
        {
            offer(new Event("held", item));
        }

        @Override
        public void onDecided(final DeliberationItem item)
        {
            offer(new Event("decided", item));
        }

        private void offer(final Event event)
        {
            if (!overflowed.get() && !queue.offer(event) && overflowed.compareAndSet(false, true))
            {
                onOverflow.run();
            }
        }

        boolean overflowed()
        {
            return overflowed.get();
        }

        Event next(final long timeoutMs) throws InterruptedException
        {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }
    }
}
