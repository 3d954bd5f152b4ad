package dev.eab.core.workflow;

import dev.eab.api.exception.WorkflowDefinitionException;
import dev.eab.core.HostileThrowable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static dev.eab.core.workflow.WorkflowFixtures.Events;
import static dev.eab.core.workflow.WorkflowFixtures.GUARD_TIMEOUT_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DAG executor: dependency order, real parallelism within a bound, skip-on-failure, timeouts, compensation, rejection of bad DAGs. */
class DagExecutorTest
{
    private final Events events = new Events();

    private NodeAction logged(final String name, final Object result)
    {
        return ctx ->
        {
            events.add("start:" + name);
            events.add("end:" + name);
            return result;
        };
    }

    private int at(final String event)
    {
        return events.all().indexOf(event);
    }

    @Test
    void aNodeStartsOnlyAfterAllItsDependenciesSucceededAndReadsTheirResults()
    {
        final Dag dag = Dag.builder("diamond")
            .node("d", ctx ->
            {
                events.add("start:d");
                return (Integer) ctx.result("b") + (Integer) ctx.result("c");
            }, "b", "c")
            .node("b", ctx -> (Integer) ctx.result("a") * 2 + logNull("b"), "a")
            .node("c", ctx -> (Integer) ctx.result("a") * 3 + logNull("c"), "a")
            .node("a", logged("a", 1))
            .build();

        final DagResult r = new DagExecutor().run(dag);

        assertEquals(DagStatus.SUCCEEDED, r.status());
        assertEquals(5, r.node("d").result());
        assertTrue(at("end:a") < at("start:b") && at("end:a") < at("start:c"), events.all().toString());
        assertTrue(at("end:b") < at("start:d") && at("end:c") < at("start:d"), events.all().toString());
        assertEquals("d", r.completionOrder().getLast());
        assertEquals("a", r.completionOrder().getFirst());
        assertFalse(r.node("d").startedAt().isBefore(r.node("b").finishedAt()));
        assertFalse(r.node("d").startedAt().isBefore(r.node("c").finishedAt()));
        assertEquals(List.of("d", "b", "c", "a"), List.copyOf(r.nodes().keySet()), "reports in the order nodes were added");
        assertEquals(List.of("a", "b", "c", "d"), dag.topologicalOrder().stream().sorted().toList());
    }

    private int logNull(final String name)
    {
        events.add("start:" + name);
        events.add("end:" + name);
        return 0;
    }

    @Test
    void independentBranchesRunAtTheSameTime() throws Exception
    {
        final int branches = 4;
        final long sleepMs = 300;
        final CountDownLatch allStarted = new CountDownLatch(branches);
        final Dag.Builder b = Dag.builder("fan-out");
        for (int i = 0; i < branches; i++)
        {
            b.node("n" + i, ctx ->
            {
                allStarted.countDown();
                // Proof of overlap without timing: every branch waits until all of them have started.
                if (!allStarted.await(GUARD_TIMEOUT_MS, TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("branches did not overlap");
                }
                Thread.sleep(sleepMs);
                return ctx.name();
            });
        }

        final DagResult r = new DagExecutor(branches, null).run(b.build());

        assertEquals(DagStatus.SUCCEEDED, r.status(), r.errors().toString());
        // Wall time is about the longest branch, not the sum (generous margin for a loaded machine).
        assertTrue(r.duration().compareTo(Duration.ofMillis((long) (0.8 * branches * sleepMs))) < 0, r.duration().toString());
    }

    @Test
    void noMoreThanMaxConcurrencyNodesRunAtOnce()
    {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final Dag.Builder b = Dag.builder("bounded");
        for (int i = 0; i < 8; i++)
        {
            b.node("n" + i, ctx ->
            {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                Thread.sleep(5);
                now.decrementAndGet();
                return null;
            });
        }

        final DagResult r = new DagExecutor(2, null).run(b.build());

        assertEquals(DagStatus.SUCCEEDED, r.status());
        assertTrue(most.get() <= 2, "at most 2 at once, saw " + most.get());
    }

    @Test
    void dependentsOfAFailedNodeAreSkippedWhileUnrelatedBranchesFinish()
    {
        final Dag dag = Dag.builder("partial")
            .node("x", ctx ->
            {
                events.add("start:x");
                throw new IllegalStateException("x broke");
            })
            .node("y", logged("y", "y"), "x")
            .node("z", logged("z", "z"), "y")
            .node("w", ctx ->
            {
                Thread.sleep(20);   // still running when x fails
                events.add("end:w");
                return "w";
            })
            .node("v", logged("v", "v"), "w")
            .node("mixed", logged("mixed", "m"), "w", "z")
            .build();

        final DagResult r = new DagExecutor().run(dag);

        assertEquals(DagStatus.FAILED, r.status());
        assertEquals(NodeStatus.FAILED, r.node("x").status());
        assertEquals("IllegalStateException: x broke", r.node("x").error());
        for (final String skipped : List.of("y", "z", "mixed"))
        {
            assertEquals(NodeStatus.SKIPPED, r.node(skipped).status(), skipped);
            assertEquals("Skipped: dependency 'x' failed", r.node(skipped).error());
            assertNull(r.node(skipped).startedAt());
            assertEquals(-1, at("start:" + skipped), skipped + " never ran");
        }
        assertEquals(NodeStatus.SUCCEEDED, r.node("w").status());
        assertEquals(NodeStatus.SUCCEEDED, r.node("v").status());
        assertEquals("v", r.node("v").result());
    }

    @Test
    void aNodePastItsTimeoutFailsAndItsDependentsAreSkipped()
    {
        final Dag dag = Dag.builder("slow")
            .node(new DagNode("slow", List.of(), ctx ->
            {
                Thread.sleep(GUARD_TIMEOUT_MS);
                return "never";
            }, 50, null, null))
            .node("after", logged("after", 1), "slow")
            .build();

        final DagResult r = new DagExecutor().run(dag);

        assertEquals(NodeStatus.FAILED, r.node("slow").status());
        assertEquals("Timeout after 50ms", r.node("slow").error());
        assertEquals(NodeStatus.SKIPPED, r.node("after").status());
    }

    @Test
    void hostileThrowablesAndErrorsFailOnlyTheirNode()
    {
        final Dag dag = Dag.builder("hostile")
            .node("hostile", ctx ->
            {
                throw new HostileThrowable();
            })
            .node("error", ctx ->
            {
                throw new StackOverflowError();
            })
            .node("fine", logged("fine", "ok"))
            .build();

        final DagResult r = new DagExecutor().run(dag);

        assertEquals(NodeStatus.FAILED, r.node("hostile").status());
        assertTrue(r.node("hostile").error().contains("getMessage() threw"), r.node("hostile").error());
        assertEquals("StackOverflowError", r.node("error").error());
        assertEquals(NodeStatus.SUCCEEDED, r.node("fine").status());
    }

    @Test
    void aNodeCannotReadANodeItDoesNotDependOn()
    {
        final Dag dag = Dag.builder("nosy").node("a", logged("a", 1)).node("b", ctx -> ctx.result("a")).build();

        final DagResult r = new DagExecutor().run(dag);

        assertEquals(NodeStatus.FAILED, r.node("b").status());
        assertTrue(r.node("b").error().contains("does not depend on 'a'"), r.node("b").error());
    }

    @Test
    void aFailedRunCompensatesSucceededNodesInReverseCompletionOrderWhenAsked()
    {
        final Dag.Builder b = Dag.builder("compensating").compensateOnFailure(true)
            .node(new DagNode("a", List.of(), logged("a", "A"), GUARD_TIMEOUT_MS, ctx -> events.add("comp:a=" + ctx.result()), WorkflowFixtures.ONCE))
            .node(new DagNode("b", List.of("a"), logged("b", "B"), GUARD_TIMEOUT_MS, ctx -> events.add("comp:b=" + ctx.result()), WorkflowFixtures.ONCE))
            .node(new DagNode("c", List.of("b"), ctx ->
            {
                throw new IllegalStateException("c broke");
            }, GUARD_TIMEOUT_MS, ctx -> events.add("comp:c"), WorkflowFixtures.ONCE))
            .node(new DagNode("flaky-undo", List.of("a"), logged("flaky-undo", null), GUARD_TIMEOUT_MS, ctx ->
            {
                events.add("comp:flaky-undo");
                throw new IllegalStateException("cannot undo");
            }, WorkflowFixtures.ONCE));

        final DagResult r = new DagExecutor(1, null).run(b.build());

        assertEquals(DagStatus.PARTIALLY_COMPENSATED, r.status());
        final List<String> comps = events.all().stream().filter(e -> e.startsWith("comp:")).toList();
        // One at a time, so completion order is fixed: a, then its dependents in the order added, then c.
        assertEquals(List.of("a", "b", "flaky-undo", "c"), r.completionOrder());
        assertEquals(List.of("comp:flaky-undo", "comp:b=B", "comp:a=A"), comps, "the failed node is not compensated; the others LIFO");
        assertEquals(List.of("b", "a"), r.compensated());
        assertEquals(List.of("flaky-undo"), r.failedCompensations());
        assertEquals(NodeStatus.COMPENSATED, r.node("a").status());
        assertEquals(NodeStatus.COMPENSATION_FAILED, r.node("flaky-undo").status());
        assertEquals(NodeStatus.FAILED, r.node("c").status());

        final DagResult plain = new DagExecutor().run(Dag.builder("plain")
            .node(new DagNode("a", List.of(), logged("a", "A"), GUARD_TIMEOUT_MS, ctx -> events.add("comp:plain"), null))
            .node("boom", ctx ->
            {
                throw new IllegalStateException("boom");
            }).build());
        assertEquals(DagStatus.FAILED, plain.status());
        assertEquals(-1, at("comp:plain"), "no compensation unless asked");
    }

    @Test
    void anInterruptedCallerStartsNoFurtherNodeAwaitsRunningOnesAndKeepsTheInterrupt()
    {
        final AtomicReference<Thread> caller = new AtomicReference<>();
        final AtomicReference<DagResult> result = new AtomicReference<>();
        final AtomicBoolean flag = new AtomicBoolean();
        final Dag dag = Dag.builder("interrupted")
            .node("a", ctx ->
            {
                caller.get().interrupt();
                return "a";
            })
            .node("b", logged("b", "b"), "a")
            .build();
        final Thread t = Thread.ofPlatform().unstarted(() ->
        {
            result.set(new DagExecutor().run(dag));
            flag.set(Thread.currentThread().isInterrupted());
        });
        caller.set(t);
        t.start();
        SagaTest.join(t);

        assertEquals(NodeStatus.SUCCEEDED, result.get().node("a").status(), "the running node was awaited");
        assertEquals(NodeStatus.SKIPPED, result.get().node("b").status());
        assertEquals("Not started: the run was interrupted", result.get().node("b").error());
        assertEquals(-1, at("start:b"));
        assertTrue(flag.get());
    }

    @Test
    void cyclesAreRejectedWhenBuiltNamingTheNodes()
    {
        final WorkflowDefinitionException e = assertThrows(WorkflowDefinitionException.class, () -> Dag.builder("loop")
            .node("start", logged("s", 0))
            .node("a", logged("a", 0), "start", "c")
            .node("b", logged("b", 0), "a")
            .node("c", logged("c", 0), "b")
            .build());
        assertEquals(List.of("a", "c", "b", "a"), e.nodes());
        assertTrue(e.getMessage().contains("dependency cycle a -> c -> b -> a"), e.getMessage());

        final WorkflowDefinitionException self = assertThrows(WorkflowDefinitionException.class,
            () -> Dag.builder("self").node("me", logged("me", 0), "me").build());
        assertEquals(List.of("me", "me"), self.nodes());
    }

    @Test
    void unknownDependenciesAndBadNodesAreRejectedWhenBuilt()
    {
        final WorkflowDefinitionException e = assertThrows(WorkflowDefinitionException.class, () -> Dag.builder("typo")
            .node("a", logged("a", 0), "ghost")
            .node("b", logged("b", 0), "a", "phantom")
            .build());
        assertEquals(List.of("a -> ghost", "b -> phantom"), e.nodes());
        assertEquals("typo", e.workflow());

        assertEquals(List.of("a"), assertThrows(WorkflowDefinitionException.class,
            () -> Dag.builder("dup").node("a", logged("a", 0)).node("a", logged("a", 0)).build()).nodes());
        assertThrows(WorkflowDefinitionException.class, () -> Dag.builder("empty").build());
        assertThrows(WorkflowDefinitionException.class, () -> Dag.builder("t").node(new DagNode("z", List.of(), logged("z", 0), 0, null, null)).build());
    }
}
