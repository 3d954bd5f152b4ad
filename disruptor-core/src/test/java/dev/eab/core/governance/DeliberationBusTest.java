package dev.eab.core.governance;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.Decision;
import dev.eab.api.DeliberationItem;
import dev.eab.api.DeliberationListener;
import dev.eab.api.DeliberationRule;
import dev.eab.api.DeliberationStatus;
import dev.eab.api.DeliveryMode;
import dev.eab.api.GovernanceSettings;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.OutcomeListener;
import dev.eab.api.Priority;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.VoteChoice;
import dev.eab.api.exception.DeliberationException;
import dev.eab.api.exception.MaciRoleViolationException;
import dev.eab.api.exception.MaciSelfValidationException;
import dev.eab.core.EnhancedAgentBus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/** Hold, approve, reject, time out and restore on a real bus with governance on; the voting rules. */
class DeliberationBusTest
{
    private static final long HANG_GUARD_S = 10;
    private static final String ALARM = "critical security breach"; // scores exactly 0.80

    private static BusConfiguration.Builder config(final GovernanceSettings g)
    {
        return BusConfiguration.forTesting().toBuilder().nativeMode(NativeMode.AUTO).ringSize(1024).governance(g);
    }

    private static EnhancedAgentBus bus(final BusConfiguration c)
    {
        final EnhancedAgentBus bus = new EnhancedAgentBus(c);
        bus.registerAgent("sender", "worker", Set.of(), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("rcpt", "worker", Set.of(), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("judge1", "judge", Set.of(), "acme", MaciRole.JUDICIAL);
        bus.registerAgent("judge2", "judge", Set.of(), "acme", MaciRole.JUDICIAL);
        bus.registerAgent("judge3", "judge", Set.of(), "acme", MaciRole.JUDICIAL);
        bus.registerAgent("judge-sender", "judge", Set.of(), "acme", MaciRole.JUDICIAL);
        bus.registerAgent("exec", "worker", Set.of(), "acme", MaciRole.EXECUTIVE);
        bus.registerAgent("edge-sender", "worker", Set.of(), "edge", MaciRole.EXECUTIVE);
        bus.registerAgent("edge-rcpt", "worker", Set.of(), "edge", MaciRole.EXECUTIVE);
        return bus;
    }

    private static AgentMessage msg(final String from, final String to, final String tenant, final String text)
    {
        return AgentMessage.builder().fromAgent(from).toAgent(to).tenantId(tenant).messageType(MessageType.QUERY).content(Map.of("content", text))
            .build();
    }

    private static ValidationResult send(final EnhancedAgentBus bus, final AgentMessage m) throws Exception
    {
        return bus.send(m).get(HANG_GUARD_S, TimeUnit.SECONDS);
    }

    private static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    /** Records what the recipient's handler got, by message id. */
    private static List<String> collect(final EnhancedAgentBus bus, final String agent)
    {
        final List<String> got = Collections.synchronizedList(new ArrayList<>());
        bus.subscribe(agent, m -> got.add(m.toMessage().messageId()), DeliveryMode.INLINE);
        return got;
    }

    @Test
    void aLowImpactMessageIsDeliveredAndAHighImpactOneIsHeldUnderReview() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final AgentMessage hello = msg("sender", "rcpt", "acme", "hello world");
            final ValidationResult low = send(bus, hello);
            assertEquals(Decision.ALLOW, low.decision());
            assertEquals(MessageStatus.DELIVERED, low.status());

            final AgentMessage alarm = msg("sender", "rcpt", "acme", ALARM);
            final ValidationResult held = send(bus, alarm);
            assertTrue(held.isValid());
            assertEquals(Decision.HOLD, held.decision());
            assertEquals(MessageStatus.PENDING_DELIBERATION, held.status());
            final String id = (String)held.metadata().get("deliberation_id");
            assertNotNull(id);
            assertEquals(List.of(hello.messageId()), got, "only the low-impact message was delivered");

            final DeliberationItem item = bus.deliberations().get(id).orElseThrow();
            assertEquals(DeliberationStatus.UNDER_REVIEW, item.status());
            assertEquals(alarm.messageId(), item.message().messageId());
            assertEquals(0.8, item.impactScore());
            assertEquals(0.8, item.impactFactors().get("semantic"));
            assertEquals(7, item.impactFactors().size());
            assertEquals(0.8, item.threshold());
            assertEquals(3, item.requiredVotes());
            assertEquals(0.66, item.consensusThreshold());
            assertEquals(List.of(id), bus.deliberations().pending().stream().map(DeliberationItem::id).toList());
            final Map<?, ?> metrics = (Map<?, ?>)bus.getMetrics().get("deliberation");
            assertEquals(1L, metrics.get("held"));
            assertEquals(1, metrics.get("pending"));
        }
    }

    @Test
    void theThresholdIsInclusivePerTenant() throws Exception
    {
        // acme: default 0.8, so a score of exactly 0.80 is held; edge: 0.8001, so the same 0.80 (0.0001 below) is delivered.
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON.withTenantThreshold("edge", 0.8001)).build()))
        {
            final List<String> got = collect(bus, "edge-rcpt");
            bus.start();
            assertEquals(Decision.HOLD, send(bus, msg("sender", "rcpt", "acme", ALARM)).decision());
            final AgentMessage edge = msg("edge-sender", "edge-rcpt", "edge", ALARM);
            assertEquals(Decision.ALLOW, send(bus, edge).decision());
            assertEquals(List.of(edge.messageId()), got);
        }
        // And 0.7999 against the default 0.8: a threshold of 0.8 + 1e-4 shifts the same score 1e-4 below it.
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).impactThreshold(0.8001).build()))
        {
            bus.start();
            assertEquals(Decision.ALLOW, send(bus, msg("sender", "rcpt", "acme", ALARM)).decision());
            // Priority CRITICAL lifts the score to 0.9: held above the raised threshold.
            assertEquals(Decision.HOLD, send(bus, msg("sender", "rcpt", "acme", "hello").toBuilder().priority(Priority.CRITICAL).build()).decision());
        }
    }

    @Test
    void aHighImpactBroadcastIsRefusedNotDeliveredUnreviewed() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final AgentMessage low = AgentMessage.builder().fromAgent("sender").tenantId("acme").messageType(MessageType.EVENT)
                .content(Map.of("content", "status ok")).build();
            final Map<String, ValidationResult> delivered = bus.broadcast(low).get(HANG_GUARD_S, TimeUnit.SECONDS);
            assertEquals(Decision.ALLOW, delivered.get("rcpt").decision());
            final AgentMessage high = low.toBuilder().messageId("b-high").content(Map.of("content", ALARM)).build();
            final java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> bus.broadcast(high).get(HANG_GUARD_S, TimeUnit.SECONDS));
            assertInstanceOf(dev.eab.api.exception.MessageValidationException.class, refused.getCause());
            assertTrue(refused.getCause().getMessage().contains("cannot be held for deliberation"), refused.getCause().getMessage());
            assertEquals(List.of(low.messageId()), got);
            assertTrue(bus.deliberations().pending().isEmpty());
            assertEquals(1L, ((Map<?, ?>)bus.getMetrics().get("rejected")).get("deliberation_rejected"));
        }
    }

    @Test
    void governanceOffHoldsNothing() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.OFF).build()))
        {
            bus.start();
            assertEquals(Decision.ALLOW, send(bus, msg("sender", "rcpt", "acme", ALARM + " attack exploit emergency")).decision());
            assertTrue(bus.deliberations().pending().isEmpty());
        }
    }

    @Test
    void aHumanApprovalDeliversOnceWithTheOriginalIdAndRecordsTheReviewer() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final AgentMessage alarm = msg("sender", "rcpt", "acme", ALARM);
            final String id = (String)send(bus, alarm).metadata().get("deliberation_id");
            final DeliberationItem decided = bus.deliberations().approve(id, "alice@example.com", "checked with the on-call");
            assertEquals(DeliberationStatus.APPROVED, decided.status());
            assertEquals("alice@example.com", decided.reviewer());
            assertEquals("checked with the on-call", decided.reasoning());
            assertNotNull(decided.decidedAt());
            await(() -> got.size() == 1, "the approved message");
            assertEquals(List.of(alarm.messageId()), got);
            assertThrows(DeliberationException.class, () -> bus.deliberations().approve(id, "bob", "again"));
            assertThrows(DeliberationException.class, () -> bus.deliberations().reject(id, "bob", "too late"));
            assertThrows(DeliberationException.class, () -> bus.deliberations().approve(id, " ", "no reviewer"));
            // A later message is routed after the approval: nothing else arrives for the held one.
            send(bus, msg("sender", "rcpt", "acme", "hello"));
            assertEquals(2, got.size());
            assertEquals(1, got.stream().filter(alarm.messageId()::equals).count());
            assertTrue(bus.deliberations().pending().isEmpty());
        }
    }

    @Test
    void concurrentApprovalsReInjectExactlyOnce() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final AgentMessage alarm = msg("sender", "rcpt", "acme", ALARM);
            final String id = (String)send(bus, alarm).metadata().get("deliberation_id");
            final int threads = 6;
            final CyclicBarrier start = new CyclicBarrier(threads);
            final AtomicInteger won = new AtomicInteger();
            final AtomicInteger refused = new AtomicInteger();
            final List<Thread> all = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int n = t;
                all.add(Thread.ofPlatform().start(() -> {
                    try
                    {
                        start.await(HANG_GUARD_S, TimeUnit.SECONDS);
                        if (n % 2 == 0)
                        {
                            bus.deliberations().approve(id, "reviewer-" + n, "ok");
                        }
                        else
                        {
                            bus.deliberations().vote(id, "judge" + (n % 3 + 1), VoteChoice.APPROVE, "ok");
                        }
                        won.incrementAndGet();
                    }
                    catch (final DeliberationException e)
                    {
                        refused.incrementAndGet();
                    }
                    catch (final Exception e)
                    {
                        throw new AssertionError(e);
                    }
                }));
            }
            for (final Thread t : all)
            {
                t.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_S));
            }
            await(() -> got.size() == 1, "the approved message");
            send(bus, msg("sender", "rcpt", "acme", "hello"));
            assertEquals(1, got.stream().filter(alarm.messageId()::equals).count(), "delivered exactly once");
            assertEquals(DeliberationStatus.APPROVED, bus.deliberations().get(id).orElseThrow().status());
            assertEquals(threads, won.get() + refused.get());
        }
    }

    @Test
    void threeJudicialApprovalsReachConsensusAndAReVoteReplacesTheEarlierOne() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final AgentMessage alarm = msg("sender", "rcpt", "acme", ALARM);
            final String id = (String)send(bus, alarm).metadata().get("deliberation_id");
            final var d = bus.deliberations();
            assertEquals(DeliberationStatus.UNDER_REVIEW, d.vote(id, "judge1", VoteChoice.REJECT, "unsure").status());
            assertEquals(DeliberationStatus.UNDER_REVIEW, d.vote(id, "judge1", VoteChoice.APPROVE, "checked").status());
            final DeliberationItem two = d.vote(id, "judge2", VoteChoice.APPROVE, "");
            assertEquals(2, two.votes().size(), "judge1's second vote replaced the first");
            assertEquals(VoteChoice.APPROVE, two.votes().get(0).choice());
            assertEquals("judge1", two.votes().get(0).agentId());
            assertEquals(DeliberationStatus.UNDER_REVIEW, two.status());
            final DeliberationItem three = d.vote(id, "judge3", VoteChoice.APPROVE, "fine");
            assertEquals(DeliberationStatus.APPROVED, three.status());
            await(() -> got.size() == 1, "the approved message");
            assertEquals(alarm.messageId(), got.get(0));
            assertThrows(DeliberationException.class, () -> d.vote(id, "judge1", VoteChoice.REJECT, "too late"));
        }
    }

    @Test
    void abstentionsCountInTheDenominator() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            bus.start();
            final String id = (String)send(bus, msg("sender", "rcpt", "acme", ALARM)).metadata().get("deliberation_id");
            final var d = bus.deliberations();
            d.vote(id, "judge1", VoteChoice.APPROVE, "");
            d.vote(id, "judge2", VoteChoice.ABSTAIN, "");
            // 1 approval of 3 votes < 0.66, 1 rejection of 3 is not > 0.34: undecided.
            assertEquals(DeliberationStatus.UNDER_REVIEW, d.vote(id, "judge3", VoteChoice.REJECT, "").status());
            // judge2 changes to approve: 2 of 3 ≥ 0.66.
            assertEquals(DeliberationStatus.APPROVED, d.vote(id, "judge2", VoteChoice.APPROVE, "").status());
        }
    }

    @Test
    void rejectionByVotesFailsTheMessage() throws Exception
    {
        final GovernanceSettings g = GovernanceSettings.ON.withTenantRule("acme", new DeliberationRule(2, 0.66));
        try (EnhancedAgentBus bus = bus(config(g).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final String id = (String)send(bus, msg("sender", "rcpt", "acme", ALARM)).metadata().get("deliberation_id");
            assertEquals(2, bus.deliberations().get(id).orElseThrow().requiredVotes(), "the tenant's rule");
            bus.deliberations().vote(id, "judge1", VoteChoice.REJECT, "no");
            assertEquals(DeliberationStatus.REJECTED, bus.deliberations().vote(id, "judge2", VoteChoice.REJECT, "no").status());
            send(bus, msg("sender", "rcpt", "acme", "hello"));
            assertEquals(1, got.size(), "only the later low-impact message");
            assertEquals(1L, ((Map<?, ?>)bus.getMetrics().get("deliberation")).get("rejected"));
        }
    }

    @Test
    void onlyJudicialAgentsVoteAndNeverTheSender() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            bus.start();
            final String id = (String)send(bus, msg("sender", "rcpt", "acme", ALARM)).metadata().get("deliberation_id");
            final String own = (String)send(bus, msg("judge-sender", "rcpt", "acme", ALARM)).metadata().get("deliberation_id");
            final var d = bus.deliberations();
            final MaciRoleViolationException exec = assertThrows(MaciRoleViolationException.class, () -> d.vote(id, "exec", VoteChoice.APPROVE, ""));
            assertEquals("Agent 'exec' (executive) cannot perform 'vote' - allowed roles: judicial", exec.getMessage());
            assertThrows(MaciRoleViolationException.class, () -> d.vote(id, "nobody", VoteChoice.APPROVE, ""));
            final MaciSelfValidationException self = assertThrows(MaciSelfValidationException.class,
                () -> d.vote(own, "judge-sender", VoteChoice.APPROVE, ""));
            assertEquals("godel_bypass", self.details().get("prevention_type"));
            assertThrows(MaciSelfValidationException.class, () -> d.approve(id, "sender", "my own"));
            assertThrows(DeliberationException.class, () -> d.vote("dlb-unknown", "judge1", VoteChoice.APPROVE, ""));
            assertThrows(DeliberationException.class, () -> d.approve("dlb-unknown", "alice", ""));
            assertTrue(d.get(id).orElseThrow().votes().isEmpty(), "refused votes are not recorded");
        }
    }

    /** Nobody judges their own work: neither the agent a held message names as its target nor the producer of its target output. */
    @Test
    void theTargetAgentAndTheProducerOfTheJudgedOutputNeverVote() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            bus.start();
            bus.maci().recordOutput("judge2", "report-7");
            final AgentMessage aboutOutput = AgentMessage.builder().fromAgent("sender").toAgent("rcpt").tenantId("acme")
                .messageType(MessageType.QUERY).content(Map.of("content", ALARM, "target_output_id", "report-7")).build();
            final AgentMessage aboutAgent = AgentMessage.builder().fromAgent("sender").toAgent("rcpt").tenantId("acme")
                .messageType(MessageType.QUERY).content(Map.of("content", ALARM, "target_agent_id", "judge3")).build();
            final String outputItem = (String)send(bus, aboutOutput).metadata().get("deliberation_id");
            final String agentItem = (String)send(bus, aboutAgent).metadata().get("deliberation_id");
            final var d = bus.deliberations();
            final MaciSelfValidationException producer = assertThrows(MaciSelfValidationException.class,
                () -> d.vote(outputItem, "judge2", VoteChoice.APPROVE, "my own report"));
            assertEquals("godel_bypass", producer.details().get("prevention_type"));
            assertThrows(MaciSelfValidationException.class, () -> d.vote(agentItem, "judge3", VoteChoice.APPROVE, "about me"));
            assertThrows(MaciSelfValidationException.class, () -> d.approve(outputItem, "judge2", "a human reviewer who produced it"));
            // Everyone else may: judge3 on the output, judge2 on the agent.
            assertEquals(1, d.vote(outputItem, "judge3", VoteChoice.APPROVE, "").votes().size());
            assertEquals(1, d.vote(agentItem, "judge2", VoteChoice.APPROVE, "").votes().size());
        }
    }

    @Test
    void aHumanRejectionFailsTheMessageAndListenersRunOffTheBusThread() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
            final CountDownLatch decided = new CountDownLatch(1);
            bus.deliberations().addListener(new DeliberationListener()
            {
                @Override
                public void onHeld(final DeliberationItem item)
                {
                    throw new IllegalStateException("a hostile listener");
                }
            });
            final AutoCloseable handle = bus.deliberations().addListener(new DeliberationListener()
            {
                @Override
                public void onHeld(final DeliberationItem item)
                {
                    events.add("held:" + item.status() + ":" + Thread.currentThread().getName());
                }

                @Override
                public void onDecided(final DeliberationItem item)
                {
                    events.add("decided:" + item.status() + ":" + item.reviewer());
                    decided.countDown();
                }
            });
            bus.start();
            final String id = (String)send(bus, msg("sender", "rcpt", "acme", ALARM)).metadata().get("deliberation_id");
            final DeliberationItem r = bus.deliberations().reject(id, "carol", "not now");
            assertEquals(DeliberationStatus.REJECTED, r.status());
            assertEquals("not now", r.reasoning());
            assertTrue(decided.await(HANG_GUARD_S, TimeUnit.SECONDS));
            assertEquals(List.of("held:UNDER_REVIEW:eab-deliberation", "decided:REJECTED:carol"), List.copyOf(events));
            assertTrue(got.isEmpty());
            assertEquals(1L, ((Map<?, ?>)bus.getMetrics().get("deliberation")).get("listener_failures"));
            handle.close();
            send(bus, msg("sender", "rcpt", "acme", ALARM));
            assertEquals(2, events.size(), "a closed listener is not called");
        }
    }

    @Test
    void anUndecidedItemTimesOutAndItsMessageFails() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON.withTimeoutMs(200)).build()))
        {
            final List<String> got = collect(bus, "rcpt");
            final ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
            bus.start();
            final String id = (String)send(bus, msg("sender", "rcpt", "acme", ALARM)).metadata().get("deliberation_id");
            final MessagePublisher pub = bus.publisher("sender", listener(outcomes));
            publish(pub, bus.getAgentInfo("rcpt").handle(), 77, ALARM);
            await(() -> bus.deliberations().get(id).orElseThrow().status() == DeliberationStatus.TIMED_OUT, "the timeout");
            await(() -> outcomes.contains("rejected:77:DELIBERATION_TIMED_OUT"), "the flyweight sender told");
            assertTrue(outcomes.contains("held:77"));
            assertThrows(DeliberationException.class, () -> bus.deliberations().approve(id, "alice", "too late"));
            assertTrue(got.isEmpty(), "nothing delivered: fail closed");
            assertEquals(2L, ((Map<?, ?>)bus.getMetrics().get("deliberation")).get("timed_out"));
        }
    }

    private static OutcomeListener listener(final ConcurrentLinkedQueue<String> outcomes)
    {
        return new OutcomeListener()
        {
            @Override
            public void onDelivered(final long correlationId, final int recipientHandle)
            {
                outcomes.add("delivered:" + correlationId);
            }

            @Override
            public void onRejected(final long correlationId, final RejectReason reason)
            {
                outcomes.add("rejected:" + correlationId + ":" + reason);
            }

            @Override
            public void onHeld(final long correlationId)
            {
                outcomes.add("held:" + correlationId);
            }
        };
    }

    private static void publish(final MessagePublisher pub, final int to, final long correlationId, final String text)
    {
        final byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        final MessageClaim c = pub.tryClaim();
        assertNotNull(c);
        c.to(to).type(MessageType.EVENT).priority(Priority.NORMAL).correlationId(correlationId).payload(payload, 0, payload.length).publish();
    }

    @Test
    void aHeldZeroAllocationMessageIsApprovedAndItsSenderTold() throws Exception
    {
        try (EnhancedAgentBus bus = bus(config(GovernanceSettings.ON).build()))
        {
            final ConcurrentLinkedQueue<String> payloads = new ConcurrentLinkedQueue<>();
            bus.subscribe("rcpt", m -> {
                final byte[] b = new byte[m.payloadLength()];
                m.copyPayload(b, 0);
                payloads.add(m.correlationId() + ":" + new String(b, StandardCharsets.UTF_8));
            }, DeliveryMode.INLINE);
            final ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();
            bus.start();
            final MessagePublisher pub = bus.publisher("sender", listener(outcomes));
            final int rcpt = bus.getAgentInfo("rcpt").handle();
            publish(pub, rcpt, 1, "routine status");
            publish(pub, rcpt, 2, ALARM);
            await(() -> outcomes.size() == 2, "both outcomes");
            assertEquals(List.of("delivered:1", "held:2"), List.copyOf(outcomes));
            final DeliberationItem item = bus.deliberations().pending().get(0);
            assertEquals("sender:2", item.message().messageId(), "the flyweight message's id");
            bus.deliberations().approve(item.id(), "alice", "ok");
            await(() -> outcomes.contains("delivered:2"), "the approved delivery told to the sender");
            assertEquals(List.of("1:routine status", "2:" + ALARM), List.copyOf(payloads));
        }
    }

    @Test
    void anApprovedMessageIsJournaledAndRedeliveredIfItsDeliveryWasNotAcknowledged(@TempDir final Path dir) throws Exception
    {
        final BusConfiguration c = config(GovernanceSettings.ON).journalDir(dir).build();
        final AgentMessage alarm = msg("sender", "rcpt", "acme", ALARM);
        try (EnhancedAgentBus bus = bus(c))
        {
            bus.start();
            final String id = (String)send(bus, alarm).metadata().get("deliberation_id");
            final long before = (Long)((Map<?, ?>)bus.getMetrics().get("journal")).get("appended");
            bus.deliberations().approve(id, "alice", "ok");
            // No handler: the approved message waits in rcpt's inbox, journaled and not acknowledged, when the bus closes.
            send(bus, msg("sender", "exec", "acme", "hello"));
            assertTrue((Long)((Map<?, ?>)bus.getMetrics().get("journal")).get("appended") >= before + 2, "the approved message was journaled");
        }
        try (EnhancedAgentBus bus = bus(c))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            await(() -> got.contains(alarm.messageId()), "the approved message redelivered from the journal");
            assertTrue(bus.deliberations().pending().isEmpty(), "decided: not restored as pending");
        }
    }

    @Test
    void pendingItemsAndTheirVotesSurviveARestart(@TempDir final Path dir) throws Exception
    {
        final BusConfiguration c = config(GovernanceSettings.ON).journalDir(dir).build();
        final AgentMessage first = msg("sender", "rcpt", "acme", ALARM);
        final AgentMessage second = msg("sender", "rcpt", "acme", ALARM + " attack");
        final AgentMessage decided = msg("sender", "rcpt", "acme", ALARM + " exploit");
        final String firstId;
        final String secondId;
        try (EnhancedAgentBus bus = bus(c))
        {
            bus.start();
            firstId = (String)send(bus, first).metadata().get("deliberation_id");
            secondId = (String)send(bus, second).metadata().get("deliberation_id");
            final String decidedId = (String)send(bus, decided).metadata().get("deliberation_id");
            bus.deliberations().vote(firstId, "judge1", VoteChoice.APPROVE, "looks fine");
            bus.deliberations().reject(decidedId, "alice", "no");
        }
        try (EnhancedAgentBus bus = bus(c))
        {
            final List<String> got = collect(bus, "rcpt");
            bus.start();
            final List<DeliberationItem> pending = bus.deliberations().pending();
            assertEquals(List.of(firstId, secondId), pending.stream().map(DeliberationItem::id).toList(), "the decided one is not restored");
            final DeliberationItem restored = pending.get(0);
            assertEquals(DeliberationStatus.UNDER_REVIEW, restored.status());
            assertEquals(first.messageId(), restored.message().messageId());
            assertEquals(first.content(), restored.message().content());
            assertEquals(1, restored.votes().size());
            assertEquals("looks fine", restored.votes().get(0).reasoning());
            assertEquals(0.8, restored.impactScore());
            bus.deliberations().vote(firstId, "judge2", VoteChoice.APPROVE, "");
            assertEquals(DeliberationStatus.APPROVED, bus.deliberations().vote(firstId, "judge3", VoteChoice.APPROVE, "").status());
            await(() -> got.size() == 1, "the approved message after the restart");
            assertEquals(first.messageId(), got.get(0));
            assertTrue(got.stream().noneMatch(second.messageId()::equals));
        }
        try (EnhancedAgentBus bus = bus(c))
        {
            bus.start();
            assertEquals(List.of(secondId), bus.deliberations().pending().stream().map(DeliberationItem::id).toList());
        }
    }
}
