package dev.eab.core.workflow;

import java.util.List;

/**
 * One node of a {@link Dag}: a name, the names of the nodes it depends on, its action, its timeout, and an
 * optional compensation (used when the DAG is built with {@link Dag.Builder#compensateOnFailure}). Nodes
 * run once: a DAG node that should retry does so inside its action. Immutable.
 *
 * @param name               unique in its DAG.
 * @param dependencies       nodes that must succeed before this one starts.
 * @param action             the work.
 * @param timeoutMs          longest the action may run, in milliseconds.
 * @param compensation       undoes a succeeded node when the run compensates; may be null.
 * @param compensationPolicy attempts, delay and timeout of the compensation.
 */
public record DagNode(String name, List<String> dependencies, NodeAction action, long timeoutMs, Compensation compensation, RetryPolicy compensationPolicy)
{
    /** A node's timeout when none is given: the original's step timeout. */
    public static final long DEFAULT_TIMEOUT_MS = RetryPolicy.DEFAULT_TIMEOUT_MS;

    /** Copies the dependency list. */
    public DagNode
    {
        dependencies = dependencies == null ? List.of() : List.copyOf(dependencies);
        compensationPolicy = compensationPolicy == null ? RetryPolicy.DEFAULT : compensationPolicy;
    }
}
