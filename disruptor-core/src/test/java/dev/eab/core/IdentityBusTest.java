package dev.eab.core;

import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.NativeMode;
import dev.eab.api.RejectReason;
import dev.eab.api.ValidationResult;
import dev.eab.api.exception.AgentIdentityException;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.core.audit.AuditChainVerifier;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditQueues;
import dev.eab.core.audit.AuditRecord;
import dev.eab.core.registry.IdentityTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static dev.eab.core.BusFixtures.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Identity on a real bus: registration with a token per algorithm (JWKS file from configuration), refusals
 * counted and audited, {@code requireIdentity} (as {@code forProduction()}) refusing token-less registrations,
 * and revocation (API call and list file) stopping a verified agent from sending: the send API, the
 * flyweight publisher, and a second registration.
 */
class IdentityBusTest
{
    private static final Set<String> CAPS = Set.of("trade");

    private static BusConfiguration.Builder identityConfig(final Path dir, final IdentityTokens keys) throws Exception
    {
        return config(NativeMode.AUTO).identityJwksFile(keys.writeJwks(dir.resolve("jwks.json"))).identityIssuer(IdentityTokens.ISSUER)
            .identityAudience(IdentityTokens.AUDIENCE);
    }

    private static String token(final IdentityTokens keys, final String alg, final String agent)
    {
        return keys.sign(alg, IdentityTokens.claims(agent, "executor", CAPS, "acme", MaciRole.IMPLEMENTER).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "EdDSA"})
    void aVerifiedAgentSendsUntilRevoked(final String alg, @TempDir final Path dir) throws Exception
    {
        final IdentityTokens keys = new IdentityTokens("bus");
        try (EnhancedAgentBus bus = started(identityConfig(dir, keys).requireIdentity(true).auditDir(dir.resolve("audit")).build()))
        {
            bus.registerAgent("a", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, alg, "a"));
            bus.registerAgent("b", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, alg, "b"));
            assertTrue(send(bus, msg("a", "b", "acme").build()).isValid());

            // A bad token, a token for another agent, and no token at all (required) are refused, counted and audited.
            assertEquals("bad_signature", assertThrows(AgentIdentityException.class, () -> bus.registerAgent("c", "executor", CAPS, "acme",
                MaciRole.IMPLEMENTER, new IdentityTokens("bus").sign(alg, IdentityTokens.claims("c", "executor", CAPS, "acme", MaciRole.IMPLEMENTER)
                    .build()))).reason());
            assertEquals("claim_mismatch", assertThrows(AgentIdentityException.class,
                () -> bus.registerAgent("c", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, alg, "a"))).reason());
            assertEquals("missing_token", assertThrows(AgentIdentityException.class,
                () -> bus.registerAgent("c", "executor", CAPS, "acme", MaciRole.IMPLEMENTER)).reason());
            assertNull(bus.getAgentInfo("c"));
            assertEquals(3L, bus.metrics().identityRejected());

            // Revoked: its next message is refused on the bus thread, with a typed reason; the flyweight path too.
            final RecordingListener listener = new RecordingListener();
            final dev.eab.api.MessagePublisher publisher = bus.publisher("a", listener);
            assertTrue(bus.revokeAgent("a", "key compromised"));
            final ValidationResult refused = send(bus, msg("a", "b", "acme").build());
            assertFalse(refused.isValid());
            assertEquals(RejectReason.AGENT_REVOKED, refused.rejectReason());
            assertTrue(refused.errors().get(0).contains("revoked"), refused.errors().toString());
            final byte[] payload = {1, 2, 3};
            assertTrue(publisher.tryPublish(bus.getAgentInfo("b").handle(), MessageType.COMMAND, 77, payload, 0, payload.length));
            assertEquals(RejectReason.AGENT_REVOKED, listener.awaitOutcome(77).reason());
            // ... and cannot come back with its still-valid token.
            assertEquals("revoked", assertThrows(AgentIdentityException.class,
                () -> bus.registerAgent("a", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, alg, "a"))).reason());
            assertEquals(2L, bus.metrics().rejected(RejectReason.AGENT_REVOKED));
            assertTrue(bus.auditLog().awaitFlushed(HANG_GUARD_S * 1000));
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(dir.resolve("audit"));
        assertTrue(verified.ok(), verified.describe());
        final List<AuditRecord> records = AuditQueues.records(dir.resolve("audit"));
        assertEquals(4, records.stream().filter(r -> r.entry().kind() == AuditKind.IDENTITY_FAILURE).count(), "3 refusals + 1 revoked");
        assertEquals(1, records.stream().filter(r -> r.entry().kind() == AuditKind.REVOKE).count());
        final AuditRecord register = records.stream().filter(r -> r.entry().kind() == AuditKind.REGISTER).findFirst().orElseThrow();
        assertEquals("verified", register.entry().metadata().get("identity"));
        assertEquals(alg, register.entry().metadata().get("algorithm"));
        assertTrue(records.stream().anyMatch(r -> r.entry().decision().equals("reject:agent_revoked") && r.entry().agentId().equals("a")));
    }

    @Test
    void theRevocationListFileRevokesOnReload(@TempDir final Path dir) throws Exception
    {
        final IdentityTokens keys = new IdentityTokens("file");
        final Path list = dir.resolve("revoked.txt");
        Files.writeString(list, "# revoked agents\nold-agent\n");
        try (EnhancedAgentBus bus = started(identityConfig(dir, keys).revocationFile(list).build()))
        {
            assertEquals("revoked", assertThrows(AgentIdentityException.class,
                () -> bus.registerAgent("old-agent", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, "EdDSA", "old-agent"))).reason());
            bus.registerAgent("x", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, "RS256", "x"));
            bus.registerAgent("y", "worker", Set.of(), "acme", null);
            assertTrue(send(bus, msg("x", "y", "acme").build()).isValid());
            Files.writeString(list, "old-agent\nx   # leaked token\n");
            // The file watch (RevocationWatcher) may have re-read the edit first; either way x is revoked exactly once.
            final List<String> byApi = bus.reloadRevocations();
            assertTrue(byApi.equals(List.of("x")) || byApi.isEmpty(), byApi.toString());
            assertEquals(RejectReason.AGENT_REVOKED, send(bus, msg("x", "y", "acme").build()).rejectReason());
            assertTrue(send(bus, msg("y", "y", "acme").build()).rejectReason() != RejectReason.AGENT_REVOKED);
        }
    }

    @Test
    void requiredIdentityNeedsKeysAndAGivenTokenNeedsAVerifier(@TempDir final Path dir)
    {
        assertThrows(ConfigurationException.class, () -> new EnhancedAgentBus(config(NativeMode.OFF).requireIdentity(true).build()));
        assertTrue(BusConfiguration.forProduction().requireIdentity());
        assertFalse(BusConfiguration.forTesting().requireIdentity());
        try (EnhancedAgentBus bus = started(config(NativeMode.OFF).build()))
        {
            bus.registerAgent("plain", "worker", Set.of(), "acme", null);
            final IdentityTokens keys = new IdentityTokens("nobody");
            assertEquals("unknown_key", assertThrows(AgentIdentityException.class,
                () -> bus.registerAgent("t", "executor", CAPS, "acme", MaciRole.IMPLEMENTER, token(keys, "HS256", "t"))).reason());
        }
    }
}
