package dev.eab.core.workflow;

import java.time.Duration;
import java.time.Instant;

/**
 * One saga step's report in a {@link SagaResult}: final status, attempts used, result, last error, and
 * when its first attempt started and its last attempt ended (null when it never ran or never ended).
 *
 * @param name                 the step's name.
 * @param status               where the step ended up.
 * @param attempts             forward attempts started (across a resume).
 * @param result               what it returned, or null.
 * @param error                the last failure's text (step or compensation), or null.
 * @param startedAt            its first attempt's start, or null.
 * @param finishedAt           its last attempt's end, or null.
 * @param compensationAttempts compensation attempts started.
 */
public record StepOutcome(
    String name,
    StepStatus status,
    int attempts,
    String result,
    String error,
    Instant startedAt,
    Instant finishedAt,
    int compensationAttempts)
{
    /** @return the time from first start to last end, or {@link Duration#ZERO} when either is missing. */
    public Duration duration()
    {
        return startedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }
}
