package dev.eab.core.workflow;

import dev.eab.api.AgentBus;
import dev.eab.api.exception.ConfigurationException;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a {@link Dag}: a node starts once all its dependencies succeeded; independent nodes run at the same
 * time, at most {@link #maxConcurrency()} at once, each on its own virtual thread under its timeout. When a
 * node fails, every node that depends on it, directly or not, is SKIPPED (never run) while the unrelated
 * branches run to the end. If the DAG asks for it, the succeeded nodes are then compensated in reverse
 * completion order, by the same {@code CompensationRunner} sagas use.
 *
 * <p>The scheduling is done by the calling thread alone (it owns every node's state; node threads only
 * hand their outcome over a queue), so {@link #run} needs no locks and is safe to call from several
 * threads at once. A node that times out is interrupted and abandoned: it no longer counts against the
 * concurrency bound, and whatever it returns later is dropped. If the calling thread is interrupted, no
 * further node starts (they are SKIPPED), running ones are awaited, and the interrupt is kept.
 */
public final class DagExecutor
{
    /** Nodes run at once when no bound is given. */
    public static final int DEFAULT_MAX_CONCURRENCY = 16;

    private final int maxConcurrency;
    private final AgentBus bus;

    /**
     * @param maxConcurrency most nodes running at once, at least 1.
     * @param bus            the bus nodes send on ({@link NodeContext#send}); may be null.
     * @throws ConfigurationException when {@code maxConcurrency} is below 1.
     */
    public DagExecutor(final int maxConcurrency, final AgentBus bus)
    {
        if (maxConcurrency < 1)
        {
            throw new ConfigurationException("maxConcurrency", "must be at least 1, was " + maxConcurrency);
        }
        this.maxConcurrency = maxConcurrency;
        this.bus = bus;
    }

    /** An executor with {@link #DEFAULT_MAX_CONCURRENCY} and no bus. */
    public DagExecutor()
    {
        this(DEFAULT_MAX_CONCURRENCY, null);
    }

    /** @return most nodes running at once. */
    public int maxConcurrency()
    {
        return maxConcurrency;
    }

    /** A node's action ended (or was given up on). */
    private record Finished(String name, CallOutcome<Object> outcome, Instant startedAt, Instant finishedAt)
    {
    }

    /** Mutable per-node state, owned by the scheduling thread. */
    private static final class NodeRun
    {
        NodeStatus status;
        Object result;
        String error;
        Instant startedAt;
        Instant finishedAt;
    }

    /**
     * Runs the DAG to the end.
     *
     * @param dag the DAG.
     * @return every node's status, result and times; never throws for what a node does.
     */
    public DagResult run(final Dag dag)
    {
        final String runId = UUID.randomUUID().toString();
        final Instant started = Instant.now();
        final Map<String, NodeRun> runs = new LinkedHashMap<>();
        final Map<String, Integer> waitingOn = new HashMap<>();
        final ArrayDeque<String> ready = new ArrayDeque<>();
        for (final String name : dag.topologicalOrder())
        {
            runs.put(name, new NodeRun());
            final int deps = dag.nodes().get(name).dependencies().size();
            waitingOn.put(name, deps);
            if (deps == 0)
            {
                ready.add(name);
            }
        }
        final LinkedBlockingQueue<Finished> done = new LinkedBlockingQueue<>();
        final List<String> completionOrder = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        int running = 0;
        boolean interrupted = false;
        while (true)
        {
            while (!interrupted && running < maxConcurrency && !ready.isEmpty())
            {
                launch(runId, dag.nodes().get(ready.poll()), runs, done);
                running++;
            }
            if (running == 0)
            {
                break;
            }
            final Finished f;
            try
            {
                f = done.take();
                // An interrupt that raced the wake-up leaves take() returning normally with the flag set.
                interrupted |= Thread.interrupted();
            }
            catch (final InterruptedException e)
            {
                interrupted = true;
                continue;
            }
            running--;
            final NodeRun run = runs.get(f.name());
            run.startedAt = f.startedAt();
            run.finishedAt = f.finishedAt();
            completionOrder.add(f.name());
            if (f.outcome().isOk())
            {
                run.status = NodeStatus.SUCCEEDED;
                run.result = f.outcome().value();
                for (final String dependent : dag.dependentsOf(f.name()))
                {
                    if (waitingOn.merge(dependent, -1, Integer::sum) == 0 && runs.get(dependent).status == null)
                    {
                        ready.add(dependent);
                    }
                }
            }
            else
            {
                run.status = NodeStatus.FAILED;
                run.error = f.outcome().errorText();
                errors.add("Node '" + f.name() + "' failed: " + run.error);
                skipDependents(dag, f.name(), runs);
            }
        }
        for (final Map.Entry<String, NodeRun> e : runs.entrySet())
        {
            if (e.getValue().status == null)
            {
                // Only an interrupt leaves nodes unrun: a valid DAG otherwise reaches every node.
                e.getValue().status = NodeStatus.SKIPPED;
                e.getValue().error = "Not started: the run was interrupted";
            }
        }
        final boolean anyFailed = runs.values().stream().anyMatch(r -> r.status == NodeStatus.FAILED);
        DagStatus status = anyFailed ? DagStatus.FAILED : DagStatus.SUCCEEDED;
        final List<String> compensated = new ArrayList<>();
        final List<String> failedCompensations = new ArrayList<>();
        if (anyFailed && dag.compensateOnFailure())
        {
            final CompensationRunner.Report report = compensate(runId, dag, runs, completionOrder);
            compensated.addAll(report.compensated());
            failedCompensations.addAll(report.failed());
            errors.addAll(report.errors());
            compensated.forEach(n -> runs.get(n).status = NodeStatus.COMPENSATED);
            failedCompensations.forEach(n -> runs.get(n).status = NodeStatus.COMPENSATION_FAILED);
            status = failedCompensations.isEmpty() ? DagStatus.COMPENSATED : DagStatus.PARTIALLY_COMPENSATED;
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        final Map<String, NodeOutcome> outcomes = new LinkedHashMap<>();
        for (final String name : dag.nodes().keySet())
        {
            final NodeRun r = runs.get(name);
            outcomes.put(name, new NodeOutcome(name, r.status, r.result, r.error, r.startedAt, r.finishedAt));
        }
        return new DagResult(runId, dag.name(), status, outcomes, completionOrder, compensated, failedCompensations, errors, started, Instant.now());
    }

    private void launch(final String runId, final DagNode node, final Map<String, NodeRun> runs, final LinkedBlockingQueue<Finished> done)
    {
        final Map<String, Object> depResults = new LinkedHashMap<>();
        for (final String dep : node.dependencies())
        {
            depResults.put(dep, runs.get(dep).result);
        }
        final Map<String, Object> frozen = Collections.unmodifiableMap(depResults);
        try
        {
            Thread.ofVirtual().name("dag-" + node.name()).start(() ->
            {
                final Instant start = Instant.now();
                final NodeContext context = new NodeContext(runId, node.name(), frozen, bus, System.nanoTime() + node.timeoutMs() * 1_000_000L);
                final CallOutcome<Object> outcome = TimedCall.call("dag-node-" + node.name(), node.timeoutMs(), () -> node.action().run(context));
                done.add(new Finished(node.name(), outcome, start, Instant.now()));
            });
        }
        catch (final Throwable t)
        {
            // The node's thread could not start (out of memory): the node fails, the run goes on.
            final Instant now = Instant.now();
            done.add(new Finished(node.name(), CallOutcome.failed(t), now, now));
        }
    }

    /** Marks every node reachable from a failed one through dependents SKIPPED, naming the failed node. */
    private static void skipDependents(final Dag dag, final String failed, final Map<String, NodeRun> runs)
    {
        final ArrayDeque<String> toSkip = new ArrayDeque<>(dag.dependentsOf(failed));
        while (!toSkip.isEmpty())
        {
            final String name = toSkip.poll();
            final NodeRun run = runs.get(name);
            if (run.status == null)
            {
                run.status = NodeStatus.SKIPPED;
                run.error = "Skipped: dependency '" + failed + "' failed";
                toSkip.addAll(dag.dependentsOf(name));
            }
        }
    }

    private static CompensationRunner.Report compensate(
        final String runId, final Dag dag, final Map<String, NodeRun> runs, final List<String> completionOrder)
    {
        final List<CompensationRunner.Entry> lifo = new ArrayList<>();
        for (int i = completionOrder.size() - 1; i >= 0; i--)
        {
            final String name = completionOrder.get(i);
            final DagNode node = dag.nodes().get(name);
            if (runs.get(name).status == NodeStatus.SUCCEEDED && node.compensation() != null)
            {
                lifo.add(new CompensationRunner.Entry(i, name, node.compensation(), node.compensationPolicy(), runs.get(name).result, 0));
            }
        }
        return CompensationRunner.run(runId, lifo, CompensationRunner.SILENT);
    }
}
