package dev.eab.core.ops.metering;

import dev.eab.core.ops.SafeLog;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;
import java.util.logging.Logger;

/**
 * Usage metering off the hot path (the original's {@code AsyncMeteringQueue} + {@code MeteringHooks}, reference
 * §4.4, without its defect §7.19): producers (the bus thread, once per message; any thread through {@link #hooks()})
 * put primitive events into a {@link MeteringQueue} without blocking or allocating; the {@code eab-metering} thread
 * flushes them to {@link TenantUsage} (per-tenant aggregation) and any added {@link MeteringSink}s.
 *
 * <p>A flush drains <em>everything</em> queued, in batches of {@code batchSize}, not one batch per interval (the
 * original's ceiling of ~100 events/s). The flusher sleeps at most {@code flushIntervalMs}; producers wake it every
 * 1/8 of the queue, so a sustained 1M events/s is drained long before the 10,000-event queue fills. When it is full
 * anyway (the flusher waited for a CPU), a producer that finds nobody draining drains one batch itself into the
 * per-tenant aggregation and retries once ({@code producer_drains}); otherwise the event is dropped and counted
 * ({@code events_dropped}). Nothing ever waits. {@link #stop()} drains
 * everything that was queued, and an event queued while stopping is drained by its producer: none is left behind.
 *
 * <p>Threads: producers any; the consumer side (draining, the sinks, {@link TenantUsage} writes) runs under one lock,
 * normally on the flusher thread.
 */
public final class Metering implements AutoCloseable
{
    private static final Logger LOG = Logger.getLogger(Metering.class.getName());
    /** How long {@link #stop()} waits for a producer between its claim and its publish (nanoseconds in practice). */
    private static final long STOP_PUBLISH_WAIT_MS = 1_000;
    /** The flusher's sleep while events keep coming at a wake-up's worth per drain. */
    private static final long BUSY_POLL_NS = 200_000;

    private final MeteringConfig config;
    private final MeteringQueue queue;
    private final TenantSlots tenants;
    private final TenantUsage usage;
    private final MeteringHooks hooks;
    /** Added sinks, as an array: iterated per batch without allocating. */
    private volatile MeteringSink[] sinkArray = new MeteringSink[0];
    private final AtomicLong helped = new AtomicLong();
    private final MeteringBatch batch = new MeteringBatch();
    private final MeteringSink dispatch = this::dispatch;
    private final ReentrantLock drainLock = new ReentrantLock();
    private final AtomicLong sinkFailures = new AtomicLong();
    private final AtomicLong flushes = new AtomicLong();
    private volatile boolean running;
    private Thread flusher;

    /**
     * @param tenants      the tenant slots events are aggregated by
     * @param agentHandles an agent id's bus handle (negative when unknown), for the string hooks
     */
    public Metering(final MeteringConfig config, final TenantSlots tenants, final ToIntFunction<String> agentHandles)
    {
        this.config = config;
        this.tenants = tenants;
        this.queue = new MeteringQueue(config.maxQueueSize());
        this.usage = new TenantUsage(tenants);
        this.hooks = new MeteringHooks(this, tenants, agentHandles);
    }

    /** Adds a sink that receives every flushed batch after the per-tenant aggregation. */
    public synchronized Metering addSink(final MeteringSink sink)
    {
        final MeteringSink[] next = java.util.Arrays.copyOf(sinkArray, sinkArray.length + 1);
        next[next.length - 1] = java.util.Objects.requireNonNull(sink, "sink");
        sinkArray = next;
        return this;
    }

    /** Starts the flusher thread (again after a stop). */
    public synchronized void start()
    {
        if (running)
        {
            return;
        }
        running = true;
        final Thread t = new Thread(this::flushLoop, "eab-metering");
        t.setDaemon(true);
        queue.consumer(t);
        flusher = t;
        t.start();
    }

    /** Tests: running, but with no flusher thread, as if it never got a CPU. */
    synchronized void startWithoutFlusher()
    {
        running = true;
        flusher = null;
    }

    /** Stops the flusher and drains every queued event to the sinks before returning. */
    public synchronized void stop()
    {
        if (!running)
        {
            return;
        }
        running = false;
        final Thread t = flusher;
        if (t != null)
        {
            LockSupport.unpark(t);
            try
            {
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
        drainEverything();
    }

    @Override
    public void close()
    {
        stop();
    }

    /**
     * Queues one event; any thread; never blocks, allocates or throws. The bus thread calls it once per message.
     *
     * @return true when queued; false when metering is disabled or stopped (not counted, as the original) or the
     * queue is full (dropped and counted)
     */
    public boolean record(
        final MeteringEventType type, final int tenantSlot, final int agent, final boolean outcome, final long value, final long timestampNanos)
    {
        if (!config.enabled() || !running)
        {
            return false;
        }
        final int code = type.ordinal();
        boolean queued = queue.tryOffer(code, tenantSlot, agent, outcome, value, timestampNanos);
        if (!queued)
        {
            queued = helpAndRetry(code, tenantSlot, agent, outcome, value, timestampNanos);
        }
        if (queued && !running)
        {
            // Stop began after our check: it may already have drained, so this producer drains what it queued.
            drainEverything();
        }
        return queued;
    }

    /**
     * The queue is full: the flusher has not run for a whole queue's worth of events (on an oversubscribed host it can
     * wait 10 ms and more for a CPU). If nobody is draining at this instant and only the built-in per-tenant aggregation
     * consumes events (a few nanoseconds each), the producer drains one batch itself and retries once; otherwise, or if
     * the queue is still full, the event is dropped and counted. Never waits: the lock is only tried.
     */
    private boolean helpAndRetry(
        final int code, final int tenantSlot, final int agent, final boolean outcome, final long value, final long timestampNanos)
    {
        if (sinkArray.length == 0 && drainLock.tryLock())
        {
            try
            {
                if (queue.drain(batch, dispatch, config.batchSize(), 1) > 0)
                {
                    helped.incrementAndGet();
                }
            }
            finally
            {
                drainLock.unlock();
            }
            if (queue.tryOffer(code, tenantSlot, agent, outcome, value, timestampNanos))
            {
                return true;
            }
        }
        queue.countDrop();
        return false;
    }

    /** Drains everything queued now, on the calling thread (the demo and tests; the flusher does it on its own). */
    public long flushNow()
    {
        return drainOnce();
    }

    private void flushLoop()
    {
        final long intervalNanos = TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs());
        long drained = 0;
        while (running)
        {
            queue.parked(true);
            if (running && queue.size() < queue.wakeInterval())
            {
                // Under load (the last drain found a wake-up's worth), poll every BUSY_POLL_NS instead of waiting to be
                // woken: a producer's unpark is a syscall, and a short timed sleep is rescheduled promptly on a busy host.
                LockSupport.parkNanos(this, drained >= queue.wakeInterval() ? Math.min(BUSY_POLL_NS, intervalNanos) : intervalNanos);
            }
            queue.parked(false);
            drained = drainOnce();
        }
    }

    /** Drains everything queued, one batch per lock hold (so a producer helping out rarely finds the lock taken). */
    private long drainOnce()
    {
        long total = 0;
        while (true)
        {
            final long n;
            drainLock.lock();
            try
            {
                n = queue.drain(batch, dispatch, config.batchSize(), 1);
            }
            finally
            {
                drainLock.unlock();
            }
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        if (total > 0)
        {
            flushes.incrementAndGet();
        }
        return total;
    }

    /** Drains until every claimed position was published and flushed (a producer mid-publish takes nanoseconds). */
    private void drainEverything()
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_PUBLISH_WAIT_MS);
        drainOnce();
        while (queue.flushed() < queue.queued() && System.nanoTime() - deadline < 0)
        {
            Thread.yield();
            drainOnce();
        }
    }

    private void dispatch(final MeteringBatch b)
    {
        usage.onBatch(b);
        for (final MeteringSink sink : sinkArray)
        {
            try
            {
                sink.onBatch(b);
            }
            catch (final Throwable t)
            {
                sinkFailures.incrementAndGet();
                SafeLog.severe(LOG, "a metering sink failed; the batch counts as flushed", t);
            }
        }
    }

    /** @return the original's hooks (constitutional validation, agent message, policy evaluation, deliberation, HITL). */
    public MeteringHooks hooks()
    {
        return hooks;
    }

    /** @return the queue (its counters). */
    public MeteringQueue queue()
    {
        return queue;
    }

    /** @return the per-tenant aggregation of flushed events. */
    public TenantUsage usage()
    {
        return usage;
    }

    /** @return the tenant slots. */
    public TenantSlots tenants()
    {
        return tenants;
    }

    /** @return the settings. */
    public MeteringConfig config()
    {
        return config;
    }

    public boolean isRunning()
    {
        return running;
    }

    /** @return batches (drains with at least one event) handed to the sinks. */
    public long flushes()
    {
        return flushes.get();
    }

    /** @return batches a producer drained itself because it found the queue full and nobody draining. */
    public long producerDrains()
    {
        return helped.get();
    }

    /** @return how often a sink threw. */
    public long sinkFailures()
    {
        return sinkFailures.get();
    }

    /** @return the original's metering metrics (events_queued, events_flushed, events_dropped, queue_size, running, enabled). */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("events_queued", queue.queued());
        m.put("events_flushed", queue.flushed());
        m.put("events_dropped", queue.dropped());
        m.put("queue_size", queue.size());
        m.put("max_queue_size", queue.capacity());
        m.put("running", running);
        m.put("enabled", config.enabled());
        m.put("flushes", flushes.get());
        m.put("producer_drains", helped.get());
        m.put("sink_failures", sinkFailures.get());
        return m;
    }
}
