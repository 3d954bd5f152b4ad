package dev.eab.core.validate;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.RateLimit;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;
import dev.eab.core.route.Inbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The rejection messages, in the original's words (reference §2.5, §3.1); hashes only as 8-character prefixes. */
class RejectionTextsTest
{
    static final String HASH = TestHeaders.HASH;

    PolicyTable policy;
    RejectionTexts texts;
    AgentRecord alice;
    AgentRecord bob;
    AgentRecord loner;

    @BeforeEach
    void setUp()
    {
        policy = PolicyCompiler.load(null);
        texts = new RejectionTexts(BusConfiguration.builder().constitutionalHash(HASH).maxMessageSizeBytes(1024).inboxCapacity(16)
            .payloadCapacityBytes(256).build(), policy, null);
        final AgentRegistry registry = new AgentRegistry(8, policy, handle -> new Inbox(handle, 16, new dev.eab.core.ops.BusMetrics()), tenant -> RateLimit.DEFAULT);
        alice = registry.register("alice", "worker", Set.of(), "acme", null);
        bob = registry.register("bob", "worker", Set.of(), "Globex", null);
        loner = registry.register("loner", "worker", Set.of(), null, null);
    }

    static AgentMessage.Builder msg()
    {
        return AgentMessage.builder().fromAgent("alice").toAgent("bob").tenantId("acme").content(Map.of("k", "v"));
    }

    String text(final RejectReason r, final AgentMessage m, final AgentRecord sender, final AgentRecord recipient)
    {
        return texts.describe(r, m, sender, recipient, null, 0);
    }

    @Test
    void hashMismatchShowsOnlyPrefixes()
    {
        final String t = text(RejectReason.HASH_MISMATCH, msg().constitutionalHash("deadbeefdeadbeef0123").build(), alice, bob);
        assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got 'deadbeef...'", t);
        assertFalse(t.contains(HASH), "never the full expected hash");
        assertFalse(t.contains("deadbeefd"), "never more than 8 characters of the claimed hash");
        // a claim that differs from the real hash only at the end must not leak the real hash either
        final String near = text(RejectReason.HASH_MISMATCH, msg().constitutionalHash("cdd01ef066bc6cf3").build(), alice, bob);
        assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got 'cdd01ef0...'", near);
        assertFalse(near.contains("cdd01ef06"));
        // 8 characters or fewer are shown whole, as in the original
        assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got 'abc'",
            text(RejectReason.HASH_MISMATCH, msg().constitutionalHash("abc").build(), alice, bob));
        assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got '12345678'",
            text(RejectReason.HASH_MISMATCH, msg().constitutionalHash("12345678").build(), alice, bob));
        assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got ''",
            text(RejectReason.HASH_MISMATCH, msg().constitutionalHash("").build(), alice, bob));
    }

    @Test
    void hashMissing()
    {
        assertEquals("Constitutional hash must be a string", text(RejectReason.HASH_MISSING, msg().constitutionalHash(null).build(), alice, bob));
    }

    @Test
    void tenantMismatchSender()
    {
        assertEquals("Tenant mismatch: message tenant_id 'globex' does not match sender tenant_id 'acme'",
            text(RejectReason.TENANT_MISMATCH_SENDER, msg().tenantId("globex").build(), alice, bob));
        // the message tenant is normalised (strip, lowercase)
        assertEquals("Tenant mismatch: message tenant_id 'globex' does not match sender tenant_id 'acme'",
            text(RejectReason.TENANT_MISMATCH_SENDER, msg().tenantId("  GLOBEX ").build(), alice, bob));
        assertEquals("Tenant mismatch: message tenant_id 'none' does not match sender tenant_id 'acme'",
            text(RejectReason.TENANT_MISMATCH_SENDER, msg().tenantId("").build(), alice, bob));
        assertEquals("Tenant mismatch: message tenant_id 'acme' does not match sender tenant_id 'none'",
            text(RejectReason.TENANT_MISMATCH_SENDER, msg().fromAgent("loner").build(), loner, bob));
    }

    @Test
    void tenantMismatchRecipient()
    {
        assertEquals("Tenant mismatch: message tenant_id 'acme' does not match recipient tenant_id 'globex'",
            text(RejectReason.TENANT_MISMATCH_RECIPIENT, msg().build(), alice, bob));
        assertEquals("Tenant mismatch: message tenant_id 'acme' does not match recipient tenant_id 'none'",
            text(RejectReason.TENANT_MISMATCH_RECIPIENT, msg().toAgent("loner").build(), alice, loner));
    }

    @Test
    void invalidTenant()
    {
        assertEquals("Invalid tenant_id format: ab", text(RejectReason.INVALID_TENANT, msg().tenantId("ab").build(), alice, bob));
        assertEquals("Invalid tenant_id format: bad tenant!", text(RejectReason.INVALID_TENANT, msg().tenantId(" Bad Tenant! ").build(), alice, bob));
    }

    @Test
    void agentsNotRegistered()
    {
        assertEquals("Agent 'ghost' is not registered (required for send)",
            text(RejectReason.SENDER_NOT_REGISTERED, msg().fromAgent("ghost").build(), null, bob));
        // without from_agent the sender_id names the sender
        assertEquals("Agent 'svc-1' is not registered (required for send)",
            text(RejectReason.SENDER_NOT_REGISTERED, msg().fromAgent("").senderId("svc-1").build(), null, bob));
        assertEquals("Agent 'nobody' is not registered (required for receive)",
            text(RejectReason.RECIPIENT_NOT_REGISTERED, msg().toAgent("nobody").build(), alice, null));
    }

    @Test
    void messageShape()
    {
        assertEquals("Message ID cannot be empty", text(RejectReason.EMPTY_MESSAGE_ID, msg().build(), alice, bob));
        assertEquals("Message content cannot be empty", text(RejectReason.EMPTY_CONTENT, msg().build(), alice, bob));
        final AgentMessage m = msg().build();
        assertEquals("Message size " + m.encodedSizeBytes() + " bytes exceeds the maximum of 1024 bytes", text(RejectReason.MESSAGE_TOO_LARGE, m, alice, bob));
        assertEquals("", text(RejectReason.NONE, m, alice, bob));
    }

    @Test
    void policyDeniedNamesTheRule()
    {
        final AgentMessage m = msg().messageType(MessageType.GOVERNANCE_REQUEST).build();
        assertEquals("Policy denied governance_request from 'alice': rule 'nobody-else-proposes' (policy version 2026-11-26.1)",
            text(RejectReason.POLICY_DENIED, m, alice, bob));
        assertEquals("Policy denied governance_request from 'alice': default deny (policy version 2026-11-26.1)",
            text(RejectReason.POLICY_DENIED, m, null, bob));
    }

    @Test
    void everyReasonHasATextThatNeverShowsTheFullHash()
    {
        final AgentMessage m = msg().constitutionalHash("0123456789abcdef").content(Map.of("required_capabilities", List.of("x"))).build();
        for (final RejectReason r : RejectReason.values())
        {
            final String t = texts.describe(r, m, alice, bob, r == RejectReason.VALIDATOR_ERROR ? new IllegalStateException("boom") : null, 7);
            assertNotNull(t, r.toString());
            assertEquals(r == RejectReason.NONE, t.isEmpty(), r + ": '" + t + "'");
            assertFalse(t.contains(HASH), r + " shows the full hash: " + t);
            assertFalse(t.contains("0123456789abcdef"), r + " shows the full claimed hash: " + t);
        }
    }
}
