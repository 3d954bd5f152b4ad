package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowDefinitionException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAG definition: nodes with dependencies, checked whole when built (unique names, every dependency
 * known, no cycle) so that a run can never deadlock on a missing or circular dependency. Immutable and
 * reusable; run it with a {@link DagExecutor}.
 */
public final class Dag
{
    private final String name;
    private final Map<String, DagNode> nodes;
    private final List<String> topologicalOrder;
    private final Map<String, List<String>> dependents;
    private final boolean compensateOnFailure;

    private Dag(final String name, final Map<String, DagNode> nodes, final List<String> topologicalOrder,
        final Map<String, List<String>> dependents, final boolean compensateOnFailure)
    {
        this.name = name;
        this.nodes = nodes;
        this.topologicalOrder = topologicalOrder;
        this.dependents = dependents;
        this.compensateOnFailure = compensateOnFailure;
    }

    /**
     * @param name the DAG's name (in errors and results).
     * @return a builder.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /** @return the name. */
    public String name()
    {
        return name;
    }

    /** @return the nodes by name, in the order they were added, unmodifiable. */
    public Map<String, DagNode> nodes()
    {
        return nodes;
    }

    /** @return node names in an order where every node comes after its dependencies (ties: order added). */
    public List<String> topologicalOrder()
    {
        return topologicalOrder;
    }

    /** @return the nodes that depend directly on a node, in the order added. */
    public List<String> dependentsOf(final String node)
    {
        return dependents.getOrDefault(node, List.of());
    }

    /** @return true when a failed run compensates its succeeded nodes. */
    public boolean compensateOnFailure()
    {
        return compensateOnFailure;
    }

    /** Builds a {@link Dag}. */
    public static final class Builder
    {
        private final String name;
        private final List<DagNode> nodes = new ArrayList<>();
        private boolean compensateOnFailure;

        private Builder(final String name)
        {
            this.name = name;
        }

        /**
         * Adds a node with the default timeout and no compensation.
         *
         * @param name         the node's name.
         * @param action       its work.
         * @param dependencies nodes it depends on.
         * @return this.
         */
        public Builder node(final String name, final NodeAction action, final String... dependencies)
        {
            return node(new DagNode(name, List.of(dependencies), action, DagNode.DEFAULT_TIMEOUT_MS, null, null));
        }

        /** @param node a node. @return this. */
        public Builder node(final DagNode node)
        {
            nodes.add(node);
            return this;
        }

        /**
         * @param compensate true to compensate the succeeded nodes (reverse completion order) when a node fails,
         *                   after every node that can still run has run.
         * @return this.
         */
        public Builder compensateOnFailure(final boolean compensate)
        {
            this.compensateOnFailure = compensate;
            return this;
        }

        /**
         * @return the DAG.
         * @throws WorkflowDefinitionException naming the nodes: a blank or duplicate name, no action, a
         *     non-positive timeout, unknown dependencies ({@code node -> missing}), or a cycle ({@code a -> b -> a}).
         */
        public Dag build()
        {
            final String dagName = name == null ? "" : name;
            if (nodes.isEmpty())
            {
                throw new WorkflowDefinitionException(dagName, "a DAG needs at least one node", List.of());
            }
            final Map<String, DagNode> byName = new LinkedHashMap<>();
            for (final DagNode node : nodes)
            {
                if (node == null || node.name() == null || node.name().isBlank())
                {
                    throw new WorkflowDefinitionException(dagName, "a node is null or has a blank name", List.of());
                }
                if (byName.putIfAbsent(node.name(), node) != null)
                {
                    throw new WorkflowDefinitionException(dagName, "duplicate node name", List.of(node.name()));
                }
                if (node.action() == null || node.timeoutMs() < 1)
                {
                    throw new WorkflowDefinitionException(dagName, "a node needs an action and a timeout of at least 1 ms", List.of(node.name()));
                }
            }
            final List<String> unknown = new ArrayList<>();
            final Map<String, List<String>> dependents = new HashMap<>();
            for (final DagNode node : byName.values())
            {
                for (final String dep : node.dependencies())
                {
                    if (!byName.containsKey(dep))
                    {
                        unknown.add(node.name() + " -> " + dep);
                    }
                    dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(node.name());
                }
            }
            if (!unknown.isEmpty())
            {
                throw new WorkflowDefinitionException(dagName, "unknown dependencies " + unknown, unknown);
            }
            final List<String> order = topologicalOrder(dagName, byName);
            final Map<String, List<String>> frozen = new HashMap<>();
            dependents.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new Dag(dagName, Collections.unmodifiableMap(byName), List.copyOf(order), Map.copyOf(frozen), compensateOnFailure);
        }

        /** Depth-first search with three colours; a grey node met again closes a cycle, which is reported in order. */
        private static List<String> topologicalOrder(final String dagName, final Map<String, DagNode> byName)
        {
            final Map<String, Integer> colour = new HashMap<>();   // absent: white, 1: grey (on the path), 2: black (done)
            final List<String> order = new ArrayList<>();
            for (final String start : byName.keySet())
            {
                if (colour.containsKey(start))
                {
                    continue;
                }
                // Iterative, so a long chain cannot overflow the stack: each frame is a node and its next dependency.
                final List<String> path = new ArrayList<>();
                final List<Integer> next = new ArrayList<>();
                path.add(start);
                next.add(0);
                colour.put(start, 1);
                while (!path.isEmpty())
                {
                    final int top = path.size() - 1;
                    final String node = path.get(top);
                    final List<String> deps = byName.get(node).dependencies();
                    final int i = next.get(top);
                    if (i == deps.size())
                    {
                        colour.put(node, 2);
                        order.add(node);
                        path.removeLast();
                        next.removeLast();
                        continue;
                    }
                    next.set(top, i + 1);
                    final String dep = deps.get(i);
                    final Integer c = colour.get(dep);
                    if (c == null)
                    {
                        colour.put(dep, 1);
                        path.add(dep);
                        next.add(0);
                    }
                    else if (c == 1)
                    {
                        // path holds dependents before their dependencies: report the cycle in dependency order.
                        final List<String> cycle = new ArrayList<>(path.subList(path.indexOf(dep), path.size()));
                        cycle.add(dep);
                        throw new WorkflowDefinitionException(dagName, "dependency cycle " + String.join(" -> ", cycle), cycle);
                    }
                }
            }
            return order;
        }
    }
}
