package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.AgentMessage;
import dev.eab.api.Decision;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.AgentBusException;
import dev.eab.api.exception.BusOperationException;
import dev.eab.api.exception.MessageDeliveryException;
import dev.eab.api.exception.MessageTimeoutException;
import dev.eab.api.exception.ThrowableText;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a bus message from workflow code and waits for its outcome, turning a rejection into an exception
 * so that it fails the step that sent it. Runs on the step's own virtual thread, never on a bus thread
 * (waiting for a send's future from an INLINE handler would stall the bus).
 */
final class BusStepCalls
{
    private BusStepCalls()
    {
    }

    /** Sends and waits at most until {@code deadlineNanos} (a {@link System#nanoTime()} value): a step's or node's own deadline. */
    static ValidationResult sendBefore(final AgentBus bus, final AgentMessage message, final long deadlineNanos, final String operation)
        throws InterruptedException
    {
        return sendAndAwait(bus, message, Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000), operation);
    }

    /**
     * Sends and waits for the outcome; a HOLD (the message is under deliberation) waits on for the decision, within
     * the same timeout (see {@link HeldMessageWait}): approval gives the delivery's result, rejection or a timeout
     * throws.
     */
    static ValidationResult sendAndAwait(final AgentBus bus, final AgentMessage message, final long timeoutMs, final String operation)
        throws InterruptedException
    {
        final long deadlineNanos = System.nanoTime() + Math.max(1, timeoutMs) * 1_000_000L;
        if (bus == null)
        {
            throw new BusOperationException("No bus was given to this workflow: it cannot send '" + message.messageId() + "'",
                Map.of("operation", operation));
        }
        final CompletableFuture<ValidationResult> future = bus.send(message);
        final ValidationResult result;
        try
        {
            result = future.get(Math.max(1, timeoutMs), TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException e)
        {
            future.cancel(false);
            throw new MessageTimeoutException(message.messageId(), timeoutMs, operation);
        }
        catch (final ExecutionException e)
        {
            final Throwable cause = e.getCause();
            if (cause instanceof AgentBusException busFailure)
            {
                throw busFailure;
            }
            throw new MessageDeliveryException(message.messageId(), message.toAgent(), ThrowableText.describe(cause));
        }
        if (result == null || !result.isValid())
        {
            final String reason = result == null ? "no result"
                : result.rejectReason() + ": " + String.join("; ", result.errors());
            throw new MessageDeliveryException(message.messageId(), message.toAgent(), reason);
        }
        if (result.decision() == Decision.HOLD)
        {
            return HeldMessageWait.await(bus, message, result, deadlineNanos, operation);
        }
        return result;
    }
}
