package dev.eab.core.ops;

import dev.eab.api.RejectReason;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bus's counters and per-stage latency histograms.
 *
 * <p>Threading: {@code processed}, {@code rejected} and the stage recorders have one writer, the bus
 * thread (single-writer {@link AtomicLongArray#lazySet} and {@link SingleWriterRecorder}: no locks, no
 * allocation). Deliveries and handler failures also happen on inbox threads, so they are
 * {@link LongAdder}s. {@link #snapshot()} may be called from any thread.
 */
public final class BusMetrics
{
    /** Per-stage timings, in pipeline order. */
    public enum Stage
    {
        VALIDATE, GOVERN, JOURNAL, ROUTE, TOTAL
    }

    /** Largest latency the histograms track, ns: 10 s. */
    private static final long HIGHEST_TRACKABLE_NS = 10_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final AtomicLongArray counters = new AtomicLongArray(1);
    private final AtomicLongArray rejected = new AtomicLongArray(RejectReason.count());
    private final LongAdder delivered = new LongAdder();
    /**
     * Deliveries made on the bus thread (INLINE handlers): its single writer counts with a plain increment and an
     * ordered store, not the adder's locked add (one fewer locked instruction per message at saturation).
     */
    private final AtomicLongArray busThreadDelivered = new AtomicLongArray(1);
    private final LongAdder handlerFailed = new LongAdder();
    private final LongAdder backpressure = new LongAdder();
    private final LongAdder pipelineFailures = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();
    private final LongAdder inboxThreadsReplaced = new LongAdder();
    private final LongAdder identityRejected = new LongAdder();
    private final AtomicLongArray guardrailBlocked = new AtomicLongArray(Long.SIZE);
    private final AtomicLongArray guardrailFlagged = new AtomicLongArray(Long.SIZE);
    private final AtomicLongArray guardrailMessages = new AtomicLongArray(2);
    /** Rego step, bus thread only: cache hits, cache misses, allowed, denied, evaluation errors. */
    private final AtomicLongArray rego = new AtomicLongArray(5);
    /** Rego bundle reloads (any thread): compiled and offered, failed (the previous bundle stays). */
    private final LongAdder regoReloads = new LongAdder();
    private final LongAdder regoReloadFailures = new LongAdder();
    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[Stage.values().length];
    private final Histogram[] accumulated = new Histogram[Stage.values().length];
    /** Rejections counted so far, a plain field for the bus thread's own per-message delta (PipelineHandler). */
    private long busThreadRejections;

    public BusMetrics()
    {
        for (int i = 0; i < recorders.length; i++)
        {
            recorders[i] = new SingleWriterRecorder(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            accumulated[i] = new Histogram(HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
        }
    }

    /** Bus thread: one more message taken off the ring. */
    public void onProcessed()
    {
        counters.lazySet(0, counters.get(0) + 1);
    }

    /** Bus thread: a Rego decision came from the decision cache. */
    public void onRegoCacheHit()
    {
        rego.lazySet(0, rego.get(0) + 1);
    }

    /** Bus thread: a Rego decision was not in the cache (evaluated natively, or failed). */
    public void onRegoCacheMiss()
    {
        rego.lazySet(1, rego.get(1) + 1);
    }

    /** Bus thread: one Rego decision (cached or evaluated). */
    public void onRegoDecision(final boolean allowed)
    {
        final int i = allowed ? 2 : 3;
        rego.lazySet(i, rego.get(i) + 1);
    }

    /** Bus thread: a Rego evaluation failed (the message is rejected: fail closed). */
    public void onRegoError()
    {
        rego.lazySet(4, rego.get(4) + 1);
    }

    /** Any thread: a Rego bundle reload finished, compiled ({@code ok}) or refused. */
    public void onRegoReload(final boolean ok)
    {
        (ok ? regoReloads : regoReloadFailures).increment();
    }

    public long regoCacheHits() { return rego.get(0); }
    public long regoCacheMisses() { return rego.get(1); }
    public long regoAllowed() { return rego.get(2); }
    public long regoDenied() { return rego.get(3); }
    public long regoErrors() { return rego.get(4); }
    public long regoReloads() { return regoReloads.sum(); }
    public long regoReloadFailures() { return regoReloadFailures.sum(); }

    /** Bus thread: one message refused. */
    public void onRejected(final RejectReason reason)
    {
        final int i = reason.ordinal();
        rejected.lazySet(i, rejected.get(i) + 1);
        busThreadRejections++;
    }

    /** Bus thread: rejections counted so far (tells the pipeline whether the message in hand was refused). */
    public long busThreadRejections()
    {
        return busThreadRejections;
    }

    /**
     * Bus thread: the content scanner matched. Counts per family, and messages blocked / flagged.
     *
     * @param blocked mask of BLOCK families that matched (the message is rejected when non-zero).
     * @param flagged mask of FLAG families that matched.
     */
    public void onGuardrailMatch(final long blocked, final long flagged)
    {
        for (long m = blocked; m != 0; m &= m - 1)
        {
            final int i = Long.numberOfTrailingZeros(m);
            guardrailBlocked.lazySet(i, guardrailBlocked.get(i) + 1);
        }
        for (long m = flagged; m != 0; m &= m - 1)
        {
            final int i = Long.numberOfTrailingZeros(m);
            guardrailFlagged.lazySet(i, guardrailFlagged.get(i) + 1);
        }
        if (blocked != 0)
        {
            guardrailMessages.lazySet(0, guardrailMessages.get(0) + 1);
        }
        else if (flagged != 0)
        {
            guardrailMessages.lazySet(1, guardrailMessages.get(1) + 1);
        }
    }

    /** @return messages rejected by a BLOCK family. */
    public long guardrailBlockedMessages() { return guardrailMessages.get(0); }
    /** @return messages delivered with at least one FLAG family matched. */
    public long guardrailFlaggedMessages() { return guardrailMessages.get(1); }
    /** @return how often family {@code id} blocked a message. */
    public long guardrailBlocked(final int id) { return guardrailBlocked.get(id); }
    /** @return how often family {@code id} flagged a message. */
    public long guardrailFlagged(final int id) { return guardrailFlagged.get(id); }

    /** Any thread: a message reached its recipient. */
    public void onDelivered()
    {
        delivered.increment();
    }

    /** Bus thread only (single writer): a message reached its recipient's INLINE handler. */
    public void onDeliveredByBusThread()
    {
        busThreadDelivered.lazySet(0, busThreadDelivered.get(0) + 1);
    }

    /** Any thread: a recipient's handler threw. */
    public void onHandlerFailed()
    {
        handlerFailed.increment();
    }

    /** Any thread: a send or claim was refused because the ring was full (the sender may retry). */
    public void onBackpressure()
    {
        backpressure.increment();
    }

    /**
     * Bus thread: a stage threw (anything, an {@code Error} included) and the message was failed closed;
     * the bus thread carried on.
     */
    public void onPipelineFailure()
    {
        pipelineFailures.increment();
    }

    /** Any thread: a publisher's {@code OutcomeListener} threw; the outcome stands, the bus carries on. */
    public void onListenerFailed()
    {
        listenerFailures.increment();
    }

    /** Any thread: an agent's inbox thread died or wedged and a fresh one took over its inbox. */
    public void onInboxThreadReplaced()
    {
        inboxThreadsReplaced.increment();
    }

    /** Bus thread: records one stage duration. */
    public void record(final Stage stage, final long nanos)
    {
        recorders[stage.ordinal()].recordValue(Math.min(Math.max(nanos, 0), HIGHEST_TRACKABLE_NS));
    }

    public long processed() { return counters.get(0); }
    public long delivered() { return delivered.sum() + busThreadDelivered.get(0); }
    public long handlerFailed() { return handlerFailed.sum(); }
    public long backpressureRejected() { return backpressure.sum(); }
    public long pipelineFailures() { return pipelineFailures.sum(); }
    public long listenerFailures() { return listenerFailures.sum(); }
    public long inboxThreadsReplaced() { return inboxThreadsReplaced.sum(); }
    /** @return registrations refused by identity verification (any thread registers). */
    public long identityRejected() { return identityRejected.sum(); }

    /** Any thread: a registration refused by identity verification (bad, missing or mismatched token, revoked). */
    public void onIdentityRejected()
    {
        identityRejected.increment();
    }
    public long rejected(final RejectReason reason) { return rejected.get(reason.ordinal()); }

    /** @return rejections summed over reasons. */
    public long rejectedTotal()
    {
        long sum = 0;
        for (int i = 0; i < rejected.length(); i++)
        {
            sum += rejected.get(i);
        }
        return sum;
    }

    /** @return non-zero rejection counts by reason label. */
    public Map<String, Long> rejectedByReason()
    {
        final Map<String, Long> m = new LinkedHashMap<>();
        for (final RejectReason r : RejectReason.values())
        {
            final long n = rejected.get(r.ordinal());
            if (n > 0)
            {
                m.put(r.metricName(), n);
            }
        }
        return m;
    }

    /** @return the accumulated histogram of a stage since start (a copy), in ns. */
    public synchronized Histogram histogram(final Stage stage)
    {
        final int i = stage.ordinal();
        accumulated[i].add(recorders[i].getIntervalHistogram());
        return accumulated[i].copy();
    }

    /** @return counters plus p50/p99/p99.9/max per stage in microseconds. */
    public Map<String, Object> snapshot()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("processed", processed());
        m.put("delivered", delivered());
        m.put("rejected_total", rejectedTotal());
        m.put("rejected", rejectedByReason());
        m.put("handler_failed", handlerFailed());
        m.put("backpressure_rejected", backpressureRejected());
        m.put("pipeline_failures", pipelineFailures());
        m.put("listener_failures", listenerFailures());
        m.put("inbox_threads_replaced", inboxThreadsReplaced());
        m.put("rego", Map.of("cache_hits", regoCacheHits(), "cache_misses", regoCacheMisses(), "allowed", regoAllowed(),
            "denied", regoDenied(), "errors", regoErrors(), "reloads", regoReloads(), "reload_failures", regoReloadFailures()));
        final Map<String, Object> stages = new LinkedHashMap<>();
        for (final Stage s : Stage.values())
        {
            final Histogram h = histogram(s);
            final Map<String, Object> st = new LinkedHashMap<>();
            st.put("count", h.getTotalCount());
            st.put("p50_us", h.getValueAtPercentile(50) / 1000.0);
            st.put("p99_us", h.getValueAtPercentile(99) / 1000.0);
            st.put("p999_us", h.getValueAtPercentile(99.9) / 1000.0);
            st.put("max_us", h.getMaxValue() / 1000.0);
            stages.put(s.name().toLowerCase(java.util.Locale.ROOT), st);
        }
        m.put("stage_latency", stages);
        return m;
    }
}
