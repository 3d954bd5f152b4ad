package dev.eab.core.governance;

import dev.eab.api.ValidationResult;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The delivery outcomes of approved, re-injected messages by message id, so that the code that sent a held
 * message (a saga step waiting for its deliberation) sees what delivery did with it after the approval, not just
 * that it was approved. Bounded: the most recent {@value #REMEMBERED} approvals are kept, older ones forgotten
 * (a waiter that comes later than that gets the approval without the delivery outcome).
 *
 * <p>Written by whichever thread approves (the re-injection), read by waiters; approvals are rare, so one lock.
 * Never touched by the bus thread.
 */
public final class ApprovedDeliveries
{
    /** Re-injection outcomes kept. */
    public static final int REMEMBERED = 1024;

    private final Map<String, CompletableFuture<ValidationResult>> outcomes = new LinkedHashMap<>();

    /** Records the future the re-injected message's routing completes. */
    public synchronized void track(final String messageId, final CompletableFuture<ValidationResult> outcome)
    {
        if (messageId == null || outcome == null)
        {
            return;
        }
        outcomes.put(messageId, outcome);
        if (outcomes.size() > REMEMBERED)
        {
            final Iterator<String> oldest = outcomes.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** @return the delivery outcome of this approved message, or null when it was not re-injected here (or forgotten). */
    public synchronized CompletableFuture<ValidationResult> outcomeOf(final String messageId)
    {
        return outcomes.get(messageId);
    }
}
