package dev.eab.api.exception;

import java.util.List;

/**
 * Thrown when a saga or a DAG is built from an invalid definition: an empty or duplicate name, a
 * dependency on a node that does not exist, a dependency cycle, a non-positive attempt count or timeout.
 * Nothing runs: a definition is checked whole when it is built.
 *
 * <p>{@link #nodes()} names the offending steps or nodes; for a cycle, in cycle order with the first node
 * repeated at the end ({@code a -> b -> c -> a}).
 */
public class WorkflowDefinitionException extends WorkflowException
{
    private final String workflow;
    private final List<String> nodes;
    private final String reason;

    /**
     * @param workflow the saga's or DAG's name.
     * @param reason   what is wrong.
     * @param nodes    the steps or nodes concerned; copied; {@code null} means none.
     */
    public WorkflowDefinitionException(final String workflow, final String reason, final List<String> nodes)
    {
        super(
            "Invalid workflow '" + workflow + "': " + reason,
            detailsOf("workflow", workflow, "reason", reason, "nodes", copyOf(nodes)));
        this.workflow = workflow;
        this.nodes = copyOf(nodes);
        this.reason = reason;
    }

    /** @return the saga's or DAG's name. */
    public String workflow()
    {
        return workflow;
    }

    /** @return the steps or nodes concerned, unmodifiable, possibly empty. */
    public List<String> nodes()
    {
        return nodes;
    }

    /** @return what is wrong. */
    public String reason()
    {
        return reason;
    }
}
