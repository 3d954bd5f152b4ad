package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.AgentMessage;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.WorkflowException;

import java.util.Map;

/**
 * What a DAG node's {@link NodeAction} sees: the run's id, its own name, and the results of its declared
 * dependencies (all of which succeeded before it started). Only dependencies can be read: any other
 * node's result would be a race, since nothing orders the two.
 */
public final class NodeContext
{
    private final String runId;
    private final String name;
    private final Map<String, Object> dependencyResults;
    private final AgentBus bus;
    private final long deadlineNanos;

    NodeContext(final String runId, final String name, final Map<String, Object> dependencyResults, final AgentBus bus, final long deadlineNanos)
    {
        this.runId = runId;
        this.name = name;
        this.dependencyResults = dependencyResults;
        this.bus = bus;
        this.deadlineNanos = deadlineNanos;
    }

    /** @return the DAG run's id. */
    public String runId()
    {
        return runId;
    }

    /** @return this node's name. */
    public String name()
    {
        return name;
    }

    /** @return the dependencies' results by name, unmodifiable (a dependency that returned null maps to null). */
    public Map<String, Object> dependencyResults()
    {
        return dependencyResults;
    }

    /**
     * @param dependency a declared dependency.
     * @return its result, may be null.
     * @throws WorkflowException when {@code dependency} is not one of this node's dependencies.
     */
    public Object result(final String dependency)
    {
        if (!dependencyResults.containsKey(dependency))
        {
            throw WorkflowException.of("Node '" + name + "' does not depend on '" + dependency + "' and cannot read its result",
                "node", name, "dependency", dependency);
        }
        return dependencyResults.get(dependency);
    }

    /**
     * Sends a message on the executor's bus and waits for its outcome, at most until this node's timeout.
     *
     * @param message the message.
     * @return the accepted message's result.
     * @throws dev.eab.api.exception.MessageDeliveryException when the bus rejected it: thrown out of the node, it fails the node.
     * @throws InterruptedException when the node was cut off (its timeout passed).
     */
    public ValidationResult send(final AgentMessage message) throws InterruptedException
    {
        return BusStepCalls.sendBefore(bus, message, deadlineNanos, "DAG node '" + name + "'");
    }
}
