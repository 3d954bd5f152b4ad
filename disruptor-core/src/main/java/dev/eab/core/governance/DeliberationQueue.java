package dev.eab.core.governance;

import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.DeliberationRule;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliberationVote;
import dev.eab.api.Deliberations;
import dev.eab.api.MaciRole;
import dev.eab.api.RejectReason;
import dev.eab.api.VoteChoice;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.MaciRoleViolationException;
import dev.eab.api.exception.MaciSelfValidationException;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * The deliberation queue behind {@link Deliberations}: held messages, votes, human decisions, timeouts, the
 * re-injection of approved messages, persistence and listeners. The original's queue (reference §3.5) with its
 * defects fixed (§7 item 20):
 * <ul>
 * <li>an item is UNDER_REVIEW the moment it is held, so a human decision is always possible;</li>
 * <li>votes decide both ways: at least {@code requiredVotes} votes and approvals ÷ votes ≥ the consensus threshold
 *     → APPROVED; at least {@code requiredVotes} votes and rejections ÷ votes &gt; 1 − threshold → REJECTED
 *     (abstentions count in the denominator); a later vote by the same agent replaces its earlier one;</li>
 * <li>only registered JUDICIAL agents vote ({@link MaciRoleViolationException} otherwise), never the message's
 *     sender nor the agent whose work is judged: the held message's {@code target_agent_id}, or the producer of its
 *     {@code target_output_id} per MACI's output provenance ({@link #judgedProducers}) ({@link MaciSelfValidationException},
 *     prevention type godel_bypass); a human reviewer who is one of them is refused the same way;</li>
 * <li>a vote or decision on an unknown or already decided item is refused ({@link DeliberationException});</li>
 * <li>an item not decided by its timeout is TIMED_OUT and its message fails (fail closed);</li>
 * <li>approval re-injects the message exactly once, with its original id (the transition to APPROVED happens once,
 *     under the lock, and only that caller re-injects); rejection and timeout fail it;</li>
 * <li>every transition is persisted before it takes effect ({@link DeliberationStore}), so pending items and
 *     their votes survive a restart; decided items are remembered in memory (the last
 *     {@value #DECIDED_REMEMBERED}), not forever.</li>
 * </ul>
 * Listeners run on the queue's own daemon thread, never the bus thread; what they throw is counted and ignored.
 *
 * <p>Thread-safe: state changes under one lock (decisions are rare; the bus thread takes it only to hold).
 */
public final class DeliberationQueue implements Deliberations, AutoCloseable
{
    /** Decided items kept for {@link #get}; older ones are forgotten (the store keeps them). */
    public static final int DECIDED_REMEMBERED = 4096;
    /** The reviewer recorded on an item its sender withdrew ({@link #withdraw}). */
    public static final String WITHDRAWN_BY = "withdrawn-by-sender";
    private static final Logger LOG = Logger.getLogger(DeliberationQueue.class.getName());

    /** Re-injects an approved message into delivery; failing it tells the sender. */
    public interface Delivery
    {
        /** Puts the approved message back through routing (exactly once per approval). */
        void reinject(HeldMessage message);

        /** Tells a zero-allocation sender its held message failed (rejected or timed out). */
        void fail(HeldMessage message, RejectReason reason);
    }

    private final AgentRegistry registry;
    private final DeliberationStore store;
    private final long timeoutMs;
    private final Clock clock;
    private final Map<String, DeliberationEntry> pending = new LinkedHashMap<>();
    private final Map<String, DeliberationEntry> decided = new LinkedHashMap<>();
    private final Map<String, ScheduledFuture<?>> timers = new LinkedHashMap<>();
    private final CopyOnWriteArrayList<DeliberationListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker;
    private final AtomicLong sequence = new AtomicLong();
    private final String idPrefix;
    private final LongAdder held = new LongAdder();
    private final LongAdder approved = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder listenerFailures = new LongAdder();
    private volatile Delivery delivery;
    /** Output id → producing agent id (MACI provenance), or null; written once before the bus starts. */
    private volatile java.util.function.Function<String, String> producerOf;

    /**
     * @param store where items are persisted, or null to keep them in memory only
     */
    public DeliberationQueue(final AgentRegistry registry, final DeliberationStore store, final long timeoutMs, final Clock clock)
    {
        this.registry = registry;
        this.store = store;
        this.timeoutMs = timeoutMs;
        this.clock = clock;
        this.idPrefix = "dlb-" + Long.toString(clock.millis(), 36) + "-";
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "eab-deliberation");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects the bus's delivery (before the first approval). */
    public void delivery(final Delivery d)
    {
        this.delivery = d;
    }

    /**
     * Restores the undecided items of the store (after a restart): each is UNDER_REVIEW again with its votes and
     * original timeout; one already past its timeout times out now. @return how many were restored.
     */
    public int restore(final List<String> warnings)
    {
        if (store == null)
        {
            return 0;
        }
        final List<DeliberationEntry> restored = store.restore(warnings);
        synchronized (this)
        {
            for (final DeliberationEntry e : restored)
            {
                pending.put(e.id, e);
                schedule(e);
            }
        }
        return restored.size();
    }

    /**
     * Bus thread: holds a message. Persists it first (a hold the store cannot record is not made: the caller
     * rejects the message instead), then it is UNDER_REVIEW and its timeout runs.
     *
     * @return the deliberation id
     */
    public String hold(final String tenant, final HeldMessage message, final double score, final double[] factors, final double threshold,
        final DeliberationRule rule)
    {
        final Instant now = clock.instant();
        final DeliberationEntry e = new DeliberationEntry(idPrefix + sequence.incrementAndGet(), tenant, message, score, factors.clone(), threshold,
            rule.requiredVotes(), rule.consensusThreshold(), now, now.plusMillis(timeoutMs));
        if (store != null)
        {
            store.appendHeld(e);
        }
        final DeliberationItem snapshot;
        synchronized (this)
        {
            pending.put(e.id, e);
            schedule(e);
            snapshot = e.snapshot();
        }
        held.increment();
        notifyListeners(snapshot, true);
        return e.id;
    }

    private void schedule(final DeliberationEntry e)
    {
        final long delay = Math.max(0, e.timeoutAt.toEpochMilli() - clock.millis());
        timers.put(e.id, worker.schedule(() -> timeOut(e.id), delay, TimeUnit.MILLISECONDS));
    }

    private void timeOut(final String id)
    {
        final DeliberationItem snapshot;
        final DeliberationEntry e;
        synchronized (this)
        {
            e = pending.get(id);
            if (e == null)
            {
                return;
            }
            snapshot = finish(e, DeliberationStatus.TIMED_OUT, null, null);
        }
        timedOut.increment();
        failMessage(e, RejectReason.DELIBERATION_TIMED_OUT);
        notifyListeners(snapshot, false);
    }

    @Override
    public synchronized List<DeliberationItem> pending()
    {
        final List<DeliberationItem> out = new ArrayList<>(pending.size());
        for (final DeliberationEntry e : pending.values())
        {
            out.add(e.snapshot());
        }
        return out;
    }

    @Override
    public synchronized Optional<DeliberationItem> get(final String id)
    {
        DeliberationEntry e = pending.get(id);
        if (e == null)
        {
            e = decided.get(id);
        }
        return e == null ? Optional.empty() : Optional.of(e.snapshot());
    }

    @Override
    public DeliberationItem vote(final String id, final String agentId, final VoteChoice choice, final String reasoning)
    {
        if (choice == null)
        {
            throw new DeliberationException("A vote needs a choice (approve, reject or abstain)", Map.of("deliberation_id", String.valueOf(id)));
        }
        final AgentRecord voter = agentId == null ? null : registry.byId(agentId);
        final DeliberationItem snapshot;
        final DeliberationEntry e;
        final DeliberationStatus outcome;
        synchronized (this)
        {
            e = open(id);
            if (voter == null || voter.maciRole() != MaciRole.JUDICIAL)
            {
                throw new MaciRoleViolationException(String.valueOf(agentId), voter == null ? "unregistered" : voter.maciRole().value(), "vote",
                    List.of(MaciRole.JUDICIAL.value()));
            }
            checkNotSender(e, agentId, "validate");
            final DeliberationVote v = new DeliberationVote(agentId, choice, reasoning == null ? "" : reasoning, clock.instant());
            if (store != null)
            {
                store.appendVote(id, v);
            }
            e.votes.put(agentId, v);
            outcome = consensus(e);
            if (outcome == null)
            {
                return e.snapshot();
            }
            snapshot = finish(e, outcome, null, null);
        }
        settle(e, snapshot);
        return snapshot;
    }

    /** @return APPROVED or REJECTED when the votes decide the item, else null. */
    private static DeliberationStatus consensus(final DeliberationEntry e)
    {
        final int n = e.votes.size();
        if (n < e.requiredVotes)
        {
            return null;
        }
        int approvals = 0;
        int rejections = 0;
        for (final DeliberationVote v : e.votes.values())
        {
            if (v.choice() == VoteChoice.APPROVE)
            {
                approvals++;
            }
            else if (v.choice() == VoteChoice.REJECT)
            {
                rejections++;
            }
        }
        if ((double)approvals / n >= e.consensusThreshold)
        {
            return DeliberationStatus.APPROVED;
        }
        return (double)rejections / n > 1.0 - e.consensusThreshold ? DeliberationStatus.REJECTED : null;
    }

    @Override
    public DeliberationItem approve(final String id, final String reviewer, final String reasoning)
    {
        return decide(id, reviewer, reasoning, DeliberationStatus.APPROVED);
    }

    @Override
    public DeliberationItem reject(final String id, final String reviewer, final String reasoning)
    {
        return decide(id, reviewer, reasoning, DeliberationStatus.REJECTED);
    }

    /**
     * The sender stops waiting for its held message (a saga step whose time ran out, or that was interrupted): the
     * item becomes REJECTED with reviewer {@value #WITHDRAWN_BY}, so a later approval can never deliver a message
     * whose step has already failed and been compensated (fail closed). Refused like any decision on a decided item.
     *
     * @return the decided item
     */
    public DeliberationItem withdraw(final String id, final String reason)
    {
        final DeliberationItem snapshot;
        final DeliberationEntry e;
        synchronized (this)
        {
            e = open(id);
            snapshot = finish(e, DeliberationStatus.REJECTED, WITHDRAWN_BY, reason == null ? "" : reason);
        }
        settle(e, snapshot);
        return snapshot;
    }

    private DeliberationItem decide(final String id, final String reviewer, final String reasoning, final DeliberationStatus status)
    {
        if (reviewer == null || reviewer.isBlank())
        {
            throw new DeliberationException("A human decision needs the reviewer's identity", Map.of("deliberation_id", String.valueOf(id)));
        }
        final DeliberationItem snapshot;
        final DeliberationEntry e;
        synchronized (this)
        {
            e = open(id);
            checkNotSender(e, reviewer, status == DeliberationStatus.APPROVED ? "approve" : "reject");
            snapshot = finish(e, status, reviewer, reasoning == null ? "" : reasoning);
        }
        settle(e, snapshot);
        return snapshot;
    }

    private DeliberationEntry open(final String id)
    {
        final DeliberationEntry e = id == null ? null : pending.get(id);
        if (e != null)
        {
            return e;
        }
        final DeliberationEntry done = id == null ? null : decided.get(id);
        if (done != null)
        {
            throw new DeliberationException("Deliberation '" + id + "' is already decided (" + done.status.value() + ")",
                Map.of("deliberation_id", id, "status", done.status.value()));
        }
        throw new DeliberationException("Deliberation '" + id + "' not found", Map.of("deliberation_id", String.valueOf(id)));
    }

    /**
     * Where the producer of an output comes from (MACI's output provenance: {@code bus.maci().producerOf}); set once
     * when the bus is built. Without it only the sender and a named target agent are refused as judges.
     */
    public void judgedProducers(final java.util.function.Function<String, String> producerOf)
    {
        this.producerOf = producerOf;
    }

    /** Never the sender, the target agent, or the producer of the target output: nobody judges their own work. */
    private void checkNotSender(final DeliberationEntry e, final String who, final String action)
    {
        final AgentMessage m = e.held.message();
        if (who.equals(e.held.senderId()) || who.equals(textOf(m, "target_agent_id")))
        {
            throw new MaciSelfValidationException(who, action, m.messageId());
        }
        final String targetOutput = textOf(m, "target_output_id");
        final java.util.function.Function<String, String> producers = producerOf;
        if (targetOutput != null && producers != null && who.equals(producers.apply(targetOutput)))
        {
            throw new MaciSelfValidationException(who, action, targetOutput);
        }
    }

    private static String textOf(final AgentMessage m, final String key)
    {
        final Object v = m.content() == null ? null : m.content().get(key);
        return v instanceof String text ? text : null;
    }

    /** Under the lock: the one transition to a final status (persisted first). @return the final snapshot */
    private DeliberationItem finish(final DeliberationEntry e, final DeliberationStatus status, final String reviewer, final String reasoning)
    {
        e.status = status;
        e.reviewer = reviewer;
        e.reasoning = reasoning;
        e.decidedAt = clock.instant();
        if (store != null)
        {
            store.appendDecided(e);
        }
        pending.remove(e.id);
        decided.put(e.id, e);
        if (decided.size() > DECIDED_REMEMBERED)
        {
            final Iterator<String> oldest = decided.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        final ScheduledFuture<?> timer = timers.remove(e.id);
        if (timer != null)
        {
            timer.cancel(false);
        }
        return e.snapshot();
    }

    /** Outside the lock: re-inject an approval, fail a rejection, tell the listeners. */
    private void settle(final DeliberationEntry e, final DeliberationItem snapshot)
    {
        if (snapshot.status() == DeliberationStatus.APPROVED)
        {
            approved.increment();
            final Delivery d = delivery;
            if (d == null)
            {
                throw new DeliberationException("Deliberation '" + e.id + "' approved but the bus is not connected; the message stays undelivered",
                    Map.of("deliberation_id", e.id));
            }
            d.reinject(e.held);
        }
        else
        {
            rejected.increment();
            failMessage(e, RejectReason.DELIBERATION_REJECTED);
        }
        notifyListeners(snapshot, false);
    }

    private void failMessage(final DeliberationEntry e, final RejectReason reason)
    {
        final Delivery d = delivery;
        if (d != null)
        {
            d.fail(e.held, reason);
        }
    }

    private void notifyListeners(final DeliberationItem item, final boolean heldNow)
    {
        if (listeners.isEmpty())
        {
            return;
        }
        try
        {
            worker.execute(() -> {
                for (final DeliberationListener l : listeners)
                {
                    try
                    {
                        if (heldNow)
                        {
                            l.onHeld(item);
                        }
                        else
                        {
                            l.onDecided(item);
                        }
                    }
                    catch (final Throwable t)
                    {
                        listenerFailures.increment();
                    }
                }
            });
        }
        catch (final RuntimeException rejectedAfterClose)
        {
            listenerFailures.increment();
        }
    }

    @Override
    public AutoCloseable addListener(final DeliberationListener listener)
    {
        if (listener == null)
        {
            throw new IllegalArgumentException("listener must not be null");
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** @return counters for {@code getMetrics()}: held, approved, rejected, timed_out, pending, listener_failures. */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("held", held.sum());
        m.put("approved", approved.sum());
        m.put("rejected", rejected.sum());
        m.put("timed_out", timedOut.sum());
        synchronized (this)
        {
            m.put("pending", pending.size());
        }
        m.put("listener_failures", listenerFailures.sum());
        m.put("store", store == null ? "memory" : store.directory().toString());
        return m;
    }

    public long heldCount() { return held.sum(); }
    public long approvedCount() { return approved.sum(); }
    public long rejectedCount() { return rejected.sum(); }
    public long timedOutCount() { return timedOut.sum(); }

    /** Stops the timers and the listener thread and closes the store; pending items stay in the store. */
    @Override
    public void close()
    {
        worker.shutdownNow();
        if (store != null)
        {
            try
            {
                store.close();
            }
            catch (final RuntimeException ex)
            {
                LOG.warning("closing the deliberation store failed: " + dev.eab.api.exception.ThrowableText.describe(ex));
            }
        }
    }
}
