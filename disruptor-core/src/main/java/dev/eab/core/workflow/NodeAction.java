package dev.eab.core.workflow;

/**
 * The work of one DAG node. Returning normally succeeds with the returned value as the node's result
 * (dependents read it; null is allowed); throwing anything, or running past the node's timeout, fails it.
 */
@FunctionalInterface
public interface NodeAction
{
    /**
     * @param context the node's name and its dependencies' results.
     * @return the node's result, may be null.
     * @throws Exception when the node failed.
     */
    Object run(NodeContext context) throws Exception;
}
