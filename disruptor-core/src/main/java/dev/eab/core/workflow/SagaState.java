package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A saga instance's state as its journal records it. A live run changes it only by applying the records it
 * journals ({@link #apply}), and a resume rebuilds it by applying the journaled records in order: one code
 * path, so what a resume believes is exactly what the crashed run had written. Confined to one thread.
 */
final class SagaState
{
    /** One step's progress. */
    static final class StepState
    {
        final String name;
        int attemptsStarted;
        boolean inFlight;
        boolean completed;
        String result;
        boolean finalFailed;
        boolean lastFailureInterrupted;
        String lastError;
        long firstStartNs;
        long lastEndNs;
        int compensationAttempts;
        boolean compensationInFlight;
        boolean compensationDone;
        boolean compensationFailed;

        StepState(final String name)
        {
            this.name = name;
        }

        /** A step's compensation is registered when its first attempt is journaled as started. */
        boolean registered()
        {
            return attemptsStarted > 0;
        }

        StepStatus status()
        {
            if (compensationDone)
            {
                return StepStatus.COMPENSATED;
            }
            if (compensationFailed)
            {
                return StepStatus.COMPENSATION_FAILED;
            }
            if (compensationAttempts > 0)
            {
                return StepStatus.COMPENSATING;
            }
            if (completed)
            {
                return StepStatus.COMPLETED;
            }
            if (inFlight)
            {
                return StepStatus.EXECUTING;
            }
            return attemptsStarted > 0 ? StepStatus.FAILED : StepStatus.PENDING;
        }
    }

    final String sagaId;
    final Saga saga;
    String input;
    long startedNs;
    final StepState[] steps;
    boolean started;
    boolean compensating;
    int failedStepIndex = -1;
    boolean finished;
    SagaStatus finishedStatus;
    long finishedNs;
    final List<String> errors = new ArrayList<>();
    final List<String> compensated = new ArrayList<>();
    final List<String> failedCompensations = new ArrayList<>();

    SagaState(final String sagaId, final Saga saga)
    {
        this.sagaId = sagaId;
        this.saga = saga;
        this.steps = new StepState[saga.steps().size()];
        for (int i = 0; i < steps.length; i++)
        {
            steps[i] = new StepState(saga.steps().get(i).name());
        }
    }

    /**
     * Applies one record.
     *
     * @throws WorkflowException when the record does not fit the definition (the saga was journaled under
     *     another definition of the same name) or comes in an impossible order.
     */
    void apply(final SagaRecord r)
    {
        if (!started && r.type() != SagaTransition.SAGA_STARTED)
        {
            throw mismatch("the first record is " + r.type() + ", not SAGA_STARTED");
        }
        switch (r.type())
        {
            case SAGA_STARTED ->
            {
                if (!saga.name().equals(r.name()) || r.stepIndex() != steps.length)
                {
                    throw mismatch("journaled as '" + r.name() + "' with " + r.stepIndex() + " steps");
                }
                started = true;
                input = r.text();
                startedNs = r.timestampNs();
            }
            case STEP_STARTED ->
            {
                final StepState s = step(r);
                s.attemptsStarted = r.attempt();
                s.inFlight = true;
                if (s.firstStartNs == 0)
                {
                    s.firstStartNs = r.timestampNs();
                }
            }
            case STEP_COMPLETED ->
            {
                final StepState s = step(r);
                s.inFlight = false;
                s.completed = true;
                s.result = r.text();
                s.lastEndNs = r.timestampNs();
            }
            case STEP_FAILED ->
            {
                final StepState s = step(r);
                s.inFlight = false;
                s.lastError = r.text();
                s.lastEndNs = r.timestampNs();
                s.finalFailed |= r.has(SagaRecordDescriptor.FLAG_LAST_ATTEMPT);
                s.lastFailureInterrupted = r.has(SagaRecordDescriptor.FLAG_INTERRUPTED);
                errors.add("Step '" + s.name + "' attempt " + r.attempt() + " failed: " + r.text());
            }
            case SAGA_COMPENSATING ->
            {
                compensating = true;
                failedStepIndex = r.stepIndex() >= 0 && r.stepIndex() < steps.length ? r.stepIndex() : -1;
                if (failedStepIndex < 0 && r.text() != null)
                {
                    errors.add(r.text());
                }
            }
            case COMPENSATION_STARTED ->
            {
                final StepState s = step(r);
                s.compensationAttempts = r.attempt();
                s.compensationInFlight = true;
            }
            case COMPENSATION_DONE ->
            {
                final StepState s = step(r);
                s.compensationInFlight = false;
                s.compensationDone = true;
                compensated.add(s.name);
            }
            case COMPENSATION_FAILED ->
            {
                final StepState s = step(r);
                s.compensationInFlight = false;
                s.lastError = r.text();
                errors.add("Compensation '" + s.name + "' attempt " + r.attempt() + " failed: " + r.text());
                if (r.has(SagaRecordDescriptor.FLAG_LAST_ATTEMPT) && !s.compensationFailed)
                {
                    s.compensationFailed = true;
                    failedCompensations.add(s.name);
                }
            }
            case SAGA_FINISHED ->
            {
                finished = true;
                finishedStatus = SagaStatus.ofCode(r.code());
                if (finishedStatus == null || !finishedStatus.isTerminal())
                {
                    throw mismatch("SAGA_FINISHED with status code " + r.code());
                }
                finishedNs = r.timestampNs();
            }
        }
    }

    private StepState step(final SagaRecord r)
    {
        if (r.stepIndex() < 0 || r.stepIndex() >= steps.length || !steps[r.stepIndex()].name.equals(r.name()))
        {
            throw mismatch(r.type() + " for step " + r.stepIndex() + " '" + r.name() + "'");
        }
        return steps[r.stepIndex()];
    }

    private WorkflowException mismatch(final String what)
    {
        return WorkflowException.of(
            "Saga '" + sagaId + "' does not match definition '" + saga.name() + "' (" + saga.steps().size() + " steps): " + what,
            "saga_id", sagaId, "saga", saga.name());
    }

    /** @return results of the completed steps by name (null results left out), in step order. */
    Map<String, String> results()
    {
        final Map<String, String> results = new LinkedHashMap<>();
        for (final StepState s : steps)
        {
            if (s.completed && s.result != null)
            {
                results.put(s.name, s.result);
            }
        }
        return results;
    }

    SagaResult toResult(final SagaStatus status, final List<String> extraErrors, final long endNs, final boolean resumed)
    {
        final List<String> completed = new ArrayList<>();
        final List<StepOutcome> outcomes = new ArrayList<>(steps.length);
        for (final StepState s : steps)
        {
            if (s.completed)
            {
                completed.add(s.name);
            }
            outcomes.add(new StepOutcome(s.name, s.status(), s.attemptsStarted, s.completed ? s.result : null, s.lastError,
                instant(s.firstStartNs), instant(s.lastEndNs), s.compensationAttempts));
        }
        final List<String> allErrors = new ArrayList<>(errors);
        allErrors.addAll(extraErrors);
        return new SagaResult(sagaId, saga.name(), status, completed, failedStepIndex < 0 ? null : steps[failedStepIndex].name,
            compensated, failedCompensations, results(), outcomes, allErrors, instant(startedNs), instant(endNs), resumed);
    }

    private static Instant instant(final long epochNs)
    {
        return epochNs == 0 ? null : Instant.ofEpochSecond(0, epochNs);
    }
}
