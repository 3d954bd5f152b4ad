package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.AgentMessage;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.Deliberations;
import dev.eab.api.MessageStatus;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.BusOperationException;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.DeliberationRejectedException;
import dev.eab.api.exception.DeliberationTimeoutException;
import dev.eab.api.exception.MessageDeliveryException;
import dev.eab.api.exception.MessageTimeoutException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.governance.DeliberationQueue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What workflow code does when the bus HOLDs the message it sent (impact at or above the tenant's threshold): it
 * waits for the deliberation, on the step's own thread, until the step's deadline.
 * <ul>
 * <li>APPROVED (by a reviewer or by votes): the message was re-injected; the step gets the re-injection's delivery
 *     outcome (a delivery failure after approval fails the step like any rejection);</li>
 * <li>REJECTED: {@link DeliberationRejectedException}; TIMED_OUT: {@link DeliberationTimeoutException}. Either fails
 *     the step, and a saga does not retry it (asking again is not a way round a review): it compensates;</li>
 * <li>the step's own time runs out (or it is interrupted) first: the held message is withdrawn (REJECTED, reviewer
 *     {@value DeliberationQueue#WITHDRAWN_BY}) so that a late approval can never deliver a message whose step already
 *     failed and was compensated; then {@link MessageTimeoutException} (or the interrupt) fails the step.</li>
 * </ul>
 * The decision is caught without a race: the listener is added first, then the item is read, so a decision made
 * before the listener existed is seen in the item and one made after reaches the listener.
 */
final class HeldMessageWait
{
    private HeldMessageWait()
    {
    }

    /**
     * @param held          the HOLD result of the send (its metadata names the deliberation).
     * @param deadlineNanos the step's deadline ({@link System#nanoTime()}).
     * @return the delivery outcome after an approval.
     */
    static ValidationResult await(
        final AgentBus bus, final AgentMessage message, final ValidationResult held, final long deadlineNanos, final String operation)
        throws InterruptedException
    {
        final Object idValue = held.metadata().get("deliberation_id");
        if (!(idValue instanceof String id) || id.isEmpty())
        {
            throw new MessageDeliveryException(message.messageId(), message.toAgent(), "held without a deliberation id");
        }
        final Deliberations deliberations = bus.deliberations();
        final CompletableFuture<DeliberationItem> decided = new CompletableFuture<>();
        final DeliberationListener listener = new DeliberationListener()
        {
            @Override
            public void onDecided(final DeliberationItem item)
            {
                if (id.equals(item.id()))
                {
                    decided.complete(item);
                }
            }
        };
        final DeliberationItem item;
        try (AutoCloseable ignored = deliberations.addListener(listener))
        {
            final Optional<DeliberationItem> now = deliberations.get(id);
            if (now.isPresent() && now.get().status().isFinal())
            {
                decided.complete(now.get());
            }
            else if (now.isEmpty())
            {
                throw new DeliberationException("Deliberation '" + id + "' of message '" + message.messageId() + "' is not known to the bus",
                    Map.of("deliberation_id", id, "operation", operation));
            }
            item = waitFor(decided, deliberations, id, message, deadlineNanos, operation);
        }
        catch (final InterruptedException | RuntimeException e)
        {
            throw e;
        }
        catch (final Exception closeFailed)
        {
            // Removing a listener from the bus's own queue does not throw; another Deliberations might.
            throw new BusOperationException("Cannot remove the deliberation listener: " + ThrowableText.describe(closeFailed),
                Map.of("operation", operation));
        }
        return outcome(bus, message, held, item, deadlineNanos, operation);
    }

    private static DeliberationItem waitFor(
        final CompletableFuture<DeliberationItem> decided, final Deliberations deliberations, final String id, final AgentMessage message,
        final long deadlineNanos, final String operation) throws InterruptedException
    {
        final long waitNanos = Math.max(1, deadlineNanos - System.nanoTime());
        try
        {
            return decided.get(waitNanos, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException e)
        {
            final DeliberationItem late = withdraw(deliberations, id, operation + " stopped waiting (its timeout passed)");
            if (late != null)
            {
                return late;
            }
            throw new MessageTimeoutException(message.messageId(), TimeUnit.NANOSECONDS.toMillis(waitNanos), operation + " awaiting deliberation " + id);
        }
        catch (final InterruptedException e)
        {
            withdraw(deliberations, id, operation + " was interrupted");
            throw e;
        }
        catch (final ExecutionException e)
        {
            // Not reachable: only complete() is ever called on the future.
            throw new DeliberationException("Waiting for deliberation '" + id + "' failed: " + ThrowableText.describe(e.getCause()),
                Map.of("deliberation_id", id));
        }
    }

    /**
     * Withdraws the held message (only the bus's own queue can). @return the item when it had already been decided
     * in the meantime (that decision stands), else null.
     */
    private static DeliberationItem withdraw(final Deliberations deliberations, final String id, final String reason)
    {
        if (deliberations instanceof DeliberationQueue queue)
        {
            try
            {
                queue.withdraw(id, reason);
                return null;
            }
            catch (final DeliberationException alreadyDecided)
            {
                final Optional<DeliberationItem> item = queue.get(id);
                return item.isPresent() && item.get().status().isFinal() && !DeliberationQueue.WITHDRAWN_BY.equals(item.get().reviewer())
                    ? item.get() : null;
            }
        }
        return null;
    }

    private static ValidationResult outcome(
        final AgentBus bus, final AgentMessage message, final ValidationResult held, final DeliberationItem item, final long deadlineNanos,
        final String operation) throws InterruptedException
    {
        final DeliberationStatus status = item.status();
        if (status == DeliberationStatus.TIMED_OUT)
        {
            final long seconds = Duration.between(item.createdAt(), item.timeoutAt()).toSeconds();
            throw new DeliberationTimeoutException(item.id(), seconds);
        }
        if (status != DeliberationStatus.APPROVED && status != DeliberationStatus.CONSENSUS_REACHED)
        {
            throw new DeliberationRejectedException(item.id(), message.messageId(), item.reviewer() == null ? "" : item.reviewer(),
                item.reasoning() == null ? "" : item.reasoning());
        }
        final CompletableFuture<ValidationResult> delivery = bus instanceof EnhancedAgentBus eab
            ? eab.approvedDeliveries().outcomeOf(message.messageId()) : null;
        if (delivery == null)
        {
            // Another AgentBus, or an approval too long ago to be remembered: the approval is all that is known.
            return new ValidationResult(true, List.of(), List.of(), approvalMeta(item), dev.eab.api.Decision.ALLOW, MessageStatus.VALIDATED,
                held.constitutionalHash(), dev.eab.api.RejectReason.NONE);
        }
        final ValidationResult delivered;
        try
        {
            delivered = delivery.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException e)
        {
            throw new MessageTimeoutException(message.messageId(), 0, operation + " awaiting delivery after approval of " + item.id());
        }
        catch (final ExecutionException e)
        {
            throw new MessageDeliveryException(message.messageId(), message.toAgent(), ThrowableText.describe(e.getCause()));
        }
        if (!delivered.isValid())
        {
            throw new MessageDeliveryException(message.messageId(), message.toAgent(),
                "approved by " + item.id() + " but not delivered: " + delivered.rejectReason() + ": " + String.join("; ", delivered.errors()));
        }
        final Map<String, Object> meta = new LinkedHashMap<>(delivered.metadata());
        meta.putAll(approvalMeta(item));
        return new ValidationResult(true, delivered.errors(), delivered.warnings(), meta, delivered.decision(), delivered.status(),
            delivered.constitutionalHash(), delivered.rejectReason());
    }

    private static Map<String, Object> approvalMeta(final DeliberationItem item)
    {
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("deliberation_id", item.id());
        meta.put("deliberation_status", item.status().value());
        meta.put("reviewer", item.reviewer() == null ? "" : item.reviewer());
        meta.put("votes", item.votes().size());
        return meta;
    }
}
