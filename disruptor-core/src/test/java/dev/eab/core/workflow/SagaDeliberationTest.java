package dev.eab.core.workflow;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliveryMode;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.DeliberationException;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.governance.DeliberationQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.eab.core.workflow.WorkflowFixtures.GUARD_TIMEOUT_MS;
import static dev.eab.core.workflow.WorkflowFixtures.ONCE;
import static dev.eab.core.workflow.WorkflowFixtures.THREE_FAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A saga step whose message the bus HOLDs for deliberation (impact ≥ 0.8) waits for the decision on a real bus with
 * governance on: approval lets it complete with the delivery's result, rejection (by a reviewer or by votes) or a
 * deliberation timeout fails it without a retry and the saga compensates; a step that stops waiting withdraws its
 * held message so a late approval cannot deliver it.
 */
class SagaDeliberationTest
{
    private static final String ALARM = "critical security breach";   // scores exactly 0.80: held

    @TempDir
    Path dir;

    private EnhancedAgentBus bus;
    private final List<String> executorGot = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<String> heldIds = new LinkedBlockingQueue<>();

    private void startBus(final GovernanceSettings governance)
    {
        bus = new EnhancedAgentBus(BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.AUTO).ringSize(1024).governance(governance)
            .build());
        bus.registerAgent("planner", "planner", Set.of(), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("executor", "executor", Set.of(), "acme", MaciRole.IMPLEMENTER);
        for (final String judge : List.of("judge1", "judge2", "judge3"))
        {
            bus.registerAgent(judge, "judge", Set.of(), "acme", MaciRole.JUDICIAL);
        }
        bus.subscribe("executor", m -> executorGot.add(String.valueOf(m.toMessage().content().get("content"))), DeliveryMode.INLINE);
        bus.deliberations().addListener(new DeliberationListener()
        {
            @Override
            public void onHeld(final DeliberationItem item)
            {
                heldIds.add(item.id());
            }
        });
        bus.start();
    }

    @AfterEach
    void stopBus()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    private static AgentMessage task(final String text)
    {
        return AgentMessage.builder().fromAgent("planner").toAgent("executor").tenantId("acme")
            .messageType(MessageType.TASK_REQUEST).content(Map.of("content", text)).build();
    }

    private SagaStep sending(final String name, final String text, final RetryPolicy retry)
    {
        return SagaStep.builder(name).retry(retry).compensationRetry(ONCE)
            .action(ctx ->
            {
                final ValidationResult r = ctx.send(task(text));
                return r.status().value() + "/" + r.metadata().getOrDefault("deliberation_status", "-");
            })
            .compensation(ctx -> BusStepCalls.sendAndAwait(bus, task("undo " + name), GUARD_TIMEOUT_MS, "test"))
            .build();
    }

    private Saga reserveThenTransfer(final RetryPolicy transferRetry)
    {
        return Saga.builder("governed-transfer")
            .step(sending("reserve", "reserve funds", ONCE))
            .step(sending("transfer", ALARM, transferRetry))
            .build();
    }

    /** Runs the saga on its own thread; the reviewer (this thread) acts on the held message. */
    private SagaResult runReviewing(final Saga saga, final Consumer<String> reviewer) throws Exception
    {
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, bus))
        {
            final CompletableFuture<SagaResult> run = CompletableFuture.supplyAsync(() -> coordinator.run(saga, null));
            final String id = heldIds.poll(GUARD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            assertNotNull(id, "the transfer was held");
            reviewer.accept(id);
            return run.get(GUARD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aReviewRejectionFailsTheStepOnceAndTheSagaCompensatesStepOne() throws Exception
    {
        startBus(GovernanceSettings.ON);
        // Three attempts allowed: a review rejection must still end the step at once (no second hold).
        final SagaResult r = runReviewing(reserveThenTransfer(THREE_FAST), id -> bus.deliberations().reject(id, "alice", "too risky"));

        assertEquals(SagaStatus.COMPENSATED, r.status(), r.errors().toString());
        assertEquals("transfer", r.failedStep());
        final String error = r.step("transfer").error();
        assertTrue(error.startsWith("DeliberationRejectedException: Deliberation '") && error.contains("(reviewer alice): too risky"), error);
        assertEquals(1, r.step("transfer").attempts(), "a refused message is not sent again");
        assertEquals(List.of("transfer", "reserve"), r.compensatedSteps());
        assertEquals(List.of("reserve funds", "undo transfer", "undo reserve"), executorGot, "the held message was never delivered");
        assertEquals(1L, bus.deliberations().heldCount());
    }

    @Test
    void anApprovalDeliversTheMessageAndTheStepCompletesWithTheDeliveredResult() throws Exception
    {
        startBus(GovernanceSettings.ON);
        final SagaResult r = runReviewing(reserveThenTransfer(ONCE), id -> bus.deliberations().approve(id, "alice", "fine"));

        assertEquals(SagaStatus.COMPLETED, r.status(), r.errors().toString());
        assertEquals(MessageStatus.DELIVERED.value() + "/approved", r.stepResults().get("transfer"));
        assertEquals(List.of("reserve funds", ALARM), executorGot);
    }

    @Test
    void aRejectionByJudicialVotesCompensatesToo() throws Exception
    {
        startBus(GovernanceSettings.ON);
        final SagaResult r = runReviewing(reserveThenTransfer(ONCE), id ->
        {
            bus.deliberations().vote(id, "judge1", dev.eab.api.VoteChoice.REJECT, "no");
            bus.deliberations().vote(id, "judge2", dev.eab.api.VoteChoice.REJECT, "no");
            bus.deliberations().vote(id, "judge3", dev.eab.api.VoteChoice.APPROVE, "yes");
        });

        assertEquals(SagaStatus.COMPENSATED, r.status(), r.errors().toString());
        assertTrue(r.step("transfer").error().contains("by vote"), r.step("transfer").error());
        assertEquals(List.of("reserve funds", "undo transfer", "undo reserve"), executorGot);
    }

    @Test
    void aDeliberationTimeoutFailsTheStepAndTheSagaCompensates() throws Exception
    {
        startBus(GovernanceSettings.ON.withTimeoutMs(200));
        final SagaResult r = runReviewing(reserveThenTransfer(THREE_FAST), id -> { });

        assertEquals(SagaStatus.COMPENSATED, r.status(), r.errors().toString());
        final String error = r.step("transfer").error();
        assertTrue(error.startsWith("DeliberationTimeoutException: Deliberation '"), error);
        assertEquals(1, r.step("transfer").attempts());
        assertEquals(List.of("reserve funds", "undo transfer", "undo reserve"), executorGot);
    }

    @Test
    void aStepThatStopsWaitingWithdrawsItsHeldMessageSoALateApprovalDeliversNothing() throws Exception
    {
        startBus(GovernanceSettings.ON);
        // The step's own timeout (a hang bound, not a timing claim) passes long before the 300 s deliberation timeout.
        final String[] held = new String[1];
        final SagaResult r = runReviewing(reserveThenTransfer(RetryPolicy.once(300)), id -> held[0] = id);

        assertEquals(SagaStatus.COMPENSATED, r.status(), r.errors().toString());
        final DeliberationItem item = bus.deliberations().get(held[0]).orElseThrow();
        assertEquals(DeliberationStatus.REJECTED, item.status());
        assertEquals(DeliberationQueue.WITHDRAWN_BY, item.reviewer());
        assertThrows(DeliberationException.class, () -> bus.deliberations().approve(held[0], "alice", "too late"));
        assertEquals(List.of("reserve funds", "undo transfer", "undo reserve"), executorGot, "never delivered");
    }
}
