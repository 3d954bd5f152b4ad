package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.eab.core.workflow.SagaRecordDescriptor.FLAG_INTERRUPTED;
import static dev.eab.core.workflow.SagaRecordDescriptor.FLAG_LAST_ATTEMPT;
import static dev.eab.core.workflow.SagaTransition.*;
import static dev.eab.core.workflow.WorkflowFixtures.Events;
import static dev.eab.core.workflow.WorkflowFixtures.THREE_FAST;
import static dev.eab.core.workflow.WorkflowFixtures.okStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resume rules, from journals written as a crashed run leaves them (the child-JVM kill test proves the same
 * with a real {@code kill -9}; these pin every case).
 */
class SagaResumeTest
{
    @TempDir
    Path dir;

    private final Events events = new Events();

    /** a completed, b's first attempt running. */
    private static final Object[][] A_DONE_B_RUNNING = {r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1)};
    /** a completed, b failed twice and its third (last) attempt running. */
    private static final Object[][] B_ON_LAST_ATTEMPT = {r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1), r(STEP_FAILED, 1, 1),
        r(STEP_STARTED, 1, 2), r(STEP_FAILED, 1, 2), r(STEP_STARTED, 1, 3)};

    private Saga saga(final InterruptedStepPolicy policyOfB, final boolean bOptional)
    {
        return Saga.builder("order")
            .step(okStep("a", events).build())
            .step(okStep("b", events).retry(THREE_FAST).compensationRetry(THREE_FAST).optional(bOptional).onInterrupted(policyOfB)
                .action(ctx ->
                {
                    events.add("run:b#" + ctx.attempt() + " sees " + ctx.results());
                    return "b-result";
                }).build())
            .step(okStep("c", events).build())
            .build();
    }

    /** Writes a crashed run's journal. */
    private void crashed(final Object[]... records)
    {
        try (SagaJournal journal = SagaJournal.open(dir))
        {
            journal.append(new SagaRecord(SAGA_STARTED, 1, 3, 0, 0, "id", "order", "in"));
            for (final Object[] r : records)
            {
                final int step = (Integer) r[1];
                journal.append(new SagaRecord((SagaTransition) r[0], 2, step, (Integer) r[2], r.length > 3 ? (Integer) r[3] : 0, "id",
                    step < 0 ? "order" : List.of("a", "b", "c").get(step), step == 0 && r[0] == STEP_COMPLETED ? "a-result" : null));
            }
        }
    }

    private static Object[] r(final SagaTransition type, final int step, final int attempt)
    {
        return new Object[] {type, step, attempt};
    }

    private static Object[] r(final SagaTransition type, final int step, final int attempt, final int flags)
    {
        return new Object[] {type, step, attempt, flags};
    }

    private SagaResult resume(final Saga saga)
    {
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, null))
        {
            coordinator.register(saga);
            assertEquals(Map.of("id", "order"), coordinator.unfinished());
            final SagaResult result = coordinator.resume("id");
            assertTrue(coordinator.unfinished().isEmpty(), "a resumed saga is finished in the journal");
            return result;
        }
    }

    @Test
    void completedStepsAreNotRunAgainAndTheRunningOneIsRetried()
    {
        crashed(A_DONE_B_RUNNING);

        final SagaResult result = resume(saga(InterruptedStepPolicy.RETRY, false));

        assertEquals(SagaStatus.COMPLETED, result.status());
        assertEquals(List.of("run:b#2 sees {a=a-result}", "run:c"), events.all());
        assertEquals(2, result.step("b").attempts());
        assertEquals(Map.of("a", "a-result", "b", "b-result", "c", "c-result"), result.stepResults());
        assertTrue(result.resumed());
        assertTrue(result.errors().getFirst().contains("Interrupted"), result.errors().toString());
    }

    @Test
    void aRunningStepUnderTheCompensatePolicyIsCompensatedWithItsOwnCompensationFirst()
    {
        crashed(A_DONE_B_RUNNING);

        final SagaResult result = resume(saga(InterruptedStepPolicy.COMPENSATE, true));

        assertEquals(SagaStatus.COMPENSATED, result.status());
        assertEquals(List.of("comp:b", "comp:a"), events.all());
        assertEquals("b", result.failedStep());
        assertEquals(List.of("b", "a"), result.compensatedSteps());
    }

    @Test
    void aRunningStepOnItsLastAttemptFailsAndARequiredStepThenCompensates()
    {
        crashed(B_ON_LAST_ATTEMPT);

        final SagaResult result = resume(saga(InterruptedStepPolicy.RETRY, false));

        assertEquals(SagaStatus.COMPENSATED, result.status());
        assertEquals(List.of("comp:b", "comp:a"), events.all());
        assertEquals(3, result.step("b").attempts());
    }

    @Test
    void anOptionalStepOutOfAttemptsIsLeftAndTheSagaGoesOn()
    {
        crashed(B_ON_LAST_ATTEMPT);

        final SagaResult result = resume(saga(InterruptedStepPolicy.RETRY, true));

        assertEquals(SagaStatus.COMPLETED, result.status());
        assertEquals(List.of("run:c"), events.all());
        assertEquals(StepStatus.FAILED, result.step("b").status());
    }

    @Test
    void aCrashBetweenAttemptsContinuesWithTheNextAttempt()
    {
        crashed(r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1), r(STEP_FAILED, 1, 1));

        final SagaResult result = resume(saga(InterruptedStepPolicy.COMPENSATE, false));

        assertEquals(SagaStatus.COMPLETED, result.status());
        assertEquals(List.of("run:b#2 sees {a=a-result}", "run:c"), events.all());
    }

    @Test
    void aCrashDuringCompensationContinuesItAndCountsTheCutOffAttempt()
    {
        crashed(r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1), r(STEP_COMPLETED, 1, 1),
            r(STEP_STARTED, 2, 1), r(STEP_FAILED, 2, 1, FLAG_LAST_ATTEMPT), r(SAGA_COMPENSATING, 2, 0),
            r(COMPENSATION_STARTED, 2, 1), r(COMPENSATION_DONE, 2, 1), r(COMPENSATION_STARTED, 1, 1));

        final SagaResult result = resume(saga(InterruptedStepPolicy.RETRY, false));

        assertEquals(SagaStatus.COMPENSATED, result.status());
        assertEquals(List.of("comp:b", "comp:a"), events.all(), "c is not compensated twice; b continues; nothing runs forward");
        assertEquals(List.of("c", "b", "a"), result.compensatedSteps());
        assertEquals(2, result.step("b").compensationAttempts());
        assertEquals("c", result.failedStep());
    }

    @Test
    void aCompensationCutOffOnItsLastAttemptIsAFailedCompensation()
    {
        crashed(r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1), r(STEP_FAILED, 1, 1, FLAG_LAST_ATTEMPT),
            r(SAGA_COMPENSATING, 1, 0), r(COMPENSATION_STARTED, 1, 1), r(COMPENSATION_FAILED, 1, 1),
            r(COMPENSATION_STARTED, 1, 2), r(COMPENSATION_FAILED, 1, 2), r(COMPENSATION_STARTED, 1, 3));

        final SagaResult result = resume(saga(InterruptedStepPolicy.RETRY, false));

        assertEquals(SagaStatus.PARTIALLY_COMPENSATED, result.status());
        assertEquals(List.of("comp:a"), events.all());
        assertEquals(List.of("b"), result.failedCompensations());
        final List<SagaRecord> journal;
        try (SagaJournal j = SagaJournal.open(dir))
        {
            journal = j.read("id");
        }
        final SagaRecord cutOff = journal.stream().filter(x -> x.type() == COMPENSATION_FAILED && x.attempt() == 3).findFirst().orElseThrow();
        assertTrue(cutOff.has(FLAG_INTERRUPTED) && cutOff.has(FLAG_LAST_ATTEMPT));
    }

    @Test
    void aCrashAfterTheLastStepButBeforeTheEndOnlyRecordsTheEnd()
    {
        crashed(r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1), r(STEP_COMPLETED, 1, 1),
            r(STEP_STARTED, 2, 1), r(STEP_COMPLETED, 2, 1));

        final SagaResult result = resume(saga(InterruptedStepPolicy.RETRY, false));

        assertEquals(SagaStatus.COMPLETED, result.status());
        assertTrue(events.all().isEmpty(), events.all().toString());
    }

    @Test
    void aFinishedSagaIsReportedAndNothingRuns()
    {
        crashed(r(STEP_STARTED, 0, 1), r(STEP_COMPLETED, 0, 1), r(STEP_STARTED, 1, 1), r(STEP_COMPLETED, 1, 1),
            r(STEP_STARTED, 2, 1), r(STEP_COMPLETED, 2, 1), r(SAGA_FINISHED, -1, 0, SagaStatus.COMPLETED.code()));
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, null))
        {
            coordinator.register(saga(InterruptedStepPolicy.RETRY, false));
            final SagaResult result = coordinator.resume("id");
            assertEquals(SagaStatus.COMPLETED, result.status());
            assertEquals(List.of("a", "b", "c"), result.completedSteps());
        }
        assertTrue(events.all().isEmpty());
    }

    @Test
    void unknownIdsUnregisteredOrChangedDefinitionsAreRefused()
    {
        crashed(r(STEP_STARTED, 0, 1));
        try (SagaCoordinator coordinator = SagaCoordinator.open(dir, null))
        {
            assertTrue(assertThrows(WorkflowException.class, () -> coordinator.resume("nope")).getMessage().contains("not in the journal"));
            assertTrue(assertThrows(WorkflowException.class, () -> coordinator.resume("id")).getMessage().contains("not registered"));
            coordinator.register(Saga.builder("order").step(okStep("a", events).build()).build());
            assertTrue(assertThrows(WorkflowException.class, () -> coordinator.resume("id")).getMessage().contains("does not match"));
        }
        assertTrue(events.all().isEmpty());
    }
}
