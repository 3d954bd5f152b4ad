package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers for the bus-level tests: configurations, messages, waiting without timing assertions. */
final class BusFixtures
{
    /** Hang guard only: no test asserts on how long anything takes. */
    static final long HANG_GUARD_S = 10;

    private BusFixtures()
    {
    }

    /** A small bus for tests: given native mode, 1024-slot ring, no stage timing noise. */
    static BusConfiguration.Builder config(final NativeMode mode)
    {
        return BusConfiguration.forTesting().toBuilder().nativeMode(mode).ringSize(1024);
    }

    static EnhancedAgentBus started(final BusConfiguration config)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(config);
        bus.start();
        return bus;
    }

    static AgentMessage.Builder msg(final String from, final String to, final String tenant)
    {
        return AgentMessage.builder().fromAgent(from).toAgent(to).tenantId(tenant == null ? "" : tenant).messageType(MessageType.QUERY)
            .content(Map.of("q", "x"));
    }

    static AgentMessage capabilityMsg(final String from, final String tenant, final List<String> caps)
    {
        return AgentMessage.builder().fromAgent(from).tenantId(tenant == null ? "" : tenant).messageType(MessageType.TASK_REQUEST)
            .content(Map.of("required_capabilities", caps, "task", "t")).build();
    }

    static <T> T get(final CompletableFuture<T> f)
    {
        try
        {
            return f.get(HANG_GUARD_S, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new AssertionError("future did not complete normally: " + e, e);
        }
    }

    static ValidationResult send(final EnhancedAgentBus bus, final AgentMessage m)
    {
        return get(bus.send(m));
    }

    /** Waits until the condition holds; fails after the hang guard. */
    static void await(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("hang guard: still waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        assertTrue(condition.getAsBoolean());
    }

    /** An outcome as told to a publisher's listener. */
    record Outcome(String kind, long correlationId, RejectReason reason, int recipientHandle, Throwable error)
    {
    }

    /** Records every outcome; thread-safe (dispatched outcomes arrive on inbox threads). */
    static final class RecordingListener implements OutcomeListener
    {
        final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

        @Override
        public void onDelivered(final long correlationId, final int recipientHandle)
        {
            outcomes.add(new Outcome("delivered", correlationId, RejectReason.NONE, recipientHandle, null));
        }

        @Override
        public void onRejected(final long correlationId, final RejectReason reason)
        {
            outcomes.add(new Outcome("rejected", correlationId, reason, -1, null));
        }

        @Override
        public void onHandlerFailed(final long correlationId, final Throwable error)
        {
            outcomes.add(new Outcome("failed", correlationId, RejectReason.NONE, -1, error));
        }

        /** Waits for the outcome of one correlation id. */
        Outcome awaitOutcome(final long correlationId)
        {
            await(() -> find(correlationId) != null, "outcome of correlation id " + correlationId);
            return find(correlationId);
        }

        Outcome find(final long correlationId)
        {
            for (final Outcome o : outcomes)
            {
                if (o.correlationId() == correlationId)
                {
                    return o;
                }
            }
            return null;
        }
    }
}
