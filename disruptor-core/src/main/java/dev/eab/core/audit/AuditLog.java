package dev.eab.core.audit;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import dev.eab.api.AuditBackpressure;
import dev.eab.core.ops.SafeLog;
import dev.eab.core.pipeline.MessageEvent;
import dev.eab.core.resilience.HealthSnapshot;
import dev.eab.core.resilience.HealthSource;
import dev.eab.core.resilience.HealthStatus;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

/**
 * The bus's decision log: one writer thread ({@code eab-audit}) turns decisions into the BLAKE3 chain
 * ({@link AuditChainWriter}: one hashing call and one Chronicle document per batch), from two sources in one order:
 * <ul>
 * <li>the bus ring itself ({@link AuditFeed}, one per bus run, {@link #attach}ed at start): the writer is the ring's
 * second consumer, behind the pipeline, and encodes every decision straight from its ring slot (no capture thread,
 * no copy);</li>
 * <li>a pre-allocated multi-producer ring of {@link AuditSlot}s for everything else: {@link #record} is the hook
 * every other layer calls (registration and identity, holds decided, review rejections, policy reloads), and
 * {@link #recordFailed} takes the messages a stopping bus fails; never from the bus thread while it processes.</li>
 * </ul>
 * Each pass reads how far the bus ring's pipeline has got <em>before</em> how far the slot ring is published, then
 * writes the slot records first: a record another layer made before a message was sent (a registration) precedes
 * that message's decision in the chain. Neither ring's slots are released before the batch holding their records is
 * committed to Chronicle, so a slot is never reused (nor a waiting producer let in) ahead of the log.
 *
 * <p>When the writer falls behind, {@link AuditBackpressure} applies. Bus decisions wait in the bus ring itself: when
 * more than {@code queueCapacity} wait the log reports itself {@link #lagging()} and {@link #health()} CRITICAL, and once
 * the ring is full publishers get the bus's backpressure (the bus thread never waits on audit). Other layers' records:
 * the slot ring's size is {@code queueCapacity + overflowCapacity} rounded up to a power of two. BLOCK: it holds
 * {@code queueCapacity} records, then producers wait (counted). OVERFLOW: up to {@code overflowCapacity} more records
 * wait, counted, with {@link #lagging()} true and CRITICAL health; a full overflow then waits as BLOCK does. Either
 * way every record reaches the chain: nothing is dropped, and a record refused (after {@link #close()} or a writer
 * failure) throws. A failed writer releases nothing more: the bus ring fills and publishers are pushed back.
 *
 * <p>The anchor trails the chain by at most {@value #ANCHOR_INTERVAL_MS} ms (and is written on close). An idle writer
 * parks: briefly while records trickle in, then (nothing staged, anchor written) up to {@value #SLEEP_MS} ms, woken by
 * the first record of either source ({@link #wake()}: one volatile read per bus batch while it is awake).
 */
public final class AuditLog implements AutoCloseable, HealthSource
{
    /** Longest time the anchor may trail the chain. */
    public static final long ANCHOR_INTERVAL_MS = 10;
    /** Longest park of an idle writer (a missed wake-up costs at most this). */
    static final long SLEEP_MS = 100;
    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    /** How long a writer parks between polls while records trickle in, and for how many empty polls before it sleeps. */
    private static final long IDLE_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int IDLE_POLLS_BEFORE_SLEEP = 200;
    private static final long SLEEP_NS = TimeUnit.MILLISECONDS.toNanos(SLEEP_MS);
    /**
     * A pass that found fewer records than this (a trickle, not a backlog) is followed by a short park, so the next pass
     * finds a bigger batch: per-batch costs (the hashing call, the Chronicle document, the release) and wake-ups are paid
     * once per ~{@value #GATHER_BELOW_RECORDS} records instead of once per handful. A record reaches the chain at most
     * {@link #GATHER_PARK_NS} later; delivery never waits for it. Above ~{@value #GATHER_BELOW_RECORDS} records per park
     * (~600k records/s) passes find full batches and the writer no longer parks.
     */
    private static final int GATHER_BELOW_RECORDS = 64;
    private static final long GATHER_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    private final Path dir;
    private final AuditChainWriter writer;
    private final AuditRecordDescriptor.Encoder encoder;
    private final AuditBackpressure policy;
    private final int queueCapacity;
    private final int overflowCapacity;
    private final RingBuffer<AuditSlot> ring;
    /** The writer's position on the slot ring (gates it): every slot up to it is committed. */
    private final Sequence sideSequence = new Sequence();
    private final Thread thread;
    /** Bus runs attached but not yet read: the writer takes the next once the current one's pipeline has ended and it is drained. */
    private final ConcurrentLinkedQueue<AuditFeed> pendingFeeds = new ConcurrentLinkedQueue<>();
    /** Writer thread only: the bus run it reads. */
    private AuditFeed feed;
    /** Writer thread only: bus decisions waiting when the last pass began (what it found behind it). */
    private long observedBusBacklog;
    /** The last run attached (what {@link #awaitFlushed} waits for). */
    private volatile AuditFeed lastFeed;
    private final LongAdder submitted = new LongAdder();
    private final AtomicLong written = new AtomicLong();
    private final LongAdder producerWaits = new LongAdder();
    private final LongAdder overflowed = new LongAdder();
    private final LongAdder busLagEpisodes = new LongAdder();
    private final AtomicLong peakBacklog = new AtomicLong();
    private final AtomicLong wakeups = new AtomicLong();
    private volatile long anchored = -1;
    private volatile boolean lagging;
    private volatile boolean closed;
    private volatile String failure;
    private volatile boolean suspended;
    /** True while the writer sleeps (idle); a producer that sees it unparks the writer. */
    private volatile boolean sleeping;

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
        this.encoder = writer.encoder();
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
        ring.addGatingSequences(sideSequence);
        this.written.set(writer.records());
        this.thread = new Thread(this::run, "eab-audit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Makes a bus run's ring a source of this log (before that ring is started): its {@link AuditFeed#sequence()}
     * gates the ring, and the writer reads it once the previous run's ring is drained.
     */
    public void attach(final AuditFeed busFeed)
    {
        busFeed.ring().addGatingSequences(busFeed.sequence());
        pendingFeeds.add(busFeed);
        lastFeed = busFeed;
        wake();
    }

    /**
     * Wakes an idle writer: the bus thread calls it at the end of each batch. Costs one volatile read while the writer
     * is awake; allocation-free.
     */
    public void wake()
    {
        if (sleeping)
        {
            sleeping = false;
            wakeups.incrementAndGet();
            LockSupport.unpark(thread);
        }
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
        wake();
    }

    /**
     * The run's bus thread, as it ends: records the outcome of a message it failed after the pipeline stopped
     * ({@code BUS_STOPPED}; one record per broadcast recipient) through the slot ring, after every decision the
     * pipeline made (call {@link #catchUp} first). Releases the slot's audit fields.
     *
     * @throws IllegalStateException after {@link #close()} or once the writer has failed.
     */
    public void recordFailed(final AuditFeed busFeed, final MessageEvent e)
    {
        try
        {
            final int n = AuditFeed.records(e);
            for (int i = 0; i < n; i++)
            {
                final long claimed = claim(null);
                try
                {
                    busFeed.fill(ring.get(claimed), e, AuditFeed.code(e, i), AuditFeed.recipient(e, i));
                }
                finally
                {
                    ring.publish(claimed);
                }
            }
            wake();
        }
        finally
        {
            e.releaseAudit();
        }
    }

    /**
     * The run's bus thread, as it ends: waits until the writer has committed every decision the pipeline made (up to
     * {@code processed}), so the outcomes failed after it follow them in the chain.
     *
     * @return false when the writer did not get there within {@code timeoutMs} (logged), or has failed or closed.
     */
    public boolean catchUp(final AuditFeed busFeed, final long processed, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (busFeed.sequence().get() < processed)
        {
            if (failure != null || closed)
            {
                return false;
            }
            if (System.nanoTime() - deadline > 0)
            {
                LOG.severe("audit: the writer did not reach sequence " + processed + " within " + timeoutMs +
                    " ms as the bus stopped; the decisions failed after it may precede some before it in the chain");
                return false;
            }
            wake();
            LockSupport.parkNanos(IDLE_PARK_NS);
        }
        return true;
    }

    /** @param what the entry being recorded (named if it is refused), or null for a failed message's outcome. */
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
        final long backlog = claimed - sideSequence.get();
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
            wake();
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

    private long sideBacklog()
    {
        return ring.getCursor() - sideSequence.get();
    }

    /** @return bus decisions waiting for the writer (the run it reads, and runs attached after it). */
    private long busBacklog()
    {
        final AuditFeed f = lastFeed;
        return f == null ? 0 : Math.max(0, f.backlog());
    }

    /**
     * @return how many bus decisions may wait before the log reports itself behind: the audit queue's capacity, or
     * three quarters of the bus ring when that is smaller (publishers are pushed back at a full ring, so the signal
     * must come before).
     */
    private long busLagThreshold(final AuditFeed f)
    {
        final int ringSize = f.ring().getBufferSize();
        return Math.min(queueCapacity, ringSize - ringSize / 4);
    }

    /** Writer thread: the run to read, moving to the next attached run once the current one has ended and is drained. */
    private AuditFeed currentFeed()
    {
        AuditFeed f = feed;
        while (!pendingFeeds.isEmpty() && (f == null || f.backlog() <= 0))
        {
            // A run is attached only after the previous run's bus thread has ended, so its pipeline sequence is final.
            f = pendingFeeds.poll();
            feed = f;
        }
        return f;
    }

    /**
     * Writer thread: one pass over both sources. Each batch is committed (chained and appended as one Chronicle document)
     * before the slots its records came from are released.
     *
     * @return ring slots consumed (0 when there was nothing to do).
     */
    private long drainOnce()
    {
        final AuditFeed f = currentFeed();
        // The bus ring's progress first, then the slot ring's: a record published before a message's decision is seen.
        final long busAvailable = f == null ? -1 : f.upstream();
        long sideAvailable = sideSequence.get();
        final long cursor = ring.getCursor();
        while (sideAvailable < cursor && ring.isAvailable(sideAvailable + 1))
        {
            sideAvailable++;
        }
        long sideDone = sideSequence.get();
        final long sideFrom = sideDone;
        for (long s = sideDone + 1; s <= sideAvailable; s++)
        {
            if (writer.full())
            {
                commitAndRelease(sideDone, null, 0);
            }
            final AuditSlot slot = ring.get(s);
            try
            {
                writer.stage(AuditFeed.encode(slot, writer.records(), encoder));
            }
            finally
            {
                slot.clear();
            }
            sideDone = s;
        }
        long consumed = sideDone - sideFrom;
        if (f != null)
        {
            final long busFrom = f.sequence().get();
            if (busAvailable > busFrom)
            {
                f.refreshPolicyVersion();
                final RingBuffer<MessageEvent> bus = f.ring();
                for (long b = busFrom + 1; b <= busAvailable; b++)
                {
                    final MessageEvent e = bus.get(b);
                    final int n = AuditFeed.records(e);
                    for (int i = 0; i < n; i++)
                    {
                        if (writer.full())
                        {
                            commitAndRelease(sideDone, f, b - 1);
                        }
                        writer.stage(f.encode(e, AuditFeed.code(e, i), AuditFeed.recipient(e, i), writer.records(), encoder));
                    }
                    if (n != 0)
                    {
                        e.releaseAudit();
                    }
                }
                final long backlog = busAvailable - busFrom;
                observedBusBacklog = backlog;
                if (backlog > peakBacklog.get())
                {
                    peakBacklog.accumulateAndGet(backlog, Math::max);
                }
                consumed += backlog;
                commitAndRelease(sideDone, f, busAvailable);
                return consumed;
            }
        }
        commitAndRelease(sideDone, null, 0);
        return consumed;
    }

    /** Chains and appends the staged batch, then releases the slots its records came from. */
    private void commitAndRelease(final long sideUpTo, final AuditFeed f, final long busUpTo)
    {
        writer.commit();
        written.set(writer.committed());
        sideSequence.set(sideUpTo);
        if (f != null)
        {
            f.sequence().set(busUpTo);
        }
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
                final long consumed = drainOnce();
                updateLagging();
                final long now = System.currentTimeMillis();
                // The anchor follows within ANCHOR_INTERVAL_MS, not per record or batch, so a trickle of records
                // does not cost a file rename each (bounded to 1000 / ANCHOR_INTERVAL_MS a second).
                final boolean dirty = anchored != writer.records() - 1;
                if (dirty && now - lastAnchorMs >= ANCHOR_INTERVAL_MS)
                {
                    flushAnchor();
                    lastAnchorMs = now;
                }
                if (consumed > 0)
                {
                    idlePolls = 0;
                    if (consumed < GATHER_BELOW_RECORDS && !closed && !lagging)
                    {
                        LockSupport.parkNanos(GATHER_PARK_NS);
                    }
                    continue;
                }
                if (closed && sideBacklog() <= 0 && pendingFeeds.isEmpty() && (feed == null || feed.backlog() <= 0))
                {
                    return;
                }
                idlePolls++;
                if (idlePolls <= IDLE_POLLS_BEFORE_SLEEP || dirty)
                {
                    LockSupport.parkNanos(IDLE_PARK_NS);
                    continue;
                }
                // Idle: sleep until a producer wakes us. The flag is set before the last look for work (a producer
                // publishes, then reads it), so a record published meanwhile is either seen here or wakes the park.
                sleeping = true;
                if (!hasWork())
                {
                    LockSupport.parkNanos(SLEEP_NS);
                }
                sleeping = false;
            }
        }
        catch (final Throwable t)
        {
            failure = dev.eab.api.exception.ThrowableText.describe(t);
            SafeLog.severe(LOG, "audit writer failed; later records are refused and health is CRITICAL", t);
        }
    }

    private boolean hasWork()
    {
        return closed || sideBacklog() > 0 || !pendingFeeds.isEmpty() || (feed != null && feed.backlog() > 0);
    }

    private void updateLagging()
    {
        final AuditFeed f = feed;
        final long bus = Math.max(observedBusBacklog, f == null ? 0 : f.backlog());
        observedBusBacklog = 0;
        final long threshold = f == null ? queueCapacity : busLagThreshold(f);
        if (!lagging && bus > threshold)
        {
            lagging = true;
            busLagEpisodes.increment();
            LOG.warning("audit: the writer is behind the bus: " + bus + " decisions waiting in the ring (threshold " + threshold +
                "); health CRITICAL until it catches up");
        }
        else if (lagging && sideBacklog() <= queueCapacity / 2 && bus <= threshold / 2)
        {
            lagging = false;
        }
    }

    private void flushAnchor()
    {
        writer.flush();
        anchored = writer.records() - 1;
    }

    /**
     * Waits until every record queued so far (other layers' records and the decisions the bus has made) is in the
     * chain and anchored.
     *
     * @return true when it got there within the timeout.
     */
    public boolean awaitFlushed(final long timeoutMs)
    {
        final AuditFeed f = lastFeed;
        final long busTarget = f == null ? -1 : f.upstream();
        final long sideTarget = ring.getCursor();
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (sideSequence.get() < sideTarget || (f != null && f.sequence().get() < busTarget) || anchored + 1 < written.get())
        {
            if (failure != null || System.nanoTime() - deadline > 0)
            {
                return false;
            }
            wake();
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

    /** Stops accepting, writes everything queued, writes the anchor and closes the queue. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        LockSupport.unpark(thread);
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

    /**
     * @return true while more records wait than the queue capacity (other layers' records under OVERFLOW, or bus
     * decisions in the ring) or a producer waited (BLOCK).
     */
    public boolean lagging()
    {
        final AuditFeed f = lastFeed;
        return lagging || (f != null && f.backlog() > busLagThreshold(f));
    }

    /** @return the audit directory. */
    public Path dir()
    {
        return dir;
    }

    @Override
    public HealthSnapshot health()
    {
        final boolean critical = lagging() || failure != null;
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
        m.put("queued", Math.max(0, sideBacklog()) + busBacklog());
        m.put("queue_capacity", queueCapacity);
        m.put("overflow_capacity", overflowCapacity);
        m.put("overflowed", overflowed.sum());
        m.put("producer_waits", producerWaits.sum());
        m.put("bus_lag_episodes", busLagEpisodes.sum());
        m.put("peak_backlog", peakBacklog.get());
        m.put("writer_wakeups", wakeups.get());
        m.put("documents", writer.documents());
        m.put("pretouched_pages", writer.pagesPretouched());
        m.put("lagging", lagging());
        m.put("health", health().status().name());
        m.put("failure", failure == null ? "" : failure);
        return m;
    }
}
