package dev.eab.core.workflow;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a DAG run ended with.
 *
 * @param runId               the run's id.
 * @param dagName             the DAG's name.
 * @param status              how it ended.
 * @param nodes               every node's report, in the order the nodes were added.
 * @param completionOrder     nodes in the order their actions ended (succeeded or failed).
 * @param compensated         nodes compensated, in the order it ran (reverse completion order).
 * @param failedCompensations nodes whose compensation failed all its attempts.
 * @param errors              every failure's text, in order.
 * @param startedAt           when the run started.
 * @param finishedAt          when it ended.
 */
public record DagResult(
    String runId,
    String dagName,
    DagStatus status,
    Map<String, NodeOutcome> nodes,
    List<String> completionOrder,
    List<String> compensated,
    List<String> failedCompensations,
    List<String> errors,
    Instant startedAt,
    Instant finishedAt)
{
    /** Copies the collections (the node map keeps its order). */
    public DagResult
    {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        completionOrder = List.copyOf(completionOrder);
        compensated = List.copyOf(compensated);
        failedCompensations = List.copyOf(failedCompensations);
        errors = List.copyOf(errors);
    }

    /** @param name a node. @return its report, or null when the DAG has no such node. */
    public NodeOutcome node(final String name)
    {
        return nodes.get(name);
    }

    /** @return the run's wall time. */
    public Duration duration()
    {
        return Duration.between(startedAt, finishedAt);
    }
}
