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
import dev.eab.core.route.Delivery;
import dev.eab.core.route.Inbox;
import dev.eab.core.route.InboxDrainer;
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

    public RouteStage(
        final BusMetrics metrics, final RejectionTexts texts, final BackpressurePolicy inboxPolicy, final String constitutionalHash,
        final ValidationStrategy validator, final java.util.function.LongFunction<List<String>> flagNames)
    {
        this.flagNames = flagNames;
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
            final ValidationResult outcome = deliver(e, e.recipient, e.future);
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

    /** Rejects an event that no stage completed (a stage threw): fail closed. */
    void failClosed(final MessageEvent e, final Throwable t)
    {
        e.failure = t;
        if (e.kind == MessageEvent.KIND_BROADCAST)
        {
            e.rejectCode = RejectReason.VALIDATOR_ERROR.code();
            routeBroadcast(e);
        }
        else
        {
            reject(e, RejectReason.VALIDATOR_ERROR);
        }
        e.completed = true;
    }

    private void reject(final MessageEvent e, final RejectReason reason)
    {
        metrics.onRejected(reason);
        if (e.kind == MessageEvent.KIND_FLYWEIGHT)
        {
            if (e.listener != null)
            {
                e.listener.onRejected(e.correlationId, reason);
            }
        }
        else
        {
            e.future.complete(denied(e, reason, e.recipient));
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
        meta.put("validator", validator.name());
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
        final Inbox inbox = recipient.inbox();
        final Subscription subscription = inbox.subscription();
        final MessageHandler handler = subscription.handler();
        if (subscription.inline())
        {
            try
            {
                handler.onMessage(view.wrap(e, recipient.handle()));
                metrics.onDelivered();
                if (e.listener != null)
                {
                    e.listener.onDelivered(e.correlationId, recipient.handle());
                }
            }
            catch (final Throwable t)
            {
                metrics.onHandlerFailed();
                if (e.listener != null)
                {
                    e.listener.onHandlerFailed(e.correlationId, t);
                }
            }
            finally
            {
                view.release();
            }
            return;
        }
        final boolean dispatched = handler != null;
        final Delivery d = new Delivery(FlyweightMessages.materialize(e, recipient), null, null, dispatched ? e.listener : null, e.correlationId,
            e.senderHandle);
        if (!enqueue(inbox, d))
        {
            reject(e, RejectReason.INBOX_FULL);
            return;
        }
        if (!dispatched)
        {
            metrics.onDelivered();
            if (e.listener != null)
            {
                e.listener.onDelivered(e.correlationId, recipient.handle());
            }
        }
    }

    /**
     * Delivers a {@code send}/{@code broadcast} message to one recipient.
     *
     * @return the result to complete with now, or null when a dispatched handler will complete {@code future}.
     */
    private ValidationResult deliver(final MessageEvent e, final AgentRecord recipient, final CompletableFuture<ValidationResult> future)
    {
        final Inbox inbox = recipient.inbox();
        final Subscription subscription = inbox.subscription();
        final MessageHandler handler = subscription.handler();
        final ValidationResult ok = accepted(e, recipient, MessageStatus.DELIVERED);
        if (subscription.inline())
        {
            try
            {
                handler.onMessage(view.wrap(e, recipient.handle()));
                metrics.onDelivered();
                return ok;
            }
            catch (final Throwable t)
            {
                metrics.onHandlerFailed();
                return InboxDrainer.handlerFailed(ok, t);
            }
            finally
            {
                view.release();
            }
        }
        final boolean dispatched = handler != null;
        final AgentMessage message = e.message.toBuilder().toAgent(recipient.agentId()).status(MessageStatus.DELIVERED).build();
        final Delivery d = new Delivery(message, ok, dispatched ? future : null, null, 0L, e.sender.handle());
        if (!enqueue(inbox, d))
        {
            metrics.onRejected(RejectReason.INBOX_FULL);
            return denied(e, RejectReason.INBOX_FULL, recipient);
        }
        if (dispatched)
        {
            return null;
        }
        metrics.onDelivered();
        return ok;
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
            e.broadcastFuture.completeExceptionally(new MessageValidationException(e.message.messageId(), List.of(text), List.of()));
            return;
        }
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
                final ValidationResult outcome = deliver(e, r, f);
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
