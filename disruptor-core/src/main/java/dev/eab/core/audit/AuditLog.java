package dev.eab.core.audit;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import dev.eab.api.AuditBackpressure;
import dev.eab.core.ops.SafeLog;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.HealthStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The bus's decision log: a pre-allocated multi-producer ring of {@link AuditSlot}s (a Disruptor
 * {@link RingBuffer}: no per-record queue node or lock) drained in batches by one writer thread
 * ({@code eab-audit}) into the BLAKE3 chain ({@link AuditChainWriter}: one hashing call and one Chronicle
 * document per batch). Two ways in, one order: the bus's {@link AuditCapture} copies each decision into a
 * slot ({@link #claim}/{@link #slot}/{@link #publish}, allocation-free), and {@link #record} is the hook
 * every other layer calls (registration and identity, holds decided, review rejections, policy reloads);
 * never from the bus thread, which only copies its outcome into the ring slot ({@code MessageEvent.captureAudit}).
 *
 * <p>When the writer falls behind, {@link AuditBackpressure} applies (the ring's size is
 * {@code queueCapacity + overflowCapacity} rounded up to a power of two). BLOCK: the ring holds
 * {@code queueCapacity} records, then producers wait (for the capture thread this makes the ring
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
    /** How long an idle writer parks between polls: short while records trickle in, longer once idle. */
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long LONG_IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int IDLE_POLLS_BEFORE_LONG_PARK = 200;

    private final Path dir;
    private final AuditChainWriter writer;
    private final AuditBackpressure policy;
    private final int queueCapacity;
    private final int overflowCapacity;
    private final RingBuffer<AuditSlot> ring;
    private final EventPoller<AuditSlot> poller;
    private final EventPoller.Handler<AuditSlot> drain = this::drain;
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
        final long capacity = (long)queueCapacity + this.overflowCapacity;
        if (queueCapacity < 1 || capacity > 1 << 30)
        {
            writer.close();
            throw new IllegalArgumentException("audit queue capacity " + queueCapacity + " + overflow " + this.overflowCapacity +
                " must be 1 .. 2^30");
        }
        // Producers claim with tryNext and wait themselves (counted), so the ring's wait strategy is never used.
        this.ring = RingBuffer.createMultiProducer(AuditSlot::new, Integer.highestOneBit((int)Math.max(1, capacity * 2 - 1)),
            new com.lmax.disruptor.BusySpinWaitStrategy());
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
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
        final long claimed = claim(entry);
        final AuditSlot s = ring.get(claimed);
        s.clear();
        s.entry = entry;
        ring.publish(claimed);
    }

    /**
     * Claims a hand-off slot for a captured decision (the audit capture thread); fill it through
     * {@link #slot} and always {@link #publish} it. Waits as {@link AuditBackpressure} says.
     *
     * @throws IllegalStateException after {@link #close()} or once the writer has failed.
     */
    long claim()
    {
        return claim(null);
    }

    /** @return the slot of a claimed sequence. */
    AuditSlot slot(final long claimed)
    {
        return ring.get(claimed);
    }

    /** Hands a claimed slot to the writer. */
    void publish(final long claimed)
    {
        ring.publish(claimed);
    }

    /** @param what the entry being recorded (named if it is refused), or null for a captured decision. */
    private long claim(final AuditEntry what)
    {
        refuseWhenClosedOrFailed(what);
        long claimed;
        try
        {
            claimed = ring.tryNext();
        }
        catch (final InsufficientCapacityException full)
        {
            producerWaits.increment();
            lagging = true;
            claimed = claimWaiting(what);
        }
        submitted.increment();
        final long backlog = claimed - poller.getSequence().get();
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
        return claimed;
    }

    /** The ring is full: wait for the writer (BLOCK, or a full OVERFLOW); a failed writer ends the wait with an exception. */
    private long claimWaiting(final AuditEntry what)
    {
        while (true)
        {
            LockSupport.parkNanos(IDLE_PARK_NS);
            if (failure != null)
            {
                refuseWhenClosedOrFailed(what);
            }
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException stillFull)
            {
                // keep waiting: the record must reach the chain
            }
        }
    }

    private void refuseWhenClosedOrFailed(final AuditEntry what)
    {
        if (closed || failure != null)
        {
            throw new IllegalStateException("audit log " + dir + " is " + (failure != null ? "failed: " + failure : "closed") +
                "; record refused" + (what == null ? "" : ": " + what.kind() + " " + what.traceId()));
        }
    }

    /** Writer thread, for each published slot: encode into the writer's batch (committed when full or after the poll). */
    private boolean drain(final AuditSlot s, final long sequence, final boolean endOfBatch)
    {
        try
        {
            writer.appendCaptured(s);
        }
        finally
        {
            s.clear();
        }
        return true;
    }

    private long backlog()
    {
        return ring.getCursor() - poller.getSequence().get();
    }

    private void run()
    {
        long lastAnchorMs = System.currentTimeMillis();
        int idlePolls = 0;
        try
        {
            while (true)
            {
                while (suspended && !closed)
                {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                final EventPoller.PollState state = poller.poll(drain);
                writer.commit();
                written.set(writer.committed());
                if (lagging && backlog() <= queueCapacity / 2)
                {
                    lagging = false;
                }
                final long now = System.currentTimeMillis();
                // The anchor follows within ANCHOR_INTERVAL_MS, not per record or batch, so a trickle of records
                // does not cost a file rename each (bounded to 1000 / ANCHOR_INTERVAL_MS a second).
                final boolean dirty = anchored != writer.records() - 1;
                if (dirty && now - lastAnchorMs >= ANCHOR_INTERVAL_MS)
                {
                    flushAnchor();
                    lastAnchorMs = now;
                }
                if (state == EventPoller.PollState.PROCESSING)
                {
                    idlePolls = 0;
                    continue;
                }
                if (closed && backlog() <= 0)
                {
                    return;
                }
                idlePolls++;
                LockSupport.parkNanos(idlePolls > IDLE_POLLS_BEFORE_LONG_PARK && !dirty ? LONG_IDLE_PARK_NS : IDLE_PARK_NS);
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
        try
        {
            writer.close();
        }
        catch (final RuntimeException e)
        {
            if (failure == null)
            {
                throw e;
            }
            // Already failed (reported, health CRITICAL): the batch it could not chain cannot be written now either;
            // the queue itself was closed by the writer's close.
            SafeLog.severe(LOG, "audit: closing a failed writer; its last unchained batch is not in the log", e);
        }
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
        m.put("queued", Math.max(0, backlog()));
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
