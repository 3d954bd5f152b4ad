package dev.eab.core.route;

import dev.eab.api.AgentMessage;
import dev.eab.api.OutcomeListener;
import dev.eab.api.ValidationResult;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * A validated message waiting in a recipient's inbox. At most one of {@code future} and {@code listener}
 * is set, telling whom to inform once the handler has run (or, when the handler was unsubscribed before
 * running it, once the message is received); neither when the sender was already told at enqueue time.
 *
 * <p>Several threads may race to report one delivery's outcome (its inbox thread, a watchdog that gave
 * up on a wedged handler, a subscription hand-over, {@code receive}): {@link #claimOutcome()} lets exactly
 * one of them report, so every message gets exactly one outcome.
 */
public final class Delivery
{
    private static final VarHandle OUTCOME_CLAIMED;

    static
    {
        try
        {
            OUTCOME_CLAIMED = MethodHandles.lookup().findVarHandle(Delivery.class, "outcomeClaimed", int.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AgentMessage message;
    private final ValidationResult accepted;
    private final CompletableFuture<ValidationResult> future;
    private final OutcomeListener listener;
    private final long correlationId;
    private final int senderHandle;
    private final Subscription routedTo;
    private final long journalIndex;
    @SuppressWarnings("unused") // through OUTCOME_CLAIMED
    private volatile int outcomeClaimed;

    /**
     * @param message       the message (flyweight messages are copied out of the ring into one).
     * @param accepted      the ALLOW result to complete with when the handler succeeds, or null (flyweight).
     * @param future        the sender's future, or null.
     * @param listener      the publisher's listener, or null.
     * @param correlationId the publisher's correlation id.
     * @param senderHandle  the sender's handle, for {@link dev.eab.api.MessageView#senderHandle()}.
     * @param routedTo      the subscription the bus thread routed it under: a subscription hand-over gives
     *                      the old handler exactly the deliveries routed to it.
     * @param journalIndex  the journal index of its accepted record (acked once handed out), or -1.
     */
    public Delivery(
        final AgentMessage message, final ValidationResult accepted, final CompletableFuture<ValidationResult> future,
        final OutcomeListener listener, final long correlationId, final int senderHandle, final Subscription routedTo, final long journalIndex)
    {
        this.journalIndex = journalIndex;
        this.message = message;
        this.accepted = accepted;
        this.future = future;
        this.listener = listener;
        this.correlationId = correlationId;
        this.senderHandle = senderHandle;
        this.routedTo = routedTo;
    }

    public AgentMessage message() { return message; }
    public ValidationResult accepted() { return accepted; }
    public CompletableFuture<ValidationResult> future() { return future; }
    public OutcomeListener listener() { return listener; }
    public long correlationId() { return correlationId; }
    public int senderHandle() { return senderHandle; }
    public Subscription routedTo() { return routedTo; }
    public long journalIndex() { return journalIndex; }

    /** @return true when somebody still waits for this delivery's outcome (a future or a listener). */
    public boolean awaitsOutcome()
    {
        return future != null || listener != null;
    }

    /** @return true for exactly one caller, the one that reports this delivery's outcome. */
    public boolean claimOutcome()
    {
        return OUTCOME_CLAIMED.compareAndSet(this, 0, 1);
    }
}
