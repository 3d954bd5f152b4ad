package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.ThrowableText;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.eab.core.workflow.SagaRecordDescriptor.FLAG_INTERRUPTED;
import static dev.eab.core.workflow.SagaRecordDescriptor.FLAG_LAST_ATTEMPT;
import static dev.eab.core.workflow.SagaRecordDescriptor.FLAG_TIMED_OUT;
import static dev.eab.core.workflow.SagaRecordDescriptor.MAX_TEXT_BYTES;

/**
 * Executes one saga instance, fresh or resumed, from its {@link SagaState}: forward through the steps not
 * yet completed, then, when a required step failed, compensation LIFO. Every transition is journaled
 * through {@link #announce} (write-ahead: journal, then act) or {@link #note} (after the fact).
 *
 * <p>Ends with a terminal status whatever happens: anything unexpected outside a step's or compensation's
 * own code (a journal that cannot be written, a bug here) is caught, compensation still runs best effort,
 * and the status is FAILED. Used once, by one thread.
 */
final class SagaRun
{
    private final SagaState state;
    private final SagaJournal journal;
    private final AgentBus bus;
    private final boolean resumed;
    private final List<String> machineryErrors = new ArrayList<>();
    private boolean broken;
    private boolean stopRequested;

    SagaRun(final SagaState state, final SagaJournal journal, final AgentBus bus, final boolean resumed)
    {
        this.state = state;
        this.journal = journal;
        this.bus = bus;
        this.resumed = resumed;
    }

    SagaResult execute()
    {
        if (state.finished)
        {
            // Already finished before the crash: report it, run nothing.
            return state.toResult(state.finishedStatus, List.of(), state.finishedNs, resumed);
        }
        try
        {
            if (!state.compensating)
            {
                forward();
            }
        }
        catch (final Throwable t)
        {
            fail("Saga machinery failed during forward execution: " + ThrowableText.describe(t));
            if (!state.compensating)
            {
                enterCompensation(-1, "Saga stopped by a machinery failure");
            }
        }
        if (state.compensating)
        {
            try
            {
                compensate();
            }
            catch (final Throwable t)
            {
                fail("Saga machinery failed during compensation: " + ThrowableText.describe(t));
            }
        }
        SagaStatus status = finalStatus();
        try
        {
            journal.append(record(SagaTransition.SAGA_FINISHED, -1, 0, status.code(), state.saga.name(), null));
        }
        catch (final Throwable t)
        {
            // The journal does not know the saga finished: a resume will redo what it sees as unfinished.
            fail("Cannot journal the saga's end: " + ThrowableText.describe(t));
            status = SagaStatus.FAILED;
        }
        if (stopRequested)
        {
            Thread.currentThread().interrupt();
        }
        return state.toResult(status, machineryErrors, SagaRecord.nowNs(), resumed);
    }

    private SagaStatus finalStatus()
    {
        if (broken)
        {
            return SagaStatus.FAILED;
        }
        if (!state.compensating)
        {
            return SagaStatus.COMPLETED;
        }
        return state.failedCompensations.isEmpty() ? SagaStatus.COMPENSATED : SagaStatus.PARTIALLY_COMPENSATED;
    }

    private void forward()
    {
        final List<SagaStep> steps = state.saga.steps();
        for (int i = 0; i < steps.size() && !state.compensating; i++)
        {
            final SagaStep step = steps.get(i);
            final SagaState.StepState s = state.steps[i];
            if (s.completed)
            {
                continue;   // resumed: its result is restored, it is never run again
            }
            if (s.finalFailed)
            {
                // resumed after the step's last failure was journaled but before what followed it
                if (!step.optional() || (s.lastFailureInterrupted && step.onInterrupted() == InterruptedStepPolicy.COMPENSATE))
                {
                    enterCompensation(i, "Step '" + step.name() + "' failed");
                }
                continue;
            }
            int attemptsUsed = s.attemptsStarted;
            if (s.inFlight)
            {
                // Resumed: this attempt was running when the process died, so its effect is unknown.
                final boolean compensateNow = step.onInterrupted() == InterruptedStepPolicy.COMPENSATE;
                final boolean last = compensateNow || attemptsUsed >= step.retry().maxAttempts();
                note(record(SagaTransition.STEP_FAILED, i, attemptsUsed, FLAG_INTERRUPTED | (last ? FLAG_LAST_ATTEMPT : 0), step.name(),
                    "Interrupted: the process stopped during attempt " + attemptsUsed + " (policy " + step.onInterrupted() + ")"));
                if (compensateNow || (last && !step.optional()))
                {
                    enterCompensation(i, "Step '" + step.name() + "' was interrupted");
                    continue;
                }
                if (last)
                {
                    continue;   // optional, out of attempts: the saga goes on without it
                }
            }
            if (!runStep(i, step, attemptsUsed + 1) && (!step.optional() || stopRequested))
            {
                enterCompensation(i, stopRequested ? "Saga interrupted during step '" + step.name() + "'" : "Step '" + step.name() + "' failed");
            }
        }
    }

    /** Runs a step's remaining attempts. @return true when one completed. */
    private boolean runStep(final int index, final SagaStep step, final int firstAttempt)
    {
        final RetryPolicy policy = step.retry();
        for (int attempt = firstAttempt; attempt <= policy.maxAttempts(); attempt++)
        {
            announce(record(SagaTransition.STEP_STARTED, index, attempt, 0, step.name(), null));
            final StepContext context = new StepContext(state.sagaId, state.input, step.name(), attempt, Collections.unmodifiableMap(state.results()),
                bus, System.nanoTime() + policy.timeoutMs() * 1_000_000L);
            final CallOutcome<String> outcome = TimedCall.call("saga-" + step.name(), policy.timeoutMs(), () -> step.action().execute(context));
            final String tooLarge = outcome.isOk() ? oversized(outcome.value()) : null;
            if (outcome.isOk() && tooLarge == null)
            {
                note(record(SagaTransition.STEP_COMPLETED, index, attempt, 0, step.name(), outcome.value()));
                return true;
            }
            if (outcome.waitWasInterrupted())
            {
                Thread.interrupted();
                stopRequested = true;
            }
            // A message the bus held and review refused (or let time out) is not sent again: retrying would only
            // ask the reviewers again. The step fails now and the saga compensates.
            final boolean last = attempt >= policy.maxAttempts() || stopRequested || outcome.error() instanceof DeliberationException;
            note(record(SagaTransition.STEP_FAILED, index, attempt, (last ? FLAG_LAST_ATTEMPT : 0) | (outcome.timedOut() ? FLAG_TIMED_OUT : 0),
                step.name(), tooLarge != null ? tooLarge : outcome.errorText()));
            if (last)
            {
                return false;
            }
            if (Pause.sleepMs(policy.retryDelayMs()))
            {
                // Interrupted between attempts: the caller wants the saga stopped; the step gives up here.
                stopRequested = true;
                note(record(SagaTransition.STEP_FAILED, index, attempt, FLAG_LAST_ATTEMPT, step.name(), "Interrupted before the next attempt"));
                return false;
            }
        }
        return false;
    }

    private static String oversized(final String result)
    {
        if (result == null || result.length() * 3L <= MAX_TEXT_BYTES)
        {
            return null;
        }
        final int bytes = result.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= MAX_TEXT_BYTES ? null : "Result is " + bytes + " bytes, more than the journal's " + MAX_TEXT_BYTES;
    }

    private void compensate()
    {
        final List<SagaStep> steps = state.saga.steps();
        final List<CompensationRunner.Entry> lifo = new ArrayList<>();
        // Steps run in order, so their compensations were registered in index order: LIFO is descending index.
        for (int i = steps.size() - 1; i >= 0; i--)
        {
            final SagaStep step = steps.get(i);
            final SagaState.StepState s = state.steps[i];
            if (!s.registered() || step.compensation() == null || s.compensationDone || s.compensationFailed)
            {
                continue;
            }
            if (s.compensationInFlight)
            {
                // Resumed: this compensation attempt was running at the crash; it counts as failed.
                final boolean last = s.compensationAttempts >= step.compensationRetry().maxAttempts();
                bestEffort(record(SagaTransition.COMPENSATION_FAILED, i, s.compensationAttempts, FLAG_INTERRUPTED | (last ? FLAG_LAST_ATTEMPT : 0),
                    step.name(), "Interrupted: the process stopped during compensation attempt " + s.compensationAttempts));
                if (last)
                {
                    continue;
                }
            }
            lifo.add(new CompensationRunner.Entry(i, step.name(), step.compensation(), step.compensationRetry(),
                s.completed ? s.result : null, s.compensationAttempts));
        }
        CompensationRunner.run(state.sagaId, lifo, new JournalingListener());
    }

    private void enterCompensation(final int failedIndex, final String reason)
    {
        bestEffort(record(SagaTransition.SAGA_COMPENSATING, failedIndex, 0, 0, state.saga.name(), reason));
    }

    /** Write-ahead: the record is journaled before the work it announces; if it cannot be, the work does not run. */
    private void announce(final SagaRecord r)
    {
        journal.append(r);
        state.apply(r);
    }

    /** After the fact: the state takes the record even if the journal fails, which then stops the forward run. */
    private void note(final SagaRecord r)
    {
        state.apply(r);
        journal.append(r);
    }

    /** Compensation and saga-level records: the state takes them, the journal failing is recorded, the run goes on. */
    private void bestEffort(final SagaRecord r)
    {
        state.apply(r);
        try
        {
            journal.append(r);
        }
        catch (final Throwable t)
        {
            fail("Cannot journal " + r.type() + (r.stepIndex() >= 0 ? " of '" + r.name() + "'" : "") + ": " + ThrowableText.describe(t));
        }
    }

    private void fail(final String error)
    {
        broken = true;
        machineryErrors.add(error);
    }

    private SagaRecord record(final SagaTransition type, final int stepIndex, final int attempt, final int code, final String name, final String text)
    {
        return new SagaRecord(type, SagaRecord.nowNs(), stepIndex, attempt, code, state.sagaId, name, text);
    }

    /** Journals compensation transitions; never throws (see {@link #bestEffort}). */
    private final class JournalingListener implements CompensationRunner.Listener
    {
        @Override
        public void started(final CompensationRunner.Entry entry, final int attempt)
        {
            bestEffort(record(SagaTransition.COMPENSATION_STARTED, entry.index(), attempt, 0, entry.name(), null));
        }

        @Override
        public void done(final CompensationRunner.Entry entry, final int attempt)
        {
            bestEffort(record(SagaTransition.COMPENSATION_DONE, entry.index(), attempt, 0, entry.name(), null));
        }

        @Override
        public void failed(final CompensationRunner.Entry entry, final int attempt, final String error, final boolean last)
        {
            bestEffort(record(SagaTransition.COMPENSATION_FAILED, entry.index(), attempt, last ? FLAG_LAST_ATTEMPT : 0, entry.name(), error));
        }

        @Override
        public void listenerFailed(final CompensationRunner.Entry entry, final Throwable error)
        {
            fail("Compensation bookkeeping for '" + entry.name() + "' failed: " + ThrowableText.describe(error));
        }
    }
}
