package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowDefinitionException;
import dev.eab.api.exception.WorkflowException;
import dev.eab.core.HostileThrowable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.eab.core.workflow.WorkflowFixtures.Events;
import static dev.eab.core.workflow.WorkflowFixtures.ONCE;
import static dev.eab.core.workflow.WorkflowFixtures.THREE_FAST;
import static dev.eab.core.workflow.WorkflowFixtures.failingStep;
import static dev.eab.core.workflow.WorkflowFixtures.okStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saga semantics in one process: order, LIFO compensation, retries, timeouts, optional steps, hostile code. */
class SagaTest
{
    @TempDir
    Path dir;

    private SagaCoordinator coordinator;
    private final Events events = new Events();

    @BeforeEach
    void open()
    {
        coordinator = SagaCoordinator.open(dir.resolve("sagas"), null);
    }

    @AfterEach
    void close()
    {
        coordinator.close();
    }

    @Test
    void completesStepsInOrderAndHandsResultsOn()
    {
        final AtomicReference<Map<String, String>> seenByC = new AtomicReference<>();
        final Saga saga = Saga.builder("order")
            .step(okStep("a", events).build())
            .step(okStep("b", events).build())
            .step(SagaStep.builder("c").retry(ONCE).action(ctx ->
            {
                seenByC.set(ctx.results());
                return ctx.input() + "+" + ctx.result("b");
            }).build())
            .build();

        final SagaResult r = coordinator.run(saga, "in");

        assertEquals(SagaStatus.COMPLETED, r.status());
        assertEquals(List.of("run:a", "run:b"), events.all());
        assertEquals(List.of("a", "b", "c"), r.completedSteps());
        assertEquals(Map.of("a", "a-result", "b", "b-result"), seenByC.get());
        assertEquals("in+b-result", r.stepResults().get("c"));
        assertNull(r.failedStep());
        assertTrue(r.compensatedSteps().isEmpty());
        for (final StepOutcome s : r.steps())
        {
            assertEquals(StepStatus.COMPLETED, s.status());
            assertEquals(1, s.attempts());
            assertFalse(s.finishedAt().isBefore(s.startedAt()), s.name());
        }
        assertFalse(r.finishedAt().isBefore(r.startedAt()));
        assertFalse(r.resumed());
    }

    @Test
    void compensatesLifoWhenTheFailingStepHasNoCompensation()
    {
        final Saga saga = Saga.builder("s")
            .step(okStep("a", events).build()).step(okStep("b", events).build()).step(failingStep("c", events).build()).step(okStep("d", events).build())
            .build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("run:a", "run:b", "run:c", "comp:b", "comp:a"), events.all());
        assertEquals("c", r.failedStep());
        assertEquals(List.of("b", "a"), r.compensatedSteps());
        assertEquals(StepStatus.FAILED, r.step("c").status());
        assertEquals(StepStatus.PENDING, r.step("d").status());
        assertEquals(StepStatus.COMPENSATED, r.step("a").status());
        assertTrue(r.errors().getFirst().contains("c broke"), r.errors().toString());
    }

    @Test
    void theFailingStepsOwnCompensationRunsFirstBecauseItWasRegisteredBeforeTheStepRan()
    {
        final AtomicReference<Object> resultSeen = new AtomicReference<>("unset");
        final Saga saga = Saga.builder("s")
            .step(okStep("a", events).build()).step(okStep("b", events).build())
            .step(failingStep("c", events).compensation(ctx ->
            {
                resultSeen.set(ctx.result());
                events.add("comp:c");
            }).build())
            .build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("run:a", "run:b", "run:c", "comp:c", "comp:b", "comp:a"), events.all());
        assertEquals(List.of("c", "b", "a"), r.compensatedSteps());
        assertNull(resultSeen.get(), "a step that did not complete gives its compensation no result");
    }

    @Test
    void retriesUntilAnAttemptSucceedsAndCountsAttempts()
    {
        final AtomicInteger calls = new AtomicInteger();
        final Saga saga = Saga.builder("s").step(SagaStep.builder("flaky").retry(THREE_FAST).action(ctx ->
        {
            calls.incrementAndGet();
            if (ctx.attempt() < 3)
            {
                throw new IllegalStateException("attempt " + ctx.attempt());
            }
            return "ok";
        }).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPLETED, r.status());
        assertEquals(3, calls.get());
        assertEquals(3, r.step("flaky").attempts());
        assertEquals(2, r.errors().size(), r.errors().toString());
    }

    @Test
    void aStepThatFailsEveryAttemptStopsAfterMaxAttempts()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(failingStep("b", events).retry(THREE_FAST).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(3, events.count("run:b"));
        assertEquals(3, r.step("b").attempts());
        assertEquals(List.of("a"), r.compensatedSteps());
    }

    @Test
    void aTimeoutIsAFailedAttemptAndCompensates()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(SagaStep.builder("slow").retry(RetryPolicy.of(2, 0, 50)).action(ctx ->
            {
                events.add("run:slow");
                Thread.sleep(WorkflowFixtures.GUARD_TIMEOUT_MS);
                return "never";
            }).build())
            .build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals("slow", r.failedStep());
        assertEquals(2, events.count("run:slow"));
        assertEquals("Timeout after 50ms", r.step("slow").error());
        final List<SagaRecord> failures = coordinator.journal().read(r.sagaId()).stream()
            .filter(x -> x.type() == SagaTransition.STEP_FAILED).toList();
        assertEquals(2, failures.size());
        assertTrue(failures.stream().allMatch(x -> x.has(SagaRecordDescriptor.FLAG_TIMED_OUT)));
        assertTrue(failures.getLast().has(SagaRecordDescriptor.FLAG_LAST_ATTEMPT));
        assertFalse(failures.getFirst().has(SagaRecordDescriptor.FLAG_LAST_ATTEMPT));
    }

    @Test
    void anOptionalStepsFailureLetsTheSagaComplete()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(failingStep("audit", events).optional(true).build())
            .step(okStep("c", events).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPLETED, r.status());
        assertEquals(List.of("run:a", "run:audit", "run:c"), events.all());
        assertEquals(List.of("a", "c"), r.completedSteps());
        assertNull(r.failedStep());
        assertEquals(StepStatus.FAILED, r.step("audit").status());
    }

    @Test
    void aFailedOptionalStepsCompensationStillRunsWhenALaterRequiredStepFails()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(failingStep("audit", events).optional(true).compensation(ctx -> events.add("comp:audit")).build())
            .step(failingStep("c", events).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("run:a", "run:audit", "run:c", "comp:audit", "comp:a"), events.all());
        assertEquals("c", r.failedStep());
    }

    @Test
    void aHostileThrowableFailsOnlyItsStep()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(SagaStep.builder("hostile").retry(ONCE).action(ctx ->
            {
                throw new HostileThrowable();
            }).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("a"), r.compensatedSteps());
        assertTrue(r.step("hostile").error().contains("getMessage() threw"), r.step("hostile").error());
    }

    @Test
    void anErrorThrownByAStepIsAStepFailure()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(SagaStep.builder("overflow").retry(ONCE).action(ctx -> recurse(0)).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("a"), r.compensatedSteps());
        assertTrue(r.step("overflow").error().startsWith("StackOverflowError"), r.step("overflow").error());
    }

    @Test
    void anErrorWhoseMethodsThrowIsAStepFailureToo()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(SagaStep.builder("hostile-error").retry(ONCE).action(ctx ->
            {
                throw new Error()
                {
                    @Override
                    public String getMessage()
                    {
                        throw new IllegalStateException("getMessage");
                    }

                    @Override
                    public String toString()
                    {
                        throw new IllegalStateException("toString");
                    }
                };
            }).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("a"), r.compensatedSteps());
        assertTrue(r.step("hostile-error").error().contains("getMessage() threw java.lang.IllegalStateException"), r.step("hostile-error").error());
    }

    private static String recurse(final int depth)
    {
        return recurse(depth + 1) + depth;
    }

    @Test
    void aCompensationThatKeepsThrowingLeavesThePartiallyCompensatedStatusAndTheOthersStillRun()
    {
        final Saga saga = Saga.builder("s")
            .step(okStep("a", events).build())
            .step(okStep("b", events).compensationRetry(THREE_FAST).compensation(ctx ->
            {
                events.add("comp:b");
                throw new HostileThrowable();
            }).build())
            .step(okStep("c", events).compensation(ctx ->
            {
                events.add("comp:c");
                throw new AssertionError("an Error from a compensation");
            }).build())
            .step(failingStep("d", events).build())
            .build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.PARTIALLY_COMPENSATED, r.status());
        assertEquals(List.of("run:a", "run:b", "run:c", "run:d", "comp:c", "comp:b", "comp:b", "comp:b", "comp:a"), events.all());
        assertEquals(List.of("c", "b"), r.failedCompensations());
        assertEquals(List.of("a"), r.compensatedSteps());
        assertEquals(StepStatus.COMPENSATION_FAILED, r.step("b").status());
        assertEquals(3, r.step("b").compensationAttempts());
    }

    @Test
    void aCompensationRetriedAfterAnErrorSucceeds()
    {
        final Saga saga = Saga.builder("s")
            .step(okStep("a", events).compensationRetry(THREE_FAST).compensation(ctx ->
            {
                events.add("comp:a#" + ctx.attempt() + "=" + ctx.result());
                if (ctx.attempt() == 1)
                {
                    throw new OutOfMemoryError("pretend");
                }
            }).build())
            .step(failingStep("b", events).build())
            .build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertEquals(List.of("comp:a#1=a-result", "comp:a#2=a-result"), events.withPrefix("").stream().filter(e -> e.startsWith("comp")).toList());
        assertEquals(2, r.step("a").compensationAttempts());
    }

    @Test
    void aBrokenJournalEndsFailedNotCompensatingAndStillCompensates()
    {
        final Saga saga = Saga.builder("s")
            .step(okStep("a", events).build())
            .step(okStep("b", events).action(ctx ->
            {
                events.add("run:b");
                coordinator.journal().close();   // the machinery breaks under the saga
                return "b-result";
            }).build())
            .step(okStep("c", events).build())
            .build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.FAILED, r.status());
        assertEquals(List.of("run:a", "run:b", "comp:b", "comp:a"), events.all());
        assertEquals(List.of("b", "a"), r.compensatedSteps());
        assertTrue(r.errors().stream().anyMatch(e -> e.contains("journal is closed")), r.errors().toString());
        assertTrue(r.status().isTerminal());
    }

    @Test
    void aStepResultTooLargeForTheJournalFailsTheStep()
    {
        final String huge = "x".repeat(SagaRecordDescriptor.MAX_TEXT_BYTES + 1);
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(SagaStep.builder("big").retry(ONCE).action(ctx -> huge).build()).build();

        final SagaResult r = coordinator.run(saga, null);

        assertEquals(SagaStatus.COMPENSATED, r.status());
        assertTrue(r.step("big").error().contains("more than the journal's"), r.step("big").error());
    }

    @Test
    void anInterruptedCallerStopsTheSagaWhichCompensatesAndKeepsTheInterrupt()
    {
        final AtomicReference<Thread> caller = new AtomicReference<>();
        final Saga saga = Saga.builder("s").step(okStep("a", events).build())
            .step(SagaStep.builder("interrupts").retry(THREE_FAST).optional(true).action(ctx ->
            {
                events.add("run:interrupts");
                caller.get().interrupt();
                throw new IllegalStateException("retry me");
            }).build())
            .step(okStep("c", events).build()).build();
        final AtomicReference<SagaResult> result = new AtomicReference<>();
        final AtomicReference<Boolean> flag = new AtomicReference<>();
        final Thread t = Thread.ofPlatform().unstarted(() ->
        {
            result.set(coordinator.run(saga, null));
            flag.set(Thread.currentThread().isInterrupted());
        });
        caller.set(t);
        t.start();
        join(t);

        // No retry, no next step: an interrupt stops the saga even in an optional step, and it compensates.
        assertEquals(SagaStatus.COMPENSATED, result.get().status());
        assertEquals(List.of("run:a", "run:interrupts", "comp:a"), events.all());
        assertEquals("interrupts", result.get().failedStep());
        assertTrue(flag.get(), "the interrupt is handed back to the caller");
    }

    @Test
    void concurrentSagasOnOneCoordinatorKeepTheirOwnJournals()
    {
        final int sagas = 4;
        final Saga saga = Saga.builder("s").step(okStep("a", events).build()).step(okStep("b", events).build()).build();
        final List<Thread> threads = new ArrayList<>();
        final Map<String, SagaResult> results = new ConcurrentHashMap<>();
        for (int i = 0; i < sagas; i++)
        {
            final String id = "saga-" + i;
            threads.add(Thread.ofPlatform().start(() -> results.put(id, coordinator.run(saga, id, id))));
        }
        threads.forEach(SagaTest::join);

        assertEquals(sagas, results.size());
        for (final Map.Entry<String, SagaResult> e : results.entrySet())
        {
            assertEquals(SagaStatus.COMPLETED, e.getValue().status());
            final List<SagaTransition> types = coordinator.journal().read(e.getKey()).stream().map(SagaRecord::type).toList();
            assertEquals(List.of(SagaTransition.SAGA_STARTED, SagaTransition.STEP_STARTED, SagaTransition.STEP_COMPLETED,
                SagaTransition.STEP_STARTED, SagaTransition.STEP_COMPLETED, SagaTransition.SAGA_FINISHED), types, e.getKey());
            assertEquals(e.getKey(), coordinator.journal().read(e.getKey()).getFirst().text());
        }
        assertTrue(coordinator.unfinished().isEmpty());
    }

    @Test
    void definitionsAreCheckedWhole()
    {
        assertEquals(List.of("x"), assertThrows(WorkflowDefinitionException.class,
            () -> Saga.builder("s").step(okStep("x", events).build()).step(okStep("x", events).build()).build()).nodes());
        assertThrows(WorkflowDefinitionException.class, () -> Saga.builder("s").build());
        assertThrows(WorkflowDefinitionException.class, () -> Saga.builder(" ").step(okStep("x", events).build()).build());
        assertEquals(List.of("y"), assertThrows(WorkflowDefinitionException.class,
            () -> Saga.builder("s").step(SagaStep.builder("y").build()).build()).nodes());
    }

    @Test
    void aSagaIdRunsOnce()
    {
        final Saga saga = Saga.builder("s").step(okStep("a", events).build()).build();
        coordinator.run(saga, "order-1", null);
        final WorkflowException e = assertThrows(WorkflowException.class, () -> coordinator.run(saga, "order-1", null));
        assertTrue(e.getMessage().contains("already in the journal"));
        assertEquals(1, events.count("run:a"));
    }

    static void join(final Thread t)
    {
        try
        {
            t.join(WorkflowFixtures.GUARD_TIMEOUT_MS);
        }
        catch (final InterruptedException e)
        {
            throw new AssertionError(e);
        }
        assertFalse(t.isAlive(), "hang guard");
        assertNotNull(t);
    }
}
