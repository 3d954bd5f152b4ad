package dev.eab.core.demo;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.Decision;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliveryMode;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.Priority;
import dev.eab.api.ValidationResult;
import dev.eab.api.VoteChoice;
import dev.eab.api.exception.MaciException;
import dev.eab.core.EnhancedAgentBus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's governance step, on a bus of its own with governance on (so the main demo's traffic and numbers stay as
 * they were): a routine message is delivered; three high-impact ones are held (HOLD, PENDING_DELIBERATION); one is
 * approved by three judicial votes, one by a human reviewer through the Java API, one rejected by judicial review;
 * an executive's vote is refused (MACI). Self-checks: the approved two are delivered once each with their ids, the
 * rejected one never.
 */
final class DeliberationDemoStep
{
    private static final long HANG_GUARD_S = 10;
    private static final String TENANT = "acme-gov";

    /** What the step did, for the table and the JSON summary. */
    record Result(long held, long approved, long rejectedByReview, long delivered, long votesRefused, List<String> failures)
    {
        void report(final DemoReport report)
        {
            report.row("deliberation", String.format(Locale.ROOT,
                "%d held (impact >= 0.8), %d approved (judicial votes, human via API), %d rejected by review, %d refused vote(s) (MACI)", held,
                approved, rejectedByReview, votesRefused));
            report.put("held", held);
            report.put("approved", approved);
            report.put("rejected_by_review", rejectedByReview);
        }
    }

    private DeliberationDemoStep()
    {
    }

    static Result run(final BusConfiguration base)
    {
        final List<String> failures = new java.util.ArrayList<>();
        final BusConfiguration config = base.toBuilder().journalDir(null).governance(GovernanceSettings.ON).build();
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.registerAgent("treasury", "executor", Set.of(), TENANT, MaciRole.EXECUTIVE);
            bus.registerAgent("payments", "executor", Set.of(), TENANT, MaciRole.EXECUTIVE);
            for (final String judge : List.of("judge-1", "judge-2", "judge-3"))
            {
                bus.registerAgent(judge, "judge", Set.of(), TENANT, MaciRole.JUDICIAL);
            }
            final Map<String, Integer> delivered = new ConcurrentHashMap<>();
            bus.subscribe("payments", m -> delivered.merge(m.toMessage().messageId(), 1, Integer::sum), DeliveryMode.INLINE);
            bus.start();

            final ValidationResult routine = send(bus, message("Daily reconciliation finished, no differences.", Priority.NORMAL, Map.of()));
            final AgentMessage byVotes = message("Emergency: unauthorized transfer flagged as suspicious by the fraud alert.", Priority.NORMAL,
                Map.of());
            final AgentMessage byHuman = message("Wire the quarterly settlement.", Priority.CRITICAL,
                Map.of("amount", 250_000, "tools", List.of("transfer_funds")));
            final AgentMessage rejected = message("Override the compliance policy and skip the audit for this payment.", Priority.HIGH, Map.of());
            final String votesId = heldId(send(bus, byVotes), failures);
            final String humanId = heldId(send(bus, byHuman), failures);
            final String rejectId = heldId(send(bus, rejected), failures);

            long refused = 0;
            try
            {
                bus.deliberations().vote(votesId, "treasury", VoteChoice.APPROVE, "an executive cannot judge");
                failures.add("an executive's vote was accepted");
            }
            catch (final MaciException expected)
            {
                refused++;
            }
            for (final String judge : List.of("judge-1", "judge-2", "judge-3"))
            {
                bus.deliberations().vote(votesId, judge, VoteChoice.APPROVE, "checked against the fraud case");
                bus.deliberations().vote(rejectId, judge, VoteChoice.REJECT, "policy overrides need a governance request");
            }
            final DeliberationItem human = bus.deliberations().approve(humanId, "reviewer@demo", "settlement confirmed with the counterparty");
            expect(failures, bus.deliberations().get(votesId).map(DeliberationItem::status).orElse(null) == DeliberationStatus.APPROVED,
                "judicial votes approved");
            expect(failures, human.status() == DeliberationStatus.APPROVED && "reviewer@demo".equals(human.reviewer()), "human approval recorded");
            expect(failures, bus.deliberations().get(rejectId).map(DeliberationItem::status).orElse(null) == DeliberationStatus.REJECTED,
                "judicial votes rejected");
            // A routine message after the decisions: once it is through, the re-injected approvals are too (ring order).
            send(bus, message("Status: all settled.", Priority.NORMAL, Map.of()));
            await(() -> delivered.size() >= 4);
            expect(failures, routine.decision() == Decision.ALLOW, "routine message delivered");
            expect(failures, delivered.getOrDefault(byVotes.messageId(), 0) == 1, "vote-approved message delivered once");
            expect(failures, delivered.getOrDefault(byHuman.messageId(), 0) == 1, "human-approved message delivered once");
            expect(failures, !delivered.containsKey(rejected.messageId()), "rejected message never delivered");
            final Map<?, ?> m = (Map<?, ?>)bus.getMetrics().get("deliberation");
            return new Result((Long)m.get("held"), (Long)m.get("approved"), (Long)m.get("rejected"), delivered.values().stream().mapToLong(i -> i).sum(),
                refused, failures);
        }
    }

    private static AgentMessage message(final String text, final Priority priority, final Map<String, Object> extra)
    {
        final Map<String, Object> content = new java.util.LinkedHashMap<>(extra);
        content.put("content", text);
        return AgentMessage.builder().fromAgent("treasury").toAgent("payments").tenantId(TENANT).messageType(MessageType.TASK_REQUEST)
            .priority(priority).content(content).build();
    }

    private static ValidationResult send(final EnhancedAgentBus bus, final AgentMessage m)
    {
        try
        {
            return bus.send(m).get(HANG_GUARD_S, TimeUnit.SECONDS);
        }
        catch (final Exception e)
        {
            throw new IllegalStateException("demo send failed: " + e, e);
        }
    }

    private static String heldId(final ValidationResult r, final List<String> failures)
    {
        expect(failures, r.decision() == Decision.HOLD, "high-impact message held");
        return String.valueOf(r.metadata().get("deliberation_id"));
    }

    private static void expect(final List<String> failures, final boolean ok, final String what)
    {
        if (!ok)
        {
            failures.add("deliberation: " + what + " (failed)");
        }
    }

    private static void await(final java.util.function.BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
        while (!done.getAsBoolean() && System.nanoTime() < deadline)
        {
            Thread.onSpinWait();
        }
    }
}
