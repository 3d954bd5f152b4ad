package dev.eab.core.workflow;

import dev.eab.api.Constitution;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a saga run (or resume) ended with: the original's {@code SagaResult} fields plus per-step reports.
 * The status is always terminal ({@link SagaStatus#isTerminal()}): never EXECUTING, never COMPENSATING.
 *
 * @param sagaId               the instance's id.
 * @param sagaName             the definition's name.
 * @param status               COMPLETED, COMPENSATED, PARTIALLY_COMPENSATED or FAILED.
 * @param completedSteps       steps whose action completed, in order (compensated ones included).
 * @param failedStep           the required step whose failure stopped the saga, or null.
 * @param compensatedSteps     steps whose compensation succeeded, in the order they ran (LIFO).
 * @param failedCompensations  steps whose compensation failed all its attempts, in the order they ran.
 * @param stepResults          results of completed steps by name (null results absent).
 * @param steps                every step's report, in definition order.
 * @param errors               every failure's text, in order (attempts, compensations, machinery).
 * @param startedAt            when the saga was first started (from the journal after a resume).
 * @param finishedAt           when it finished.
 * @param resumed              true when this result came from {@link SagaCoordinator#resume}.
 */
public record SagaResult(
    String sagaId,
    String sagaName,
    SagaStatus status,
    List<String> completedSteps,
    String failedStep,
    List<String> compensatedSteps,
    List<String> failedCompensations,
    Map<String, String> stepResults,
    List<StepOutcome> steps,
    List<String> errors,
    Instant startedAt,
    Instant finishedAt,
    boolean resumed)
{
    /** The original's result version. */
    public static final String VERSION = "1.0.0";

    /** Copies the collections, so a result never changes after it is returned. */
    public SagaResult
    {
        completedSteps = List.copyOf(completedSteps);
        compensatedSteps = List.copyOf(compensatedSteps);
        failedCompensations = List.copyOf(failedCompensations);
        stepResults = Map.copyOf(stepResults);
        steps = List.copyOf(steps);
        errors = List.copyOf(errors);
    }

    /** @return the time from start to finish, in milliseconds (the original's {@code total_execution_time_ms}). */
    public long totalExecutionTimeMs()
    {
        return Duration.between(startedAt, finishedAt).toMillis();
    }

    /** @return the constitutional hash in force. */
    public String constitutionalHash()
    {
        return Constitution.HASH;
    }

    /**
     * @param name a step's name.
     * @return its report, or null when the saga has no such step.
     */
    public StepOutcome step(final String name)
    {
        for (final StepOutcome s : steps)
        {
            if (s.name().equals(name))
            {
                return s;
            }
        }
        return null;
    }
}
