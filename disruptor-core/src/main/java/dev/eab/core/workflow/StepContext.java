package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.AgentMessage;
import dev.eab.api.ValidationResult;

import java.util.Map;

/**
 * What a saga step's {@link StepAction} sees: the saga id and input, the step's name and attempt (1-based,
 * counted across a resume), the results of the steps completed before it (restored from the journal after
 * a resume), and a way to send bus messages that fails the step when the bus rejects them.
 */
public final class StepContext
{
    private final String sagaId;
    private final String input;
    private final String stepName;
    private final int attempt;
    private final Map<String, String> results;
    private final AgentBus bus;
    private final long deadlineNanos;

    StepContext(
        final String sagaId, final String input, final String stepName, final int attempt, final Map<String, String> results,
        final AgentBus bus, final long deadlineNanos)
    {
        this.sagaId = sagaId;
        this.input = input;
        this.stepName = stepName;
        this.attempt = attempt;
        this.results = results;
        this.bus = bus;
        this.deadlineNanos = deadlineNanos;
    }

    /** @return the saga instance's id. */
    public String sagaId()
    {
        return sagaId;
    }

    /** @return the text the saga was started with, may be null. */
    public String input()
    {
        return input;
    }

    /** @return this step's name. */
    public String stepName()
    {
        return stepName;
    }

    /** @return this attempt, from 1. */
    public int attempt()
    {
        return attempt;
    }

    /** @return results of the completed earlier steps by step name, in step order, unmodifiable (a step with a null result is absent). */
    public Map<String, String> results()
    {
        return results;
    }

    /**
     * @param stepName an earlier step.
     * @return its result, or null when it has none (not completed, or returned null).
     */
    public String result(final String stepName)
    {
        return results.get(stepName);
    }

    /**
     * Sends a message on the coordinator's bus and waits for its outcome, at most until this attempt's
     * timeout. Call it from the step (its own virtual thread), as often as needed.
     *
     * @param message the message.
     * @return the accepted message's result.
     * @throws dev.eab.api.exception.MessageDeliveryException when the bus rejected it (the reason and errors are in the text):
     *     thrown out of the step, it fails the attempt.
     * @throws dev.eab.api.exception.MessageTimeoutException when no outcome came before the attempt's timeout.
     * @throws dev.eab.api.exception.BusOperationException when the coordinator has no bus; other bus exceptions as {@code send} throws them.
     * @throws InterruptedException when the attempt was cut off (its timeout passed).
     */
    public ValidationResult send(final AgentMessage message) throws InterruptedException
    {
        return BusStepCalls.sendBefore(bus, message, deadlineNanos, "saga step '" + stepName + "'");
    }
}
