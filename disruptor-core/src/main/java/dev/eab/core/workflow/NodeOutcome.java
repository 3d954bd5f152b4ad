package dev.eab.core.workflow;

import java.time.Duration;
import java.time.Instant;

/**
 * One DAG node's report in a {@link DagResult}.
 *
 * @param name       the node.
 * @param status     where it ended up.
 * @param result     what its action returned (kept when it was later compensated), or null.
 * @param error      why it failed or was skipped, or its compensation's failure; null otherwise.
 * @param startedAt  when its action started; null when skipped.
 * @param finishedAt when its action ended (or was given up on at its timeout); null when skipped.
 */
public record NodeOutcome(String name, NodeStatus status, Object result, String error, Instant startedAt, Instant finishedAt)
{
    /** @return the action's run time, or {@link Duration#ZERO} when it never ran. */
    public Duration duration()
    {
        return startedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }
}
