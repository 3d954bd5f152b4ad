package dev.eab.core.audit;

import dev.eab.api.AuditBackpressure;
import dev.eab.core.ops.SafeLog;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.HealthStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The bus's decision log: a bounded queue of {@link AuditEntry}s drained by one writer thread
 * ({@code eab-audit}) into the BLAKE3 chain ({@link AuditChainWriter}). {@link #record} is the hook every layer
 * calls (the bus's audit capture for accepts and rejects, registration and identity, and governance or policy
 * layers for holds, approvals, review rejections and policy reloads); never from the bus thread, which
 * only copies its outcome into the ring slot ({@code MessageEvent.captureAudit}).
 *
 * <p>When the writer falls behind, {@link AuditBackpressure} applies. BLOCK: the queue holds
 * {@code queueCapacity} records, then {@link #record} waits (for the capture thread this makes the ring
 * fill, so publishers get the ring's backpressure; the bus thread itself never waits). OVERFLOW: up to
 * {@code overflowCapacity} more records wait, counted, with {@link #lagging()} true and {@link #health()}
 * CRITICAL; a full overflow then waits as BLOCK does. Either way, every record reaches the chain: nothing is
 * dropped, and a record refused (after {@link #close()}) throws.
 *
 * <p>The anchor trails the chain by at most {@value #ANCHOR_INTERVAL_MS} ms (and is written on close): often
 * enough that a cut tail is caught to within that window, rarely enough (≤ 100 renames a second) to cost the
 * writer nothing at any rate.
 */
public final class AuditLog implements AutoCloseable, HealthSource
{
    /** Longest time the anchor may trail the chain. */
    public static final long ANCHOR_INTERVAL_MS = 10;
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int BATCH = 4096;
    private static final long IDLE_POLL_MS = 50;

    private final Path dir;
    private final AuditChainWriter writer;
    private final AuditBackpressure policy;
    private final int queueCapacity;
    private final int overflowCapacity;
    private final ArrayBlockingQueue<AuditEntry> queue;
    private final Thread thread;
    private final LongAdder submitted = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder producerWaits = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private final AtomicLong peakBacklog = new AtomicLong();
    private final long initialRecords;
    private volatile long anchored = -1;
    private volatile boolean lagging;
    private volatile boolean closed;
    private volatile String failure;
    private volatile boolean suspended;

    /**
     * Opens the chain in {@code dir} (continuing it when it exists) and starts the writer thread.
     *
     * @throws dev.eab.api.exception.ConfigurationException when the existing log fails its anchor check.
     */
    public AuditLog(
        final Path dir, final ChainHasher hasher, final AuditBackpressure policy, final int queueCapacity, final int overflowCapacity)
    {
        this.dir = dir;
        this.writer = new AuditChainWriter(dir, hasher);
        this.policy = policy;
        this.queueCapacity = queueCapacity;
        this.overflowCapacity = policy == AuditBackpressure.OVERFLOW ? overflowCapacity : 0;
        this.queue = new ArrayBlockingQueue<>(queueCapacity + this.overflowCapacity);
        this.initialRecords = writer.records();
        this.written.set(initialRecords);
        this.thread = new Thread(this::run, "eab-audit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues one record for the chain. Any thread but the bus thread: it may wait (see the class comment).
     *
     * @throws IllegalStateException after {@link #close()} or once the writer has failed: the record would
     *                               otherwise be lost without a trace.
     */
    public void record(final AuditEntry entry)
    {
        if (closed || failure != null)
        {
            throw new IllegalStateException("audit log " + dir + " is " + (failure != null ? "failed: " + failure : "closed") +
                "; record refused: " + entry.kind() + " " + entry.traceId());
        }
        if (!queue.offer(entry))
        {
            producerWaits.increment();
            lagging = true;
            boolean interrupted = false;
            while (true)
            {
                try
                {
                    queue.put(entry);
                    break;
                }
                catch (final InterruptedException e)
                {
                    // The record must still reach the chain; keep the interrupt for the caller.
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
        submitted.increment();
        final int backlog = queue.size();
        if (backlog > peakBacklog.get())
        {
            peakBacklog.accumulateAndGet(backlog, Math::max);
        }
        if (backlog > queueCapacity)
        {
            overflowed.increment();
            if (!lagging)
            {
                lagging = true;
                LOG.warning("audit: the writer is behind: " + backlog + " records waiting (queue " + queueCapacity + ", overflow " +
                    overflowCapacity + "); health CRITICAL until it catches up");
            }
        }
    }

    private void run()
    {
        final List<AuditEntry> batch = new ArrayList<>(BATCH);
        long lastAnchorMs = System.currentTimeMillis();
        try
        {
            while (true)
            {
                while (suspended && !closed)
                {
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                batch.clear();
                if (queue.drainTo(batch, BATCH) == 0)
                {
                    // Caught up: the anchor follows within ANCHOR_INTERVAL_MS, not per record, so a trickle of
                    // records does not cost a file rename each (bounded to 1000 / ANCHOR_INTERVAL_MS a second).
                    final boolean dirty = anchored != writer.records() - 1;
                    final long dueInMs = lastAnchorMs + ANCHOR_INTERVAL_MS - System.currentTimeMillis();
                    if (dirty && dueInMs <= 0)
                    {
                        flushAnchor();
                        lastAnchorMs = System.currentTimeMillis();
                        continue;
                    }
                    if (closed && queue.isEmpty())
                    {
                        return;
                    }
                    final AuditEntry next = queue.poll(dirty ? Math.max(1, dueInMs) : IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                    if (next == null)
                    {
                        continue;
                    }
                    batch.add(next);
                }
                for (int i = 0; i < batch.size(); i++)
                {
                    writer.append(batch.get(i));
                    written.incrementAndGet();
                }
                if (lagging && queue.size() <= queueCapacity / 2)
                {
                    lagging = false;
                }
                final long now = System.currentTimeMillis();
                if (now - lastAnchorMs >= ANCHOR_INTERVAL_MS)
                {
                    flushAnchor();
                    lastAnchorMs = now;
                }
            }
        }
        catch (final Throwable t)
        {
            failure = dev.eab.api.exception.ThrowableText.describe(t);
            SafeLog.severe(LOG, "audit writer failed; later records are refused and health is CRITICAL", t);
        }
    }

    private void flushAnchor()
    {
        writer.flush();
        anchored = writer.records() - 1;
    }

    /**
     * Waits until every record queued so far is in the chain and anchored.
     *
     * @return true when it got there within the timeout.
     */
    public boolean awaitFlushed(final long timeoutMs)
    {
        final long target = submittedCount();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (anchored + 1 < target || written.get() < target)
        {
            if (failure != null || System.nanoTime() - deadline > 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private long submittedCount()
    {
        // Records already in the chain when this log opened count as submitted.
        return submitted.sum() + initialRecords;
    }

    /** Stops accepting, writes everything queued, writes the anchor and closes the queue. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }

    /**
     * Stalls the writer, as a hung disk would, until {@link #resumeWriter()}: for back-pressure drills and tests.
     * Records keep queuing and the configured {@link AuditBackpressure} applies; none is lost.
     */
    public void suspendWriter()
    {
        suspended = true;
    }

    /** Lets a writer stalled by {@link #suspendWriter()} go on. */
    public void resumeWriter()
    {
        suspended = false;
    }

    /** @return records in the chain (including those there before this log opened). */
    public long written()
    {
        return written.get();
    }

    /** @return true while more records wait than the queue capacity (OVERFLOW) or a producer waited (BLOCK). */
    public boolean lagging()
    {
        return lagging;
    }

    /** @return the audit directory. */
    public Path dir()
    {
        return dir;
    }

    @Override
    public HealthSnapshot health()
    {
        final boolean critical = lagging || failure != null;
        return new HealthSnapshot(critical ? HealthStatus.CRITICAL : HealthStatus.HEALTHY, critical ? 0.0 : 1.0, List.of(),
            critical ? List.of("audit") : List.of(), Map.of(), Instant.now());
    }

    /** @return the counters, for {@code getMetrics()["audit"]}. */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", true);
        m.put("dir", dir.toString());
        m.put("hasher", writer.hasherName());
        m.put("backpressure", policy.name().toLowerCase(java.util.Locale.ROOT));
        m.put("records", written.get());
        m.put("queued", queue.size());
        m.put("queue_capacity", queueCapacity);
        m.put("overflow_capacity", overflowCapacity);
        m.put("overflowed", overflowed.sum());
        m.put("producer_waits", producerWaits.sum());
        m.put("peak_backlog", peakBacklog.get());
        m.put("lagging", lagging);
        m.put("health", health().status().name());
        m.put("failure", failure == null ? "" : failure);
        return m;
    }
}
