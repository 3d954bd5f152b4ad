package dev.eab.core.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import dev.eab.core.ops.BusMetrics;

/**
 * The single consumer of the ring: runs validate → govern → journal → route on each event, in ring
 * order, on the bus thread, timing each stage on a sample of messages. Whatever throws, the event still leaves with exactly one
 * outcome (rejected, fail closed) and the slot is cleared for reuse.
 */
public final class PipelineHandler implements EventHandler<MessageEvent>
{
    /**
     * Stage timings are sampled: one message in {@value #STAGE_SAMPLE_INTERVAL} (by ring sequence) is timed.
     * Timing every message costs five clock reads and five histogram writes (measured: saturation fell
     * from 11.4 M to 4.3 M msg/s); one in 64 keeps the percentiles meaningful at a cost lost in the noise.
     */
    public static final int STAGE_SAMPLE_INTERVAL = 64;
    private static final long STAGE_SAMPLE_MASK = STAGE_SAMPLE_INTERVAL - 1;

    private final Stage validate;
    private final Stage govern;
    private final Stage journal;
    private final RouteStage route;
    private final BusMetrics metrics;
    private final boolean timed;
    /**
     * The processor's sequence (gating the publishers), advanced every {@value #SEQUENCE_PUBLISH_INTERVAL} events and
     * at the end of each batch; see {@link #setSequenceCallback}.
     */
    private Sequence processed;
    /**
     * How often, in events, the gating sequence is advanced inside a batch. Not after every event: at saturation a
     * publisher spinning on a full ring reads that sequence on every claim attempt, so a store per event makes the bus
     * thread fetch the line back from the publisher's core on every message (the reasoning, and before/after runs too
     * noisy to show it on a loaded host: docs/BENCHMARKS.md "Pipe"). Every 64 events frees slots soon enough for the
     * publisher, and {@link #lastProcessed} keeps the exact position.
     */
    static final int SEQUENCE_PUBLISH_INTERVAL = 64;
    private static final long SEQUENCE_PUBLISH_MASK = SEQUENCE_PUBLISH_INTERVAL - 1;
    /**
     * The last sequence this handler finished (outcome given, slot cleared), after every event: bus thread writes
     * (release); {@link #processedSequence()} reads it (a halted run fails what follows it) and the audit writer
     * follows it ({@link #sequence()}), so a run that halts mid-step leaves no decided event unaudited. On its own
     * line, apart from what spinning publishers read.
     */
    private final Sequence lastProcessed = new Sequence();
    private final PathWarmer warmer;
    /** The ops meter (counters, metering, tenant budgets), or null; set before the bus thread starts. */
    private PipelineMeter meter;
    /** True when the audit writer reads this handler's ring behind it: each outcome is kept in its slot. */
    private final boolean audited;
    /** Run at the end of each batch (the audit writer's wake-up: a volatile read unless it sleeps), or null. */
    private Runnable afterBatch;
    /**
     * True when the journal holds routing until the end of the batch (whenever journaling is on: the batch's
     * records are one Chronicle document, written whole at the batch end, and msynced there under SYNC_PER_BATCH):
     * each event runs validate → govern → journal as it comes and waits in {@link #held}; at the batch end (or when
     * {@value #MAX_HELD_BATCH} wait) the journal closes (and syncs) the document, then they are routed in ring order,
     * so nothing is delivered and no sender is told "accepted" before its record is written. Their slots are not released (the sequence does not advance) until then.
     */
    private final boolean holdRoute;
    /** Most events held for one msync (bounds the wait a long ring batch would add). */
    static final int MAX_HELD_BATCH = 1024;
    private final MessageEvent[] held;
    private final long[] heldSequences;
    private final boolean[] heldRejected;
    private int heldCount;

    public PipelineHandler(
        final Stage validate, final Stage govern, final Stage journal, final RouteStage route, final BusMetrics metrics, final boolean timed)
    {
        this(validate, govern, journal, route, metrics, timed, false);
    }

    /**
     * @param audited true when an audit capture handler follows this one on the ring ({@code MessageEvent.captureAudit}).
     */
    public PipelineHandler(
        final Stage validate, final Stage govern, final Stage journal, final RouteStage route, final BusMetrics metrics, final boolean timed,
        final boolean audited)
    {
        this.audited = audited;
        this.validate = validate;
        this.govern = govern;
        this.journal = journal;
        this.route = route;
        this.metrics = metrics;
        this.timed = timed;
        this.warmer = new PathWarmer(validate, govern, journal, route);
        this.holdRoute = journal.holdsRouteUntilEndOfBatch();
        this.held = holdRoute ? new MessageEvent[MAX_HELD_BATCH] : null;
        this.heldSequences = holdRoute ? new long[MAX_HELD_BATCH] : null;
        this.heldRejected = holdRoute ? new boolean[MAX_HELD_BATCH] : null;
    }

    /** The wait strategy's idle tick ({@link PhasedWaitStrategy}): keep the path warm while the ring is empty. */
    @Override
    public void onTimeout(final long sequence)
    {
        warmer.run();
    }

    /** Installs the ops meter; before the handler runs (the bus thread starts after, which publishes the field). */
    public void meter(final PipelineMeter meter)
    {
        this.meter = meter;
    }

    /** @return the idle warm-up, for tests and diagnostics. */
    public PathWarmer warmer()
    {
        return warmer;
    }

    @Override
    public void onEvent(final MessageEvent e, final long sequence, final boolean endOfBatch)
    {
        if (holdRoute && e.kind != MessageEvent.KIND_BALLAST)
        {
            onEventHeld(e, sequence, endOfBatch);
            return;
        }
        if (e.kind == MessageEvent.KIND_BALLAST)
        {
            if (holdRoute)
            {
                routeHeld();
            }
            // Chaos ring exhaustion: held until its scenario ends, then passed without an outcome or a count.
            // What came before is released first (the gating sequence moves in steps): only the ballast holds slots.
            if (processed != null && lastProcessed.get() > processed.get())
            {
                processed.set(lastProcessed.get());
            }
            try
            {
                RingBallast.hold(e);
            }
            finally
            {
                e.clear();
                e.kind = 0;
                lastProcessed.set(sequence);
                if (processed != null)
                {
                    processed.set(sequence);
                }
            }
            return;
        }
        metrics.onProcessed();
        final PipelineMeter m = meter;
        final long rejectionsBefore = m == null ? 0 : metrics.busThreadRejections();
        try
        {
            final boolean sampled = timed && (sequence & STAGE_SAMPLE_MASK) == 0;
            final long t3 = throughJournal(e, m, sampled);
            route.onEvent(e);
            if (sampled)
            {
                final long t4 = System.nanoTime();
                metrics.record(BusMetrics.Stage.ROUTE, t4 - t3);
                metrics.record(BusMetrics.Stage.TOTAL, t4 - e.publishedNanos);
            }
        }
        catch (final Throwable t)
        {
            // Anything, Errors included (a StackOverflowError in one message fails that message): the
            // bus thread lives on. failClosed never throws (it falls back to a pre-built outcome).
            metrics.onPipelineFailure();
            if (!e.completed)
            {
                route.failClosed(e, t);
            }
        }
        finally
        {
            if (m != null)
            {
                meter(m, e, metrics.busThreadRejections() != rejectionsBefore);
            }
            if (audited)
            {
                e.captureAudit();
            }
            e.clear();
            // The exact position, per event: if the bus thread ends mid-batch, failing what is left must start
            // after the last event that got its outcome. An ordered store on a line no publisher reads.
            lastProcessed.set(sequence);
            // The gating sequence, in steps (the processor also sets it at the batch end; a subscription switch
            // reads the exact position through processedSequence()): see SEQUENCE_PUBLISH_INTERVAL.
            if (processed != null && (endOfBatch || (sequence & SEQUENCE_PUBLISH_MASK) == SEQUENCE_PUBLISH_MASK))
            {
                processed.set(sequence);
            }
            if (endOfBatch)
            {
                journal.endOfBatch();
                final Runnable after = afterBatch;
                if (after != null)
                {
                    after.run();
                }
            }
        }
    }

    /**
     * Validate (and admit), govern and journal one event, both paths' first three stages; when {@code sampled}, their
     * timings are recorded.
     *
     * @return the time the journal stage ended when sampled (where the route's timing starts), else 0.
     */
    private long throughJournal(final MessageEvent e, final PipelineMeter m, final boolean sampled)
    {
        if (!sampled)
        {
            validate.onEvent(e);
            admit(m, e);
            govern.onEvent(e);
            journal.onEvent(e);
            return 0;
        }
        final long t0 = System.nanoTime();
        validate.onEvent(e);
        admit(m, e);
        final long t1 = System.nanoTime();
        govern.onEvent(e);
        final long t2 = System.nanoTime();
        journal.onEvent(e);
        final long t3 = System.nanoTime();
        metrics.record(BusMetrics.Stage.VALIDATE, t1 - t0);
        metrics.record(BusMetrics.Stage.GOVERN, t2 - t1);
        metrics.record(BusMetrics.Stage.JOURNAL, t3 - t2);
        return t3;
    }

    /** Journaled: validate, govern and journal now; route with the rest of the batch once its document is written. */
    private void onEventHeld(final MessageEvent e, final long sequence, final boolean endOfBatch)
    {
        metrics.onProcessed();
        final PipelineMeter m = meter;
        final long rejectionsBefore = m == null ? 0 : metrics.busThreadRejections();
        try
        {
            // Sampled as on the unheld path; route and total are timed when the batch is routed.
            throughJournal(e, m, timed && (sequence & STAGE_SAMPLE_MASK) == 0);
        }
        catch (final Throwable t)
        {
            metrics.onPipelineFailure();
            if (!e.completed)
            {
                route.failClosed(e, t);
            }
        }
        final int i = heldCount++;
        held[i] = e;
        heldSequences[i] = sequence;
        heldRejected[i] = m != null && metrics.busThreadRejections() != rejectionsBefore;
        if (endOfBatch || heldCount == MAX_HELD_BATCH)
        {
            routeHeld();
        }
    }

    /** Syncs the journal, then routes the held events in ring order and releases their slots. */
    private void routeHeld()
    {
        final int n = heldCount;
        if (n == 0)
        {
            return;
        }
        heldCount = 0;
        journal.endOfBatch();
        for (int i = 0; i < n; i++)
        {
            final MessageEvent e = held[i];
            held[i] = null;
            final PipelineMeter m = meter;
            final long rejectionsBefore = m == null ? 0 : metrics.busThreadRejections();
            try
            {
                if (!e.completed)
                {
                    if (timed && (heldSequences[i] & STAGE_SAMPLE_MASK) == 0)
                    {
                        final long t0 = System.nanoTime();
                        route.onEvent(e);
                        final long t1 = System.nanoTime();
                        metrics.record(BusMetrics.Stage.ROUTE, t1 - t0);
                        metrics.record(BusMetrics.Stage.TOTAL, t1 - e.publishedNanos);
                    }
                    else
                    {
                        route.onEvent(e);
                    }
                }
            }
            catch (final Throwable t)
            {
                metrics.onPipelineFailure();
                if (!e.completed)
                {
                    route.failClosed(e, t);
                }
            }
            finally
            {
                if (m != null)
                {
                    meter(m, e, heldRejected[i] || metrics.busThreadRejections() != rejectionsBefore);
                }
                if (audited)
                {
                    e.captureAudit();
                }
                e.clear();
                lastProcessed.set(heldSequences[i]);
                if (processed != null)
                {
                    processed.set(heldSequences[i]);
                }
            }
        }
        journal.afterHeldRoute();
        final Runnable after = afterBatch;
        if (after != null)
        {
            after.run();
        }
    }

    private static void admit(final PipelineMeter m, final MessageEvent e)
    {
        if (m != null && e.rejectCode == 0 && !e.replay)
        {
            m.admit(e);
        }
    }

    /** The meter must not end the message's processing: whatever it throws is counted, never rethrown. */
    private void meter(final PipelineMeter m, final MessageEvent e, final boolean rejected)
    {
        try
        {
            m.processed(e, rejected);
        }
        catch (final Throwable t)
        {
            metrics.onPipelineFailure();
        }
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.processed = sequenceCallback;
    }

    /**
     * Counted down when the bus thread's processor runs. A stop must not race the start: the Disruptor's shutdown
     * ignores a processor that has not started yet and its halt then ends it before it reads anything; the bus waits
     * for this before it accepts messages.
     */
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void onStart()
    {
        started.countDown();
    }

    /** @return true once the handler runs on its processor (waits up to {@code timeoutMs}). */
    public boolean awaitStarted(final long timeoutMs)
    {
        try
        {
            return started.await(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Installs the end-of-batch hook (the audit writer's wake-up); before the handler runs. */
    public void afterBatch(final Runnable hook)
    {
        this.afterBatch = hook;
    }

    /**
     * @return the exact position, advanced after each event has its outcome (the audit writer follows it; the gating
     * sequence moves in steps of {@value #SEQUENCE_PUBLISH_INTERVAL}).
     */
    public Sequence sequence()
    {
        return lastProcessed;
    }

    /** @return the last sequence this handler processed, or {@link Long#MIN_VALUE} before it runs on a processor. */
    public long processedSequence()
    {
        final Sequence s = processed;
        return s == null ? Long.MIN_VALUE : Math.max(s.get(), lastProcessed.get());
    }
}
