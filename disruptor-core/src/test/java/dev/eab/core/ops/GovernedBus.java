package dev.eab.core.ops;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.Decision;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliveryMode;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.OutcomeListener;
import dev.eab.api.Priority;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.EnhancedAgentBus;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real bus with governance on for the end-to-end tests of the review surface: senders {@code planner-1} and
 * {@code planner-2}, recipient {@code executor-1} whose handler records what it is delivered, and a zero-allocation
 * publisher whose listener records each outcome. CRITICAL priority holds a message whatever its content (the
 * scorer's critical override), so the tests hold exactly what they mean to.
 */
public final class GovernedBus implements AutoCloseable
{
    /** Hang bound for one bus operation (not a latency check). */
    public static final long HANG_BOUND_S = 30;

    public final EnhancedAgentBus bus;
    /** Message ids (send) delivered to executor-1, in order. */
    public final List<String> deliveredIds = new CopyOnWriteArrayList<>();
    /** Correlation ids (zero-allocation) delivered to executor-1, in order. */
    public final List<Long> deliveredCorrelations = new CopyOnWriteArrayList<>();
    /** Each zero-allocation message's outcomes, in order: "held", "delivered", "rejected:REASON". */
    public final Map<Long, List<String>> outcomes = new ConcurrentHashMap<>();
    private final MessagePublisher publisher;

    public GovernedBus()
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().governance(GovernanceSettings.ON).build());
        bus.registerAgent("planner-1", "planner", Set.of(), "acme", null);
        bus.registerAgent("planner-2", "planner", Set.of(), "acme", null);
        bus.registerAgent("executor-1", "executor", Set.of(), "acme", null);
        bus.subscribe("executor-1", m ->
        {
            if (m.correlationId() != 0)
            {
                deliveredCorrelations.add(m.correlationId());
            }
            else
            {
                deliveredIds.add(m.toMessage().messageId());
            }
        }, DeliveryMode.INLINE);
        bus.start();
        publisher = bus.publisher("planner-2", new OutcomeListener()
        {
            @Override
            public void onDelivered(final long correlationId, final int recipientHandle)
            {
                record(correlationId, "delivered");
            }

            @Override
            public void onRejected(final long correlationId, final RejectReason reason)
            {
                record(correlationId, "rejected:" + reason.name());
            }

            @Override
            public void onHeld(final long correlationId)
            {
                record(correlationId, "held");
            }
        });
    }

    private void record(final long correlationId, final String outcome)
    {
        outcomes.computeIfAbsent(correlationId, k -> new CopyOnWriteArrayList<>()).add(outcome);
    }

    /** Sends a CRITICAL message from planner-1 with {@code send}; @return its deliberation id (asserts HOLD). */
    public String holdBySend(final AgentMessage.Builder message) throws Exception
    {
        final ValidationResult result = bus.send(message.fromAgent("planner-1").toAgent("executor-1").tenantId("acme")
            .priority(Priority.CRITICAL).build()).get(HANG_BOUND_S, TimeUnit.SECONDS);
        assertEquals(Decision.HOLD, result.decision(), result.toString());
        assertEquals(MessageStatus.PENDING_DELIBERATION, result.status(), result.toString());
        return (String)result.metadata().get("deliberation_id");
    }

    /** Publishes a CRITICAL zero-allocation message from planner-2; @return its deliberation id once held. */
    public String holdByPublisher(final long correlationId, final String text) throws Exception
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        publisher.tryClaim().to(bus.getAgentInfo("executor-1").handle()).type(MessageType.COMMAND).priority(Priority.CRITICAL)
            .correlationId(correlationId).payload(payload, 0, payload.length).publish();
        awaitOutcomes(correlationId, List.of("held"));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_BOUND_S);
        while (System.nanoTime() < deadline)
        {
            for (final DeliberationItem item : bus.deliberations().pending())
            {
                if ("planner-2".equals(item.message().sendingAgent()))
                {
                    return item.id();
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the held zero-allocation message never appeared in pending()");
    }

    /** Waits (bounded) until the message's outcomes are exactly {@code expected}. */
    public void awaitOutcomes(final long correlationId, final List<String> expected) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_BOUND_S);
        while (!expected.equals(outcomes.getOrDefault(correlationId, List.of())) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(expected, outcomes.getOrDefault(correlationId, List.of()), "outcomes of " + correlationId);
    }

    /** Waits (bounded) until executor-1 has been delivered {@code messageId}. */
    public void awaitDelivered(final String messageId) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_BOUND_S);
        while (!deliveredIds.contains(messageId) && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertTrue(deliveredIds.contains(messageId), "delivered: " + deliveredIds);
    }

    @Override
    public void close()
    {
        bus.close();
    }
}
