package dev.eab.core.pipeline;

import dev.eab.api.AgentMessage;
import dev.eab.api.BackpressurePolicy;
import dev.eab.api.MessageHandler;
import dev.eab.api.MessageStatus;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.MessageValidationException;
import dev.eab.core.ops.BusMetrics;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.resilience.FaultInjector;
import dev.eab.core.resilience.FaultPoint;
import dev.eab.core.route.Delivery;
import dev.eab.core.route.Inbox;
import dev.eab.core.journal.JournalRecordDescriptor;
import dev.eab.core.journal.MessageJournal;
import dev.eab.core.route.Outcomes;
import dev.eab.core.route.Subscription;
import dev.eab.core.validate.RejectionTexts;
import dev.eab.core.validate.ValidationStrategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Last stage: delivers accepted messages to their recipients' own inboxes or inline handlers, and
 * tells the sender the outcome (future or listener). Rejections are counted and reported here too, so
 * every event leaves the pipeline with exactly one outcome per recipient.
 *
 * <p>Bus thread only. A throwing INLINE handler fails only its message (status FAILED, counted); a full
 * inbox applies the backpressure policy: REJECT refuses with {@link RejectReason#INBOX_FULL}, BLOCK
 * waits for space (holding up the bus: choose it only for recipients that keep up).
 */
public final class RouteStage implements Stage
{
    static final String LAST_RESORT_TEXT = "Validation failed closed: the bus could not process this message";

    private final BusMetrics metrics;
    private final RejectionTexts texts;
    private final BackpressurePolicy inboxPolicy;
    private final String constitutionalHash;
    private final ValidationStrategy validator;
    private final EventView view = new EventView();
    /** Written by {@link #warm} so the JIT keeps its reads; bus thread only, never read. */
    @SuppressWarnings("unused")
    private int warmedHandle;
    private final java.util.function.LongFunction<List<String>> flagNames;
    private final MessageJournal journal;
    private final FaultInjector faults;
    private static final int ROUTING_POINT = FaultPoint.ROUTING.bit();
    private static final int DELIVERY_POINT = FaultPoint.HANDLER_DELIVERY.bit();
    private static final int ROUTE_POINTS = ROUTING_POINT | DELIVERY_POINT;
    /** Built once: {@link #lastResort} must not allocate or format anything. */
    private final ValidationResult failedClosed;
    private final MessageValidationException failedClosedBroadcast;

    public RouteStage(
        final BusMetrics metrics, final RejectionTexts texts, final BackpressurePolicy inboxPolicy, final String constitutionalHash,
        final ValidationStrategy validator, final java.util.function.LongFunction<List<String>> flagNames)
    {
        this(metrics, texts, inboxPolicy, constitutionalHash, validator, flagNames, null);
    }

    /** @param journal where acknowledgements made on the bus thread go, or null without a journal. */
    public RouteStage(
        final BusMetrics metrics, final RejectionTexts texts, final BackpressurePolicy inboxPolicy, final String constitutionalHash,
        final ValidationStrategy validator, final java.util.function.LongFunction<List<String>> flagNames, final MessageJournal journal)
    {
        this(metrics, texts, inboxPolicy, constitutionalHash, validator, flagNames, journal, new FaultInjector());
    }

    /** @param faults the bus's chaos fault points ({@link FaultPoint#ROUTING}, {@link FaultPoint#HANDLER_DELIVERY}) */
    public RouteStage(
        final BusMetrics metrics, final RejectionTexts texts, final BackpressurePolicy inboxPolicy, final String constitutionalHash,
        final ValidationStrategy validator, final java.util.function.LongFunction<List<String>> flagNames, final MessageJournal journal,
        final FaultInjector faults)
    {
        this.faults = faults;
        this.journal = journal;
        this.flagNames = flagNames;
        this.failedClosed = ValidationResult.deny(RejectReason.VALIDATOR_ERROR, LAST_RESORT_TEXT, constitutionalHash,
            Map.of("rejection_reason", RejectReason.VALIDATOR_ERROR.metricName()));
        this.failedClosedBroadcast = new MessageValidationException("(broadcast)", List.of(LAST_RESORT_TEXT));
        this.metrics = metrics;
        this.texts = texts;
        this.inboxPolicy = inboxPolicy;
        this.constitutionalHash = constitutionalHash;
        this.validator = validator;
    }

    @Override
    public void onEvent(final MessageEvent e)
    {
        if (e.kind == MessageEvent.KIND_BROADCAST)
        {
            routeBroadcast(e);
        }
        else if (e.heldId != null && e.rejectCode == 0)
        {
            held(e);
        }
        else if (e.rejectCode != 0)
        {
            reject(e, RejectReason.fromCode(e.rejectCode));
        }
        else if (e.kind == MessageEvent.KIND_FLYWEIGHT)
        {
            deliverFlyweight(e);
        }
        else
        {
            final ValidationResult outcome = deliver(e, e.recipient, e.future, e.journalIndex);
            e.completed = true;
            if (outcome != null)
            {
                e.future.complete(outcome);
            }
        }
        e.completed = true;
    }

    /**
     * Warm-up probe: looks up the recipient's inbox and subscription as a delivery would, and delivers
     * nothing (see {@link PathWarmer}).
     */
    @Override
    public void warm(final MessageEvent probe)
    {
        final AgentRecord recipient = probe.recipient;
        if (recipient != null)
        {
            warmedHandle = recipient.inbox().subscription().inline() ? recipient.handle() : -1;
        }
    }

    /**
     * Rejects an event that no stage completed (a stage threw): fail closed. If building the rejection
     * throws too (a hostile throwable, an exhausted heap), the pre-built {@link #lastResort} outcome is
     * given instead: every event leaves with exactly one outcome.
     */
    void failClosed(final MessageEvent e, final Throwable t)
    {
        // The slot says what the sender is told (the audit capture and the meter read it after the stages).
        e.rejectCode = RejectReason.VALIDATOR_ERROR.code();
        try
        {
            e.failure = t;
            if (e.kind == MessageEvent.KIND_BROADCAST)
            {
                routeBroadcast(e);
            }
            else
            {
                reject(e, RejectReason.VALIDATOR_ERROR);
            }
            e.completed = true;
        }
        catch (final Throwable again)
        {
            lastResort(e);
        }
    }

    /**
     * The outcome that needs no allocation and no text: a pre-built VALIDATOR_ERROR result (or the
     * listener's {@code onRejected}). Completing an already completed future does nothing, so this never
     * gives a second outcome.
     */
    public void lastResort(final MessageEvent e)
    {
        if (e.completed)
        {
            return;
        }
        e.completed = true;
        e.rejectCode = RejectReason.VALIDATOR_ERROR.code();
        try
        {
            if (e.future != null)
            {
                e.future.complete(failedClosed);
            }
            else if (e.broadcastFuture != null)
            {
                e.broadcastFuture.completeExceptionally(failedClosedBroadcast);
            }
            else if (e.listener != null)
            {
                Outcomes.rejected(e.listener, e.correlationId, RejectReason.VALIDATOR_ERROR, metrics);
            }
            metrics.onRejected(RejectReason.VALIDATOR_ERROR);
        }
        catch (final Throwable ignored)
        {
            // Completing a future runs no caller code here (dependents run in their own try), so only an
            // exhausted heap gets here; there is nothing left to try.
        }
    }

    /**
     * Rejects a published event the bus thread will never process (it was halted or died): any thread,
     * once the bus thread is gone.
     */
    public void failPending(final MessageEvent e, final RejectReason reason)
    {
        if (e.completed || e.kind == MessageEvent.KIND_BALLAST)
        {
            return;
        }
        try
        {
            if (e.kind == MessageEvent.KIND_BROADCAST)
            {
                e.rejectCode = reason.code();
                routeBroadcast(e);
            }
            else
            {
                reject(e, reason);
            }
            e.completed = true;
        }
        catch (final Throwable t)
        {
            lastResort(e);
        }
    }

    /**
     * A message the governance stage held: not delivered now. The sender is told HOLD (status
     * PENDING_DELIBERATION, metadata {@code deliberation_id}); a zero-allocation sender's listener gets
     * {@code onHeld}. Approval later re-injects it; rejection or timeout fails it.
     */
    private void held(final MessageEvent e)
    {
        e.completed = true;
        if (e.kind == MessageEvent.KIND_FLYWEIGHT)
        {
            if (e.listener != null)
            {
                try
                {
                    e.listener.onHeld(e.correlationId);
                }
                catch (final Throwable t)
                {
                    metrics.onListenerFailed();
                }
            }
            return;
        }
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("deliberation_id", e.heldId);
        meta.put("recipient", e.recipient == null ? "" : e.recipient.agentId());
        meta.put("validator", validator.name());
        e.future.complete(new ValidationResult(true, List.of(), e.warnings == null ? List.of() : e.warnings, meta, dev.eab.api.Decision.HOLD,
            MessageStatus.PENDING_DELIBERATION, constitutionalHash, RejectReason.NONE));
    }

    private void reject(final MessageEvent e, final RejectReason reason)
    {
        e.rejectCode = reason.code();
        if (e.kind == MessageEvent.KIND_FLYWEIGHT)
        {
            metrics.onRejected(reason);
            e.completed = true;
            if (e.listener != null)
            {
                Outcomes.rejected(e.listener, e.correlationId, reason, metrics);
            }
        }
        else
        {
            // Built before counting: if building throws, the last-resort outcome counts it once.
            final ValidationResult denied = denied(e, reason, e.recipient);
            metrics.onRejected(reason);
            e.completed = true;
            e.future.complete(denied);
        }
    }

    private ValidationResult denied(final MessageEvent e, final RejectReason reason, final AgentRecord recipient)
    {
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("rejection_reason", reason.metricName());
        if (reason == RejectReason.SECURITY_BLOCKED)
        {
            meta.put("security_families", flagNames.apply(e.rejectDetail));
        }
        if (reason.isMaci())
        {
            meta.put("maci_violation", dev.eab.core.maci.MaciViolation.type(reason));
            if (reason == RejectReason.MACI_SELF_VALIDATION)
            {
                meta.put("prevention_type", dev.eab.api.exception.MaciSelfValidationException.PREVENTION_TYPE);
            }
        }
        meta.put("validator", validator.name());
        if (e.regoVersion != null)
        {
            meta.put("rego_policy_version", e.regoVersion);
        }
        return ValidationResult.deny(reason, texts.describe(reason, e.message, e.sender, recipient, e.failure, e.rejectDetail),
            constitutionalHash, meta);
    }

    private ValidationResult accepted(final MessageEvent e, final AgentRecord recipient, final MessageStatus status)
    {
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("recipient", recipient.agentId());
        meta.put("validator", validator.name());
        if (e.flagged != 0)
        {
            meta.put("security_flags", flagNames.apply(e.flagged));
        }
        if (e.regoVersion != null)
        {
            meta.put("rego_policy_version", e.regoVersion);
        }
        ValidationResult ok = ValidationResult.allow(status, constitutionalHash, meta);
        if (e.warnings != null)
        {
            for (final String w : e.warnings)
            {
                ok = ok.withWarning(w);
            }
        }
        return ok;
    }

    private void deliverFlyweight(final MessageEvent e)
    {
        final AgentRecord recipient = e.recipient;
        if (faults.armed(ROUTE_POINTS) && chaosRefusedFlyweight(e, recipient))
        {
            return;
        }
        final Inbox inbox = recipient.inbox();
        final Subscription subscription = inbox.subscription();
        final MessageHandler handler = subscription.handler();
        if (subscription.inline())
        {
            boolean ok = false;
            Throwable failure = null;
            try
            {
                handler.onMessage(view.wrap(e, recipient.handle()));
                ok = true;
            }
            catch (final Throwable t)
            {
                failure = t;
            }
            finally
            {
                view.release();
            }
            // The message was handed over: whatever follows, it must not be failed closed as well.
            e.completed = true;
            ack(e.journalIndex, ok ? JournalRecordDescriptor.ACK_DELIVERED : JournalRecordDescriptor.ACK_FAILED);
            if (ok)
            {
                metrics.onDeliveredByBusThread();
                if (e.listener != null)
                {
                    Outcomes.delivered(e.listener, e.correlationId, recipient.handle(), metrics);
                }
            }
            else
            {
                metrics.onHandlerFailed();
                if (e.listener != null)
                {
                    Outcomes.handlerFailed(e.listener, e.correlationId, failure, metrics);
                }
            }
            return;
        }
        final boolean dispatched = subscription.dispatched();
        final Delivery d = new Delivery(FlyweightMessages.materialize(e, recipient), null, null, dispatched ? e.listener : null, e.correlationId,
            e.senderHandle, subscription, e.journalIndex);
        if (!enqueue(inbox, d))
        {
            ack(e.journalIndex, JournalRecordDescriptor.ACK_REJECTED);
            reject(e, RejectReason.INBOX_FULL);
            return;
        }
        e.completed = true;
        if (!dispatched)
        {
            // Told now: the message waits in the inbox for receive().
            d.claimOutcome();
            metrics.onDelivered();
            if (e.listener != null)
            {
                Outcomes.delivered(e.listener, e.correlationId, recipient.handle(), metrics);
            }
        }
    }

    /**
     * Delivers a {@code send}/{@code broadcast} message to one recipient.
     *
     * @return the result to complete with now, or null when a dispatched handler will complete {@code future}.
     */
    private ValidationResult deliver(
        final MessageEvent e, final AgentRecord recipient, final CompletableFuture<ValidationResult> future, final long journalIndex)
    {
        if (faults.armed(ROUTE_POINTS))
        {
            final ValidationResult refused = chaosRefused(e, recipient, journalIndex);
            if (refused != null)
            {
                return refused;
            }
        }
        final Inbox inbox = recipient.inbox();
        final Subscription subscription = inbox.subscription();
        final MessageHandler handler = subscription.handler();
        final ValidationResult ok = accepted(e, recipient, MessageStatus.DELIVERED);
        if (subscription.inline())
        {
            try
            {
                handler.onMessage(view.wrap(e, recipient.handle()));
                ack(journalIndex, JournalRecordDescriptor.ACK_DELIVERED);
                metrics.onDelivered();
                return ok;
            }
            catch (final Throwable t)
            {
                ack(journalIndex, JournalRecordDescriptor.ACK_FAILED);
                metrics.onHandlerFailed();
                return Outcomes.handlerFailed(ok, t);
            }
            finally
            {
                view.release();
                if (e.kind == MessageEvent.KIND_MESSAGE)
                {
                    e.completed = true;
                }
            }
        }
        final boolean dispatched = subscription.dispatched();
        final AgentMessage message = e.message.toBuilder().toAgent(recipient.agentId()).status(MessageStatus.DELIVERED).build();
        // A replayed message's sender may not be registered again (yet): -1, as for an unknown sender.
        final Delivery d = new Delivery(message, ok, dispatched ? future : null, null, 0L, e.sender == null ? -1 : e.sender.handle(), subscription,
            journalIndex);
        if (!enqueue(inbox, d))
        {
            ack(journalIndex, JournalRecordDescriptor.ACK_REJECTED);
            metrics.onRejected(RejectReason.INBOX_FULL);
            return denied(e, RejectReason.INBOX_FULL, recipient);
        }
        if (e.kind == MessageEvent.KIND_MESSAGE)
        {
            e.completed = true;
        }
        if (dispatched)
        {
            return null;
        }
        d.claimOutcome(); // told now: the message waits in the inbox for receive()
        metrics.onDelivered();
        return ok;
    }

    /**
     * Chaos at routing and hand-over, for a zero-allocation message. A fault at routing (an error, a timeout, a
     * partition) rejects it, fail closed, and the journal records it refused; a fault at the hand-over fails the
     * delivery (the handler is not called; the sender hears FAILED). Either way the sender is told: nothing is lost.
     *
     * @return true when the message got its outcome here
     */
    private boolean chaosRefusedFlyweight(final MessageEvent e, final AgentRecord recipient)
    {
        try
        {
            if (faults.armed(ROUTING_POINT))
            {
                faults.at(FaultPoint.ROUTING, e.sender, recipient);
            }
        }
        catch (final RuntimeException t)
        {
            e.failure = t;
            ack(e.journalIndex, JournalRecordDescriptor.ACK_REJECTED);
            reject(e, RejectReason.VALIDATOR_ERROR);
            return true;
        }
        try
        {
            if (faults.armed(DELIVERY_POINT))
            {
                faults.at(FaultPoint.HANDLER_DELIVERY, e.sender, recipient);
            }
        }
        catch (final RuntimeException t)
        {
            e.completed = true;
            ack(e.journalIndex, JournalRecordDescriptor.ACK_FAILED);
            metrics.onHandlerFailed();
            if (e.listener != null)
            {
                Outcomes.handlerFailed(e.listener, e.correlationId, t, metrics);
            }
            return true;
        }
        return false;
    }

    /**
     * Chaos at routing and hand-over for a {@code send}/{@code broadcast} recipient (as {@link #chaosRefusedFlyweight}).
     *
     * @return the outcome when a fault decided it, else null
     */
    private ValidationResult chaosRefused(final MessageEvent e, final AgentRecord recipient, final long journalIndex)
    {
        try
        {
            if (faults.armed(ROUTING_POINT))
            {
                faults.at(FaultPoint.ROUTING, e.sender, recipient);
            }
        }
        catch (final RuntimeException t)
        {
            e.failure = t;
            if (e.kind != MessageEvent.KIND_BROADCAST)
            {
                // The slot says what the sender is told (a broadcast's verdicts are per recipient).
                e.rejectCode = RejectReason.VALIDATOR_ERROR.code();
            }
            ack(journalIndex, JournalRecordDescriptor.ACK_REJECTED);
            final ValidationResult denied = denied(e, RejectReason.VALIDATOR_ERROR, recipient);
            metrics.onRejected(RejectReason.VALIDATOR_ERROR);
            return denied;
        }
        try
        {
            if (faults.armed(DELIVERY_POINT))
            {
                faults.at(FaultPoint.HANDLER_DELIVERY, e.sender, recipient);
            }
        }
        catch (final RuntimeException t)
        {
            ack(journalIndex, JournalRecordDescriptor.ACK_FAILED);
            metrics.onHandlerFailed();
            return Outcomes.handlerFailed(accepted(e, recipient, MessageStatus.DELIVERED), t);
        }
        return null;
    }

    /** Bus thread: records in the journal what became of a journaled message handed over or refused here. */
    private void ack(final long journalIndex, final int status)
    {
        if (journal != null && journalIndex >= 0)
        {
            journal.ackOnBusThread(journalIndex, status);
        }
    }

    private boolean enqueue(final Inbox inbox, final Delivery d)
    {
        if (inbox.offer(d))
        {
            return true;
        }
        if (inboxPolicy == BackpressurePolicy.BLOCK)
        {
            try
            {
                inbox.put(d);
                return true;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void routeBroadcast(final MessageEvent e)
    {
        if (e.rejectCode != 0)
        {
            final RejectReason reason = RejectReason.fromCode(e.rejectCode);
            metrics.onRejected(reason);
            final String text = texts.describe(reason, e.message, e.sender, null, e.failure, e.rejectDetail);
            e.completed = true;
            e.broadcastFuture.completeExceptionally(new MessageValidationException(e.message.messageId(), List.of(text), List.of()));
            return;
        }
        // From the first recipient on, the broadcast has begun: a failure later must not fail it closed
        // as a whole (recipients already served keep their outcome; the future completes once).
        e.completed = true;
        final List<AgentRecord> recipients = e.broadcastRecipients;
        final Map<String, CompletableFuture<ValidationResult>> pending = new LinkedHashMap<>();
        for (int i = 0; i < recipients.size(); i++)
        {
            final AgentRecord r = recipients.get(i);
            final CompletableFuture<ValidationResult> f = new CompletableFuture<>();
            pending.put(r.agentId(), f);
            final int code = e.broadcastCodes[i];
            if (code != 0)
            {
                final RejectReason reason = RejectReason.fromCode(code);
                metrics.onRejected(reason);
                f.complete(denied(e, reason, r));
            }
            else
            {
                final ValidationResult outcome = deliver(e, r, f, e.broadcastJournalIndexes == null ? -1 : e.broadcastJournalIndexes[i]);
                if (outcome != null)
                {
                    f.complete(outcome);
                }
            }
        }
        final CompletableFuture<Map<String, ValidationResult>> out = e.broadcastFuture;
        CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
            final Map<String, ValidationResult> results = new LinkedHashMap<>();
            pending.forEach((id, f) -> results.put(id, f.join()));
            out.complete(results);
        });
    }
}
