package dev.eab.core;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.Decision;
import dev.eab.api.MessageClaim;
import dev.eab.api.MessagePublisher;
import dev.eab.api.MessageStatus;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.core.BusFixtures.Outcome;
import dev.eab.core.BusFixtures.RecordingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every rejection reason reachable through {@code send()}, through a running bus, with the native
 * validator and with the Java twin: the result is invalid and DENY with the right reason and text, the
 * reason is in the metadata and counted in the metrics, and nothing reaches the recipient.
 */
class RejectionReasonsBusTest
{
    private EnhancedAgentBus bus;
    private final AtomicInteger handled = new AtomicInteger();

    @AfterEach
    void close()
    {
        if (bus != null)
        {
            bus.close();
        }
    }

    /** acme: a, b (b counts inline deliveries), r (inbox only); beta: c; governor g holds 'governance'. */
    private void startBus(final NativeMode mode, final Consumer<BusConfiguration.Builder> tweak)
    {
        final BusConfiguration.Builder b = config(mode);
        tweak.accept(b);
        bus = started(b.build());
        assertEquals(mode == NativeMode.REQUIRED ? "native" : "java", bus.validator().name());
        bus.registerAgent("a", "worker", Set.of(), "acme", null);
        bus.registerAgent("b", "worker", Set.of("translate"), "acme", null);
        bus.registerAgent("r", "worker", Set.of(), "acme", null);
        bus.registerAgent("c", "worker", Set.of("summarize"), "beta", null);
        bus.registerAgent("g", "worker", Set.of("governance"), "acme", null);
        bus.subscribe("b", m -> handled.incrementAndGet(), dev.eab.api.DeliveryMode.INLINE);
    }

    private void startBus(final NativeMode mode)
    {
        startBus(mode, b -> { });
    }

    /** Sends, expects exactly this rejection, and checks nothing was delivered anywhere. */
    private ValidationResult expectRejected(final AgentMessage m, final RejectReason reason)
    {
        final long before = bus.metrics().rejected(reason);
        final long deliveredBefore = bus.metrics().delivered();
        final int handledBefore = handled.get();
        final ValidationResult r = send(bus, m);
        assertFalse(r.isValid(), r.toString());
        assertEquals(Decision.DENY, r.decision());
        assertEquals(reason == RejectReason.EXPIRED ? MessageStatus.EXPIRED : MessageStatus.FAILED, r.status());
        assertEquals(reason, r.rejectReason(), r.toString());
        assertEquals(reason.metricName(), r.metadata().get("rejection_reason"));
        assertEquals(1, r.errors().size(), r.toString());
        assertFalse(r.errors().get(0).isBlank());
        assertEquals(before + 1, bus.metrics().rejected(reason), "rejected-by-reason counter");
        @SuppressWarnings("unchecked")
        final Map<String, Long> byReason = (Map<String, Long>)bus.getMetrics().get("rejected");
        assertEquals(before + 1, byReason.get(reason.metricName()));
        assertEquals(deliveredBefore, bus.metrics().delivered(), "nothing delivered");
        assertEquals(handledBefore, handled.get(), "handler not called");
        for (final String inboxOwner : List.of("a", "r", "c", "g"))
        {
            assertEquals(0, bus.registry().inboxOf(inboxOwner).size(), "inbox of " + inboxOwner + " stays empty");
        }
        return r;
    }

    private void expectDelivered(final AgentMessage m)
    {
        final ValidationResult r = send(bus, m);
        assertTrue(r.isValid(), r.toString());
        assertEquals(Decision.ALLOW, r.decision());
        assertEquals(RejectReason.NONE, r.rejectReason());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void hashMissing(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "r", "acme").constitutionalHash(null).build(), RejectReason.HASH_MISSING);
        assertEquals("Constitutional hash must be a string", r.errors().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void hashMismatch(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "r", "acme").constitutionalHash("deadbeefcafebabe").build(), RejectReason.HASH_MISMATCH);
        assertEquals("Constitutional hash mismatch: expected 'cdd01ef0...', got 'deadbeef...'", r.errors().get(0));
        assertFalse(r.errors().get(0).contains("cdd01ef066bc6cf2"), "never leaks the full expected hash");
        // A right prefix followed by more characters, or a truncated hash, is still a mismatch.
        expectRejected(msg("a", "r", "acme").constitutionalHash("cdd01ef066bc6cf2x").build(), RejectReason.HASH_MISMATCH);
        expectRejected(msg("a", "r", "acme").constitutionalHash("cdd01ef066bc6cf").build(), RejectReason.HASH_MISMATCH);
        expectRejected(msg("a", "r", "acme").constitutionalHash("").build(), RejectReason.HASH_MISMATCH);
        expectRejected(msg("a", "r", "acme").constitutionalHash("CDD01EF066BC6CF2").build(), RejectReason.HASH_MISMATCH);
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void emptyMessageId(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "r", "acme").messageId("").build(), RejectReason.EMPTY_MESSAGE_ID);
        assertEquals("Message ID cannot be empty", r.errors().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void emptyContent(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "r", "acme").content(Map.of()).build(), RejectReason.EMPTY_CONTENT);
        assertEquals("Message content cannot be empty", r.errors().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void messageTooLarge(final NativeMode mode)
    {
        startBus(mode, b -> b.maxMessageSizeBytes(400).payloadCapacityBytes(64));
        final AgentMessage big = msg("a", "r", "acme").content(Map.of("text", "x".repeat(1000))).build();
        final ValidationResult r = expectRejected(big, RejectReason.MESSAGE_TOO_LARGE);
        assertEquals("Message size " + big.encodedSizeBytes() + " bytes exceeds the maximum of 400 bytes", r.errors().get(0));
        // Under the limit, the same route delivers.
        expectDelivered(msg("a", "b", "acme").build());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void expired(final NativeMode mode)
    {
        startBus(mode);
        final Instant past = Instant.now().minus(Duration.ofSeconds(1));
        final ValidationResult r = expectRejected(msg("a", "r", "acme").expiresAt(past).build(), RejectReason.EXPIRED);
        assertEquals("Message expired at " + past, r.errors().get(0));
        expectRejected(msg("a", "r", "acme").expiresAt(Instant.EPOCH).build(), RejectReason.EXPIRED);
        expectRejected(msg("a", "r", "acme").expiresAt(Instant.parse("1969-12-31T23:59:59Z")).build(), RejectReason.EXPIRED);
        expectDelivered(msg("a", "b", "acme").expiresAt(Instant.now().plus(Duration.ofHours(1))).build());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void invalidTenant(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "r", "A!").build(), RejectReason.INVALID_TENANT);
        assertEquals("Invalid tenant_id format: a!", r.errors().get(0));
        expectRejected(msg("a", "r", "ac").build(), RejectReason.INVALID_TENANT);
        expectRejected(msg("a", "r", "x".repeat(65)).build(), RejectReason.INVALID_TENANT);
        // Normalisation: trimmed and lowercased before the check, so this one is acme.
        expectDelivered(msg("a", "b", "  ACME ").build());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void senderNotRegistered(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("ghost", "r", "acme").build(), RejectReason.SENDER_NOT_REGISTERED);
        assertEquals("Agent 'ghost' is not registered (required for send)", r.errors().get(0));
        expectRejected(msg("", "r", "acme").build(), RejectReason.SENDER_NOT_REGISTERED);
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void recipientNotRegistered(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "nobody", "acme").build(), RejectReason.RECIPIENT_NOT_REGISTERED);
        assertEquals("Agent 'nobody' is not registered (required for receive)", r.errors().get(0));
        // No recipient at all (no to_agent, no required capabilities).
        final ValidationResult none = expectRejected(msg("a", "", "acme").build(), RejectReason.RECIPIENT_NOT_REGISTERED);
        assertTrue(none.errors().get(0).contains("no recipient"), none.errors().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void tenantMismatchSender(final NativeMode mode)
    {
        startBus(mode);
        // a is in acme but the message claims beta (and goes to c in beta).
        final ValidationResult r = expectRejected(msg("a", "c", "beta").build(), RejectReason.TENANT_MISMATCH_SENDER);
        assertEquals("Tenant mismatch: message tenant_id 'beta' does not match sender tenant_id 'acme'", r.errors().get(0));
        expectRejected(msg("a", "b", "").build(), RejectReason.TENANT_MISMATCH_SENDER);
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void tenantMismatchRecipient(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(msg("a", "c", "acme").build(), RejectReason.TENANT_MISMATCH_RECIPIENT);
        assertEquals("Tenant mismatch: message tenant_id 'acme' does not match recipient tenant_id 'beta'", r.errors().get(0));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void policyDenied(final NativeMode mode)
    {
        startBus(mode);
        final AgentMessage m = msg("a", "r", "acme").messageType(MessageType.GOVERNANCE_REQUEST).build();
        final ValidationResult r = expectRejected(m, RejectReason.POLICY_DENIED);
        assertTrue(r.errors().get(0).startsWith("Policy denied governance_request from 'a': rule 'nobody-else-proposes'"), r.errors().get(0));
        // The same message from an agent holding 'governance' is allowed.
        expectDelivered(msg("g", "b", "acme").messageType(MessageType.GOVERNANCE_REQUEST).build());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void noCapableAgent(final NativeMode mode)
    {
        startBus(mode);
        final ValidationResult r = expectRejected(capabilityMsg("a", "acme", List.of("fly")), RejectReason.NO_CAPABLE_AGENT);
        assertTrue(r.errors().get(0).contains("missing capabilities: fly"), r.errors().get(0));
        assertTrue(r.errors().get(0).contains("acme"), r.errors().get(0));
        // 'summarize' exists, but only in beta.
        expectRejected(capabilityMsg("a", "acme", List.of("summarize")), RejectReason.NO_CAPABLE_AGENT);
        // Holding one of two required capabilities is not enough.
        expectRejected(capabilityMsg("a", "acme", List.of("translate", "fly")), RejectReason.NO_CAPABLE_AGENT);
        expectDelivered(capabilityMsg("a", "acme", List.of("translate")));
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void inboxFull(final NativeMode mode)
    {
        startBus(mode, b -> b.inboxCapacity(2));
        final ValidationResult first = send(bus, msg("a", "r", "acme").build());
        final ValidationResult second = send(bus, msg("a", "r", "acme").build());
        assertTrue(first.isValid() && second.isValid());
        assertEquals(2, bus.registry().inboxOf("r").size());
        final long deliveredBefore = bus.metrics().delivered();
        final ValidationResult r = send(bus, msg("a", "r", "acme").messageId("third").build());
        assertFalse(r.isValid());
        assertEquals(Decision.DENY, r.decision());
        assertEquals(RejectReason.INBOX_FULL, r.rejectReason());
        assertEquals("inbox_full", r.metadata().get("rejection_reason"));
        assertEquals("Backpressure: inbox of 'r' is full (capacity 2, policy REJECT)", r.errors().get(0));
        assertEquals(1, bus.metrics().rejected(RejectReason.INBOX_FULL));
        assertEquals(deliveredBefore, bus.metrics().delivered());
        assertEquals(2, bus.registry().inboxOf("r").size(), "the third message is not in the inbox");
        try
        {
            assertNotEquals("third", bus.receive("r", Duration.ofSeconds(1)).messageId());
            assertNotEquals("third", bus.receive("r", Duration.ofSeconds(1)).messageId());
            assertNull(bus.receive("r", Duration.ZERO));
        }
        catch (final InterruptedException e)
        {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void rejectedBroadcastCountsAndDeliversNothing(final NativeMode mode)
    {
        startBus(mode);
        final var f = bus.broadcast(msg("a", "", "acme").constitutionalHash("deadbeefcafebabe").build());
        final var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(HANG_GUARD_S, java.util.concurrent.TimeUnit.SECONDS));
        assertInstanceOf(dev.eab.api.exception.MessageValidationException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("Constitutional hash mismatch"), e.getCause().getMessage());
        assertEquals(1, bus.metrics().rejected(RejectReason.HASH_MISMATCH));
        assertEquals(0, bus.metrics().delivered());
        assertEquals(0, handled.get());
    }

    // ---- the zero-allocation publisher

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void publisherRejections(final NativeMode mode)
    {
        startBus(mode);
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("a", listener);
        final int b = bus.getAgentInfo("b").handle();
        final int c = bus.getAgentInfo("c").handle();
        bus.registerAgent("gone", "worker", Set.of(), "acme", null);
        final int gone = bus.getAgentInfo("gone").handle();
        bus.unregisterAgent("gone");
        final byte[] payload = "hi".getBytes();

        publish(pub.tryClaim().to(b).correlationId(1).constitutionalHash("deadbeefcafebabe").payload(payload, 0, payload.length));
        publish(pub.tryClaim().to(gone).correlationId(2).payload(payload, 0, payload.length));
        publish(pub.tryClaim().to(12_345).correlationId(3).payload(payload, 0, payload.length));
        publish(pub.tryClaim().correlationId(4).payload(payload, 0, payload.length)); // never addressed
        publish(pub.tryClaim().to(c).correlationId(5).payload(payload, 0, payload.length));
        publish(pub.tryClaim().to(b).correlationId(6).expiresAtMs(System.currentTimeMillis() - 1000).payload(payload, 0, payload.length));
        publish(pub.tryClaim().to(b).correlationId(7).type(MessageType.GOVERNANCE_REQUEST).payload(payload, 0, payload.length));
        publish(pub.tryClaim().to(b).correlationId(8)); // no payload: empty content
        publish(pub.tryClaim().to(b).correlationId(9).constitutionalHash("cdd01ef066bc6cf2ff").payload(payload, 0, payload.length));

        assertRejected(listener, 1, RejectReason.HASH_MISMATCH);
        assertRejected(listener, 2, RejectReason.RECIPIENT_NOT_REGISTERED);
        assertRejected(listener, 3, RejectReason.RECIPIENT_NOT_REGISTERED);
        assertRejected(listener, 4, RejectReason.RECIPIENT_NOT_REGISTERED);
        assertRejected(listener, 5, RejectReason.TENANT_MISMATCH_RECIPIENT);
        assertRejected(listener, 6, RejectReason.EXPIRED);
        assertRejected(listener, 7, RejectReason.POLICY_DENIED);
        assertRejected(listener, 8, RejectReason.EMPTY_CONTENT);
        assertRejected(listener, 9, RejectReason.HASH_MISMATCH);
        assertEquals(0, handled.get(), "nothing delivered to b");
        assertEquals(0, bus.registry().inboxOf("c").size(), "nothing delivered to c");
        assertEquals(0, bus.metrics().delivered());
        assertEquals(2, bus.metrics().rejected(RejectReason.HASH_MISMATCH));
        assertEquals(3, bus.metrics().rejected(RejectReason.RECIPIENT_NOT_REGISTERED));
        assertEquals(1, bus.metrics().rejected(RejectReason.TENANT_MISMATCH_RECIPIENT));

        // After all that, a good message still goes through.
        publish(pub.tryClaim().to(b).correlationId(10).payload(payload, 0, payload.length));
        assertEquals("delivered", listener.awaitOutcome(10).kind());
        assertEquals(1, handled.get());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void publisherFromAnUnregisteredSenderIsRejected(final NativeMode mode)
    {
        startBus(mode);
        bus.registerAgent("temp", "worker", Set.of(), "acme", null);
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("temp", listener);
        bus.unregisterAgent("temp");
        assertTrue(pub.tryPublish(bus.getAgentInfo("b").handle(), MessageType.EVENT, 1, new byte[] {1}, 0, 1));
        assertRejected(listener, 1, RejectReason.SENDER_NOT_REGISTERED);
        assertEquals(0, handled.get());
    }

    @ParameterizedTest
    @EnumSource(value = NativeMode.class, names = {"REQUIRED", "OFF"})
    void oversizedPayloadIsRejectedAndTheRingKeepsWorking(final NativeMode mode)
    {
        startBus(mode, b -> b.payloadCapacityBytes(32));
        final RecordingListener listener = new RecordingListener();
        final MessagePublisher pub = bus.publisher("a", listener);
        final int b = bus.getAgentInfo("b").handle();
        final byte[] big = new byte[33];
        final byte[] fits = new byte[32];

        publish(pub.tryClaim().to(b).correlationId(1).payload(big, 0, big.length));
        assertRejected(listener, 1, RejectReason.MESSAGE_TOO_LARGE);
        // The one-call form refuses it the same way (through the listener, counted), never half-claimed.
        assertTrue(pub.tryPublish(b, MessageType.EVENT, 2, big, 0, big.length));
        assertRejected(listener, 2, RejectReason.MESSAGE_TOO_LARGE);
        // Bad bounds cannot leave a claimed slot unpublished (which would stall the ring for everyone).
        publish(pub.tryClaim().to(b).correlationId(3).payload(fits, 10, 30));
        assertRejected(listener, 3, RejectReason.VALIDATOR_ERROR);
        publish(pub.tryClaim().to(b).correlationId(4).payload(null, 0, 5));
        assertRejected(listener, 4, RejectReason.VALIDATOR_ERROR);
        publish(pub.tryClaim().to(b).correlationId(5).payload(fits, -1, 2));
        assertRejected(listener, 5, RejectReason.VALIDATOR_ERROR);
        // Nulls likewise: refused, never thrown with the slot claimed.
        publish(pub.tryClaim().to(b).correlationId(6).constitutionalHash(null).payload(fits, 0, 1));
        assertRejected(listener, 6, RejectReason.HASH_MISSING);
        publish(pub.tryClaim().to(b).correlationId(7).type(null).payload(fits, 0, 1));
        assertRejected(listener, 7, RejectReason.VALIDATOR_ERROR);
        publish(pub.tryClaim().to(b).correlationId(8).priority(null).payload(fits, 0, 1));
        assertRejected(listener, 8, RejectReason.VALIDATOR_ERROR);
        assertEquals(2, bus.metrics().rejected(RejectReason.MESSAGE_TOO_LARGE));
        assertEquals(5, bus.metrics().rejected(RejectReason.VALIDATOR_ERROR));
        assertEquals(0, handled.get());

        // The ring keeps working: many more, through every slot, including exactly-full payloads.
        final int n = 3 * bus.configuration().ringSize();
        for (int i = 0; i < n; i++)
        {
            while (!pub.tryPublish(b, MessageType.EVENT, 100 + i, fits, 0, fits.length))
            {
                Thread.onSpinWait();
            }
        }
        await(() -> handled.get() == n, "all " + n + " delivered");
        // The delivered counter is bumped after the handler returns: wait for it rather than read it racily.
        await(() -> bus.metrics().delivered() == n, "all " + n + " counted as delivered");
        // And a send() through the same ring too.
        expectDelivered(msg("a", "b", "acme").build());
    }

    private static void publish(final MessageClaim claim)
    {
        assertNotNull(claim, "ring unexpectedly full");
        claim.publish();
    }

    private static void assertRejected(final RecordingListener listener, final long correlationId, final RejectReason reason)
    {
        final Outcome o = listener.awaitOutcome(correlationId);
        assertEquals("rejected", o.kind(), o.toString());
        assertEquals(reason, o.reason(), "correlation id " + correlationId);
    }
}
