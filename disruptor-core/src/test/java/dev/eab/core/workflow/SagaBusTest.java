package dev.eab.core.workflow;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.eab.core.workflow.WorkflowFixtures.ONCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saga steps and DAG nodes that send bus messages: an accepted message lets the step complete, a rejected one fails it. */
class SagaBusTest
{
    @TempDir
    Path dir;

    private EnhancedAgentBus bus;
    private final List<String> executorGot = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startBus()
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.OFF).ringSize(1024).build());
        bus.start();
        bus.registerAgent("planner", "planner", Set.of("planning"), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("executor", "executor", Set.of("execution"), "acme", MaciRole.IMPLEMENTER);
        bus.subscribe("executor", m -> executorGot.add(String.valueOf(m.toMessage().content().get("action"))));
    }

    @AfterEach
    void stopBus()
    {
        bus.close();
    }

    private static AgentMessage task(final String to, final String action)
    {
        return AgentMessage.builder().fromAgent("planner").toAgent(to).tenantId("acme")
            .messageType(MessageType.TASK_REQUEST).content(Map.of("action", action)).build();
    }

    private SagaStep sending(final String name, final String to, final String action)
    {
        return SagaStep.builder(name).retry(ONCE).compensationRetry(ONCE)
            .action(ctx -> ctx.send(task(to, action)).decision().name())
            .compensation(ctx ->
            {
                final ValidationResult undone = BusStepCalls.sendAndAwait(bus, task("executor", "undo-" + action), WorkflowFixtures.GUARD_TIMEOUT_MS, "test");
                assertTrue(undone.isValid());
            })
            .build();
    }

    @Test
    void anAcceptedMessageCompletesItsStep()
    {
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, bus))
        {
            final SagaResult r = coordinator.run(Saga.builder("deliver").step(sending("reserve", "executor", "reserve")).build(), null);

            assertEquals(SagaStatus.COMPLETED, r.status(), r.errors().toString());
            assertEquals("ALLOW", r.stepResults().get("reserve"));
            assertEquals(List.of("reserve"), executorGot, "delivered before the step completed");
        }
    }

    @Test
    void aRejectedMessageFailsItsStepAndTheEarlierStepsAreCompensated()
    {
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, bus))
        {
            final Saga saga = Saga.builder("deliver")
                .step(sending("reserve", "executor", "reserve"))
                .step(sending("notify", "ghost", "notify"))   // unknown recipient: the bus rejects it
                .build();

            final SagaResult r = coordinator.run(saga, null);

            assertEquals(SagaStatus.COMPENSATED, r.status(), r.errors().toString());
            assertEquals("notify", r.failedStep());
            final String error = r.step("notify").error();
            assertTrue(error.startsWith("MessageDeliveryException: Failed to deliver message"), error);
            assertTrue(error.contains("'ghost'") && error.contains(RejectReason.RECIPIENT_NOT_REGISTERED.name()), error);
            // notify's own compensation ran too (registered before it ran) and succeeded; reserve's then ran.
            assertEquals(List.of("reserve", "undo-notify", "undo-reserve"), executorGot);
            assertEquals(List.of("notify", "reserve"), r.compensatedSteps());
        }
    }

    @Test
    void aDagNodeSendsAndARejectionFailsIt()
    {
        final Dag dag = Dag.builder("fan")
            .node("ok", ctx -> ctx.send(task("executor", "from-dag")).decision())
            .node("rejected", ctx -> ctx.send(task("nobody", "lost")))
            .build();

        final DagResult r = new DagExecutor(2, bus).run(dag);

        assertEquals(NodeStatus.SUCCEEDED, r.node("ok").status());
        assertEquals(NodeStatus.FAILED, r.node("rejected").status());
        assertTrue(r.node("rejected").error().contains("'nobody'"), r.node("rejected").error());
        assertEquals(List.of("from-dag"), executorGot);
    }
}
