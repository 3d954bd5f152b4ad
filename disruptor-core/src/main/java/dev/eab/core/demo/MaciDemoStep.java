package dev.eab.core.demo;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.EnhancedAgentBus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The demo's MACI step: a governed bus (the demo's configuration with MACI on, strict) where an executive tries to
 * validate, a judge validates its own output (directly and after unregistering and registering again), another
 * judge validates a judge, and a judge validates an implementer's work, which is the one that goes through. The
 * counts come from the bus's own metrics; each expectation that fails is a demo failure.
 *
 * <p>Its own bus, so the rest of the demo's traffic (role-less agents, unmapped types) is not refused by strict mode.
 */
public final class MaciDemoStep
{
    private static final String TENANT = "acme-governed";
    private static final long WAIT_S = 10;

    /** What the step did. */
    public record Result(long maciRejected, long delivered, List<String> lines, List<String> failures)
    {
    }

    private MaciDemoStep()
    {
    }

    /** Runs the step on a bus configured like {@code base} with MACI on in strict mode. */
    public static Result run(final BusConfiguration base) throws Exception
    {
        final BusConfiguration config = base.toBuilder().enableMaci(true).maciStrictMode(true).journalDir(null).build();
        final List<String> lines = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.start();
            bus.registerAgent("planner", "validator", Set.of("governance"), TENANT, MaciRole.EXECUTIVE);
            bus.registerAgent("judge-1", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
            bus.registerAgent("judge-2", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
            bus.registerAgent("builder", "worker", Set.of(), TENANT, MaciRole.IMPLEMENTER);
            bus.registerAgent("ledger", "worker", Set.of(), TENANT, MaciRole.MONITOR);

            expect(bus, lines, failures, "builder's work", msg("builder", MessageType.TASK_REQUEST, "build-1", Map.of("task", "compile")), null);
            expect(bus, lines, failures, "judge-1's ruling", msg("judge-1", MessageType.QUERY, "ruling-1", Map.of("q", "precedent")), null);
            expect(bus, lines, failures, "executive validates", validate("planner", "v-1", "target_output_id", "build-1"),
                RejectReason.MACI_ROLE_VIOLATION);
            expect(bus, lines, failures, "judge validates own output", validate("judge-1", "v-2", "target_output_id", "ruling-1"),
                RejectReason.MACI_SELF_VALIDATION);
            expect(bus, lines, failures, "judge validates itself", validate("judge-1", "v-3", "target_agent_id", "judge-1"),
                RejectReason.MACI_SELF_VALIDATION);
            expect(bus, lines, failures, "judge validates a judge", validate("judge-2", "v-4", "target_output_id", "ruling-1"),
                RejectReason.MACI_CROSS_ROLE);
            bus.unregisterAgent("judge-1");
            bus.registerAgent("judge-1", "judicial", Set.of(), TENANT, MaciRole.JUDICIAL);
            expect(bus, lines, failures, "re-registered judge, own output", validate("judge-1", "v-5", "target_output_id", "ruling-1"),
                RejectReason.MACI_SELF_VALIDATION);
            expect(bus, lines, failures, "judge validates builder's work", validate("judge-2", "v-6", "target_output_id", "build-1"), null);
            long rejected = 0;
            for (final RejectReason r : RejectReason.values())
            {
                if (r.isMaci())
                {
                    rejected += bus.metrics().rejected(r);
                }
            }
            return new Result(rejected, bus.metrics().delivered(), lines, failures);
        }
    }

    private static AgentMessage msg(final String from, final MessageType type, final String id, final Map<String, Object> content)
    {
        return AgentMessage.builder().messageId(id).fromAgent(from).toAgent("ledger").tenantId(TENANT).messageType(type).content(content).build();
    }

    private static AgentMessage validate(final String from, final String id, final String key, final String target)
    {
        return msg(from, MessageType.CONSTITUTIONAL_VALIDATION, id, Map.of(key, target, "verdict", "conforms"));
    }

    private static void expect(
        final EnhancedAgentBus bus, final List<String> lines, final List<String> failures, final String what, final AgentMessage m,
        final RejectReason expected) throws Exception
    {
        final ValidationResult r = bus.send(m).get(WAIT_S, TimeUnit.SECONDS);
        final String outcome = r.isValid() ? "delivered" : r.rejectReason().metricName() + ": " + String.join("; ", r.errors());
        lines.add(what + " -> " + outcome);
        if (expected == null ? !r.isValid() : r.isValid() || r.rejectReason() != expected)
        {
            failures.add("MACI: " + what + " expected " + (expected == null ? "delivery" : expected.metricName()) + ", got " + outcome);
        }
    }
}
