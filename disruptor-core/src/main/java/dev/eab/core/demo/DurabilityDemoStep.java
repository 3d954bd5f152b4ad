package dev.eab.core.demo;

import dev.eab.api.AgentBus;
import dev.eab.api.AgentMessage;
import dev.eab.api.MessageType;
import dev.eab.core.workflow.Dag;
import dev.eab.core.workflow.DagExecutor;
import dev.eab.core.workflow.DagResult;
import dev.eab.core.workflow.NodeOutcome;
import dev.eab.core.workflow.NodeStatus;
import dev.eab.core.workflow.Saga;
import dev.eab.core.workflow.SagaCoordinator;
import dev.eab.core.workflow.SagaResult;
import dev.eab.core.workflow.SagaStatus;
import dev.eab.core.workflow.SagaStep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The demo's durability part (issue 9): the journal's default place ({@code ./data/demo/journal}, cleaned at
 * start), one saga that completes and one that compensates (a step sends a real bus message; the last step
 * fails, so the earlier steps are undone in reverse order), and one DAG whose failing branch skips its
 * dependents while the other branch finishes. Sagas are journaled under the journal directory's
 * {@code sagas/} (a temporary directory when journaling is off).
 */
final class DurabilityDemoStep
{
    /** The demo's journal directory unless {@code EAB_JOURNAL_DIR} says otherwise. */
    static final Path DEFAULT_JOURNAL_DIR = Path.of("data", "demo", "journal");

    private final List<String> failures = new ArrayList<>();
    private final List<String> compensationOrder = Collections.synchronizedList(new ArrayList<>());
    private final Map<SagaStatus, Integer> sagas = new LinkedHashMap<>();
    private DagResult dag;

    /** Deletes what an earlier demo run left in the default journal directory (never a directory the user named). */
    static void cleanDefaultJournal(final Path journalDir) throws IOException
    {
        if (journalDir == null || !journalDir.equals(DEFAULT_JOURNAL_DIR) || !Files.exists(journalDir))
        {
            return;
        }
        try (Stream<Path> s = Files.walk(journalDir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs the sagas and the DAG; sagas send from {@code from} to {@code to} in {@code tenant}. */
    void run(final AgentBus bus, final Path journalDir, final String from, final String to, final String tenant) throws IOException
    {
        final Path sagaDir = journalDir == null ? Files.createTempDirectory("eab-demo-sagas-") : journalDir.resolve("sagas");
        try (SagaCoordinator coordinator = SagaCoordinator.open(sagaDir, bus))
        {
            for (final boolean declined : new boolean[] {false, true})
            {
                final SagaResult r = coordinator.run(order(from, to, tenant, declined), "order for " + (declined ? "a declined card" : "a good card"));
                sagas.merge(r.status(), 1, Integer::sum);
            }
        }
        expect(sagas.getOrDefault(SagaStatus.COMPLETED, 0) == 1 && sagas.getOrDefault(SagaStatus.COMPENSATED, 0) == 1, "sagas: " + sagas);
        expect(compensationOrder.equals(List.of("undo-charge", "undo-notify", "undo-reserve")),
            "compensations run LIFO (the failing step's own first): " + compensationOrder);

        dag = new DagExecutor().run(Dag.builder("research")
            .node("fetch", ctx -> "prices")
            .node("model", ctx -> { throw new IllegalStateException("model server unavailable"); }, "fetch")
            .node("trade", ctx -> "orders from " + ctx.result("model"), "model")
            .node("report", ctx -> "report on " + ctx.result("fetch"), "fetch")
            .node("archive", ctx -> "archived " + ctx.result("report"), "report")
            .build());
        expect(count(NodeStatus.SUCCEEDED) == 3 && count(NodeStatus.FAILED) == 1 && count(NodeStatus.SKIPPED) == 1,
            "dag: succeeded/failed/skipped " + count(NodeStatus.SUCCEEDED) + "/" + count(NodeStatus.FAILED) + "/" + count(NodeStatus.SKIPPED));
        expect(dag.node("trade").status() == NodeStatus.SKIPPED, "the failed branch's dependent was skipped, not run");
    }

    private Saga order(final String from, final String to, final String tenant, final boolean declined)
    {
        return Saga.builder(declined ? "order-declined" : "order")
            .step(SagaStep.of("reserve", ctx -> "stock-42", ctx -> compensationOrder.add("undo-reserve")))
            .step(SagaStep.of("notify", ctx -> {
                // A real bus message: a rejection would fail the step.
                ctx.send(AgentMessage.builder().fromAgent(from).toAgent(to).tenantId(tenant).messageType(MessageType.TASK_REQUEST)
                    .content(Map.of("action", "reserve", "item", ctx.result("reserve"))).build());
                return "notified " + to;
            }, ctx -> compensationOrder.add("undo-notify")))
            .step(SagaStep.of("charge", ctx -> {
                if (declined)
                {
                    throw new IllegalStateException("card declined");
                }
                return "charged";
            }, ctx -> compensationOrder.add("undo-charge")))
            .build();
    }

    private long count(final NodeStatus status)
    {
        return dag == null ? 0 : dag.nodes().values().stream().map(NodeOutcome::status).filter(s -> s == status).count();
    }

    private void expect(final boolean ok, final String what)
    {
        if (!ok)
        {
            failures.add(what);
        }
    }

    /** @return what did not go as the demo expects (empty when all went well). */
    List<String> failures()
    {
        return failures;
    }

    /** @return the table row. */
    String sagaRow()
    {
        return sagas.getOrDefault(SagaStatus.COMPLETED, 0) + " completed, " + sagas.getOrDefault(SagaStatus.COMPENSATED, 0) +
            " compensated (LIFO: " + String.join(", ", compensationOrder) + ")";
    }

    /** @return the table row. */
    String dagRow()
    {
        return count(NodeStatus.SUCCEEDED) + " succeeded, " + count(NodeStatus.FAILED) + " failed, " + count(NodeStatus.SKIPPED) + " skipped";
    }

    /** @return the JSON summary's {@code "sagas"} value. */
    Map<String, Object> sagasJson()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("completed", sagas.getOrDefault(SagaStatus.COMPLETED, 0));
        m.put("compensated", sagas.getOrDefault(SagaStatus.COMPENSATED, 0));
        return m;
    }

    /** @return the JSON summary's {@code "dag"} value. */
    Map<String, Object> dagJson()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("succeeded", count(NodeStatus.SUCCEEDED));
        m.put("failed", count(NodeStatus.FAILED));
        m.put("skipped", count(NodeStatus.SKIPPED));
        return m;
    }
}
