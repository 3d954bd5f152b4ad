package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.AuditBackpressure;
import dev.eab.api.BackpressurePolicy;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.BackpressureException;
import dev.eab.core.audit.AuditChainVerifier;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditQueues;
import dev.eab.core.audit.AuditRecord;
import dev.eab.core.resilience.HealthStatus;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The audit chain on a real bus: every decision (accept, reject, each broadcast recipient, the flyweight path,
 * registrations) is one record with the message's ids, the reason, the policy version and the hash, and the
 * chain verifies; a stalled audit writer back-pressures publishers (not the bus thread) and loses nothing.
 */
class AuditBusTest
{
    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"OFF", "AUTO"})
    void everyDecisionIsOneRecordAndTheChainVerifies(final NativeMode mode, @TempDir final Path dir)
    {
        final List<AgentMessage> sent = new ArrayList<>();
        try (EnhancedAgentBus bus = started(config(mode).auditDir(dir).build()))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r1", "worker", Set.of(), "acme", null);
            bus.registerAgent("r2", "worker", Set.of(), "acme", null);
            bus.registerAgent("g", "worker", Set.of(), "globex", null);
            final AgentMessage ok = msg("s", "r1", "acme").impactScore(0.3).build();
            final AgentMessage crossTenant = msg("s", "g", "acme").build();
            final AgentMessage badHash = msg("s", "r1", "acme").constitutionalHash("0000000000000000").build();
            for (final AgentMessage m : List.of(ok, crossTenant, badHash))
            {
                send(bus, m);
                sent.add(m);
            }
            final Map<String, ValidationResult> b = get(bus.broadcast(msg("s", "", "acme").build()));
            assertEquals(2, b.size());
            final RecordingListener listener = new RecordingListener();
            final byte[] payload = {1, 2, 3};
            assertTrue(bus.publisher("s", listener).tryPublish(bus.getAgentInfo("r2").handle(), MessageType.EVENT, 4242, payload, 0, 3));
            listener.awaitOutcome(4242);
            // The hook the governance and policy layers call.
            bus.recordAudit(AuditKind.HOLD, sent.get(0).messageId(), "s", "acme", 0.91, "hold:deliberation", Map.of("queue", "deliberation"));
            assertTrue(bus.auditLog().awaitFlushed(HANG_GUARD_S * 1000));
            assertEquals(true, ((Map<?, ?>)bus.getMetrics().get("audit")).get("enabled"));
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir);
        assertTrue(verified.ok(), verified.describe());
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals(1, count(records, AuditKind.LOG_OPENED));
        assertEquals(4, count(records, AuditKind.REGISTER));
        // ok + 2 broadcast recipients + flyweight accepted; cross tenant and bad hash rejected.
        assertEquals(4, count(records, AuditKind.ACCEPT), records.toString());
        assertEquals(2, count(records, AuditKind.REJECT));
        final AuditRecord hold = records.stream().filter(r -> r.entry().kind() == AuditKind.HOLD).findFirst().orElseThrow();
        assertEquals(0.91, hold.entry().riskScore());
        assertEquals("hold:deliberation", hold.entry().decision());
        assertEquals(sent.get(0).messageId(), hold.entry().traceId());
        final AuditRecord accepted = find(records.stream().filter(r -> r.entry().kind() != AuditKind.HOLD).toList(), sent.get(0).messageId());
        assertEquals("accept", accepted.entry().decision());
        assertEquals("s", accepted.entry().agentId());
        assertEquals("acme", accepted.entry().tenantId());
        assertEquals(sent.get(0).conversationId(), accepted.entry().spanId());
        assertEquals(0.3, accepted.entry().riskScore());
        assertEquals("r1", accepted.entry().metadata().get("recipient"));
        assertEquals("cdd01ef066bc6cf2", accepted.entry().constitutionalHash());
        assertFalse(accepted.entry().policyVersion().isEmpty());
        final AuditRecord tenant = find(records, sent.get(1).messageId());
        assertEquals(RejectReason.TENANT_MISMATCH_RECIPIENT.code(), tenant.entry().reasonCode());
        assertEquals("reject:tenant_mismatch_recipient", tenant.entry().decision());
        assertEquals(List.of("tenant_isolation"), tenant.entry().complianceTags());
        assertEquals(RejectReason.HASH_MISMATCH.code(), find(records, sent.get(2).messageId()).entry().reasonCode());
        final AuditRecord flyweight = find(records, "4242");
        assertEquals("flyweight", flyweight.entry().metadata().get("path"));
        assertEquals("r2", flyweight.entry().metadata().get("recipient"));
        // Records are stamped in decision order.
        for (int i = 1; i < records.size(); i++)
        {
            assertEquals(i, records.get(i).sequence());
        }
    }

    @ParameterizedTest
    @EnumSource(AuditBackpressure.class)
    void aStalledAuditWriterPushesBackOnPublishersNotTheBusThreadAndLosesNothing(final AuditBackpressure policy, @TempDir final Path dir)
    {
        final int ring = 64;
        final int queue = 8;
        final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>();
        try (EnhancedAgentBus bus = started(config(NativeMode.OFF).ringSize(ring).backpressurePolicy(BackpressurePolicy.REJECT)
            .auditDir(dir).auditBackpressure(policy).auditQueueCapacity(queue).auditOverflowCapacity(32).build()))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r", "worker", Set.of(), "acme", null);
            assertTrue(bus.auditLog().awaitFlushed(HANG_GUARD_S * 1000));
            bus.auditLog().suspendWriter();
            int refused = 0;
            for (int i = 0; i < 10_000 && refused == 0; i++)
            {
                try
                {
                    futures.add(bus.send(msg("s", i % 3 == 0 ? "nobody" : "r", "acme").build()));
                }
                catch (final BackpressureException e)
                {
                    refused++;
                }
            }
            assertEquals(1, refused, "the ring filled behind the stalled audit log: the publisher was pushed back");
            // The bus thread did not wait for the audit log: it decided far more messages than the audit queue holds.
            await(() -> futures.stream().filter(CompletableFuture::isDone).count() >= ring - 1, "the bus thread deciding while audit is stalled");
            assertTrue(futures.size() > queue + (policy == AuditBackpressure.OVERFLOW ? 32 : 0));
            // The capture thread fills the audit queue behind the stalled writer (on a loaded host it may run
            // after the ring has already filled): then the log reports itself behind.
            await(() -> bus.auditLog().lagging(), "the audit log to report that it is behind");
            assertEquals(HealthStatus.CRITICAL, bus.auditLog().health().status());
            bus.auditLog().resumeWriter();
            for (final CompletableFuture<ValidationResult> f : futures)
            {
                get(f);
            }
            assertTrue(bus.auditLog().awaitFlushed(HANG_GUARD_S * 1000));
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir);
        assertTrue(verified.ok(), verified.describe());
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals(futures.size(), count(records, AuditKind.ACCEPT) + count(records, AuditKind.REJECT), "one record per decision, none missing");
        assertEquals(futures.stream().filter(f -> !f.join().isValid()).count(), count(records, AuditKind.REJECT));
    }

    /**
     * A stop right after start must not lose decisions: the Disruptor's shutdown ignores a processor that has not
     * started running, and its halt then ends it unread, so {@code start()} waits for the capture to run.
     */
    @org.junit.jupiter.api.Test
    void stoppingRightAfterStartingLosesNoDecision(@TempDir final Path dir)
    {
        for (int run = 0; run < 10; run++)
        {
            final List<CompletableFuture<ValidationResult>> futures = new ArrayList<>();
            try (EnhancedAgentBus bus = new EnhancedAgentBus(config(NativeMode.OFF).auditDir(dir).build()))
            {
                bus.registerAgent("s", "worker", Set.of(), "acme", null);
                bus.registerAgent("r", "worker", Set.of(), "acme", null);
                bus.start();
                for (int i = 0; i < 5; i++)
                {
                    futures.add(bus.send(msg("s", "r", "acme").build()));
                }
            }
            futures.forEach(BusFixtures::get);
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir);
        assertTrue(verified.ok(), verified.describe());
        assertEquals(50, count(AuditQueues.records(dir), AuditKind.ACCEPT), "10 runs x 5 decisions, one chain continued by each bus");
    }

    /** Governance's decisions go into the same chain: the hold (from the ring), then the review's approval or rejection. */
    @org.junit.jupiter.api.Test
    void heldMessagesAndTheirReviewDecisionsAreAudited(@TempDir final Path dir) throws Exception
    {
        final AgentMessage approved;
        final AgentMessage rejected;
        try (EnhancedAgentBus bus = started(config(NativeMode.AUTO).auditDir(dir).governance(dev.eab.api.GovernanceSettings.ON).build()))
        {
            bus.registerAgent("s", "worker", Set.of(), "acme", null);
            bus.registerAgent("r", "worker", Set.of(), "acme", null);
            approved = msg("s", "r", "acme").content(Map.of("content", "critical security breach")).build();
            rejected = msg("s", "r", "acme").content(Map.of("content", "critical security breach again")).build();
            final String approvedId = (String)send(bus, approved).metadata().get("deliberation_id");
            final String rejectedId = (String)send(bus, rejected).metadata().get("deliberation_id");
            assertNotNull(approvedId, "held for deliberation");
            bus.deliberations().approve(approvedId, "alice", "looked at it");
            bus.deliberations().reject(rejectedId, "bob", "no");
            final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(HANG_GUARD_S);
            while (count(AuditQueues.records(dir), AuditKind.REVIEW_REJECTION) == 0 || count(AuditQueues.records(dir), AuditKind.APPROVAL) == 0)
            {
                assertTrue(System.nanoTime() < deadline, "timed out waiting for the review decisions in the chain");
                Thread.sleep(5);
            }
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir);
        assertTrue(verified.ok(), verified.describe());
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals(2, count(records, AuditKind.HOLD), records.toString());
        final AuditRecord hold = records.stream().filter(r -> r.entry().kind() == AuditKind.HOLD).findFirst().orElseThrow();
        assertEquals("hold", hold.entry().decision());
        assertFalse(hold.entry().metadata().get("deliberation_id").isEmpty());
        final AuditRecord approval = records.stream().filter(r -> r.entry().kind() == AuditKind.APPROVAL).findFirst().orElseThrow();
        assertEquals(approved.messageId(), approval.entry().traceId());
        assertEquals("alice", approval.entry().metadata().get("reviewer"));
        assertEquals(0.8, approval.entry().riskScore(), 1e-9);
        final AuditRecord rejection = records.stream().filter(r -> r.entry().kind() == AuditKind.REVIEW_REJECTION).findFirst().orElseThrow();
        assertEquals(rejected.messageId(), rejection.entry().traceId());
        assertEquals("rejected", rejection.entry().decision());
        // The approved message is delivered after review: its accept record follows the approval.
        assertTrue(records.stream().anyMatch(r -> r.entry().kind() == AuditKind.ACCEPT && r.entry().traceId().equals(approved.messageId())),
            records.toString());
    }

    /** A Rego policy reload, accepted or refused, is a POLICY_RELOAD record in the same chain. */
    @org.junit.jupiter.api.Test
    void policyReloadsAreAudited(@TempDir final Path dir, @TempDir final Path rego) throws Exception
    {
        final String version;
        try (EnhancedAgentBus bus = started(config(NativeMode.AUTO).auditDir(dir).regoDir(dev.eab.core.validate.RegoFixtures.bundle(rego))
            .regoWatch(false).build()))
        {
            version = bus.reloadRegoPolicies();
            java.nio.file.Files.writeString(rego.resolve("bad.rego"), "package eab\n\nallow if {\n");
            assertThrows(dev.eab.api.exception.PolicyEvaluationException.class, bus::reloadRegoPolicies);
            assertTrue(bus.auditLog().awaitFlushed(HANG_GUARD_S * 1000));
        }
        final List<AuditRecord> records = AuditQueues.records(dir);
        final List<AuditRecord> reloads = records.stream().filter(r -> r.entry().kind() == AuditKind.POLICY_RELOAD).toList();
        assertEquals(2, reloads.size(), records.toString());
        assertEquals("reloaded", reloads.get(0).entry().decision());
        assertEquals(version, reloads.get(0).entry().metadata().get("rego_version"));
        assertEquals("refused", reloads.get(1).entry().decision());
        assertTrue(reloads.get(1).entry().metadata().get("error").contains("bad.rego"), reloads.get(1).toString());
        assertTrue(AuditChainVerifier.verify(dir).ok());
    }

    /**
     * A stop that times out on a blocked INLINE handler halts the ring: the message in hand still completes
     * (and its ACCEPT reaches the chain although the halt stopped the capture short of it), and the messages
     * behind it fail with BUS_STOPPED, each audited as a REJECT with that code: no decision missing.
     */
    @org.junit.jupiter.api.Test
    void messagesFailedByAStopThatTimedOutAreAuditedAsBusStopped(@TempDir final Path dir) throws Exception
    {
        final EnhancedAgentBus bus = started(config(NativeMode.OFF).handlerTimeoutMs(200).auditDir(dir).build());
        bus.registerAgent("s", "worker", Set.of(), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        bus.subscribe("r", m -> {
            entered.countDown();
            release.await();
        }, dev.eab.api.DeliveryMode.INLINE);
        final AgentMessage inHand = msg("s", "r", "acme").build();
        final CompletableFuture<ValidationResult> blocked = bus.send(inHand);
        assertTrue(entered.await(HANG_GUARD_S, java.util.concurrent.TimeUnit.SECONDS));
        final List<AgentMessage> behind = List.of(msg("s", "r", "acme").build(), msg("s", "r", "acme").build());
        final List<CompletableFuture<ValidationResult>> pending = behind.stream().map(bus::send).toList();
        bus.stop(); // the drain times out (the handler blocks): the ring is halted
        release.countDown();
        assertEquals(dev.eab.api.MessageStatus.DELIVERED, get(blocked).status());
        for (final CompletableFuture<ValidationResult> f : pending)
        {
            assertEquals(RejectReason.BUS_STOPPED, get(f).rejectReason());
        }
        assertTrue(bus.auditLog().awaitFlushed(HANG_GUARD_S * 1000));
        bus.close();
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir);
        assertTrue(verified.ok(), verified.describe());
        final List<AuditRecord> records = AuditQueues.records(dir);
        assertEquals("accept", find(records, inHand.messageId()).entry().decision());
        for (final AgentMessage m : behind)
        {
            final AuditRecord r = find(records, m.messageId());
            assertEquals(AuditKind.REJECT, r.entry().kind());
            assertEquals(RejectReason.BUS_STOPPED.code(), r.entry().reasonCode());
            assertEquals("reject:" + RejectReason.BUS_STOPPED.metricName(), r.entry().decision());
        }
        // Each message exactly once.
        for (final AgentMessage m : List.of(inHand, behind.get(0), behind.get(1)))
        {
            assertEquals(1, records.stream().filter(r -> r.entry().traceId().equals(m.messageId())).count(), m.messageId());
        }
    }

    private static long count(final List<AuditRecord> records, final AuditKind kind)
    {
        return records.stream().filter(r -> r.entry().kind() == kind).count();
    }

    private static AuditRecord find(final List<AuditRecord> records, final String traceId)
    {
        return records.stream().filter(r -> r.entry().traceId().equals(traceId)).findFirst().orElseThrow(() -> new AssertionError(traceId));
    }
}
