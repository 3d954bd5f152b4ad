package dev.eab.core.demo;

import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.AgentIdentityException;
import dev.eab.core.EnhancedAgentBus;
import dev.eab.core.audit.AuditChainVerifier;
import dev.eab.core.audit.AuditQueues;
import dev.eab.core.registry.IdentityTokens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The demo's identity and audit step, on a bus of its own (so the main run's settings stay as they are):
 * agents register with signed tokens (HS256, RS256 and EdDSA, checked against a JWKS file), one forged token
 * is refused, one agent is revoked and its next message refused, every decision goes to a fresh BLAKE3 chain
 * under {@code ./data/demo/audit}, and the chain is re-verified from disk after the bus closes.
 */
final class AuditDemoStep
{
    static final Path AUDIT_DIR = Path.of("data", "demo", "audit");
    private static final String TENANT = "acme";

    /** What the step did, for the table and the JSON summary. */
    record Result(long identityRejected, long auditRecords, boolean auditVerified, String verifyLine, String hasher, long revokedSends)
    {
        void report(final DemoReport report)
        {
            report.row("identity (JWT)", "3 agents verified (HS256, RS256, EdDSA), " + identityRejected + " forged token refused, " + revokedSends +
                " send refused after revocation");
            report.row("audit chain", auditRecords + " records (" + hasher + " BLAKE3) in " + AUDIT_DIR + "; " + verifyLine);
        }

        void summary(final DemoReport report)
        {
            report.put("identity_rejected", identityRejected);
            report.put("audit_records", auditRecords);
            report.put("audit_verified", auditVerified);
        }
    }

    private AuditDemoStep()
    {
    }

    static Result run(final BusConfiguration base, final Consumer<String> failures) throws IOException
    {
        deleteTree(AUDIT_DIR);
        Files.createDirectories(AUDIT_DIR.getParent());
        final Path keysDir = Files.createTempDirectory("eab-demo-keys");
        final IdentityTokens issuer = new IdentityTokens("demo");
        final Path jwks = issuer.writeJwks(keysDir.resolve("jwks.json"));
        final BusConfiguration config = base.toBuilder().auditDir(AUDIT_DIR).requireIdentity(true).identityJwksFile(jwks)
            .identityIssuer(IdentityTokens.ISSUER).identityAudience(IdentityTokens.AUDIENCE).journalDir(null).build();
        final long rejected;
        final long revokedSends;
        final String hasher;
        try (EnhancedAgentBus bus = new EnhancedAgentBus(config))
        {
            bus.start();
            final Map<String, String> agents = Map.of("id-planner", "HS256", "id-risk", "RS256", "id-exec", "EdDSA");
            for (final Map.Entry<String, String> a : agents.entrySet())
            {
                bus.registerAgent(a.getKey(), "worker", Set.of("audit-demo"), TENANT, MaciRole.IMPLEMENTER,
                    issuer.sign(a.getValue(), IdentityTokens.claims(a.getKey(), "worker", Set.of("audit-demo"), TENANT, MaciRole.IMPLEMENTER).build()));
            }
            // A token for the right claims, signed by a key the bus does not trust.
            final IdentityTokens forger = new IdentityTokens("demo");
            try
            {
                bus.registerAgent("id-mallory", "worker", Set.of("audit-demo"), TENANT, MaciRole.IMPLEMENTER,
                    forger.sign("EdDSA", IdentityTokens.claims("id-mallory", "worker", Set.of("audit-demo"), TENANT, MaciRole.IMPLEMENTER).build()));
                failures.accept("a forged identity token was accepted");
            }
            catch (final AgentIdentityException expected)
            {
                // Refused, counted and audited: what the step shows.
            }
            for (int i = 0; i < 20; i++)
            {
                final var r = bus.send(dev.eab.api.AgentMessage.builder().fromAgent("id-planner").toAgent(i % 2 == 0 ? "id-risk" : "id-exec")
                    .tenantId(TENANT).messageType(dev.eab.api.MessageType.QUERY).content(Map.of("q", "exposure " + i)).build()).join();
                if (!r.isValid())
                {
                    failures.accept("audit demo: a verified agent's message was refused: " + r.errors());
                }
            }
            bus.revokeAgent("id-exec", "demo: key rotated out");
            final var refused = bus.send(dev.eab.api.AgentMessage.builder().fromAgent("id-exec").toAgent("id-risk").tenantId(TENANT)
                .messageType(dev.eab.api.MessageType.COMMAND).content(Map.of("action", "trade")).build()).join();
            if (refused.rejectReason() != RejectReason.AGENT_REVOKED)
            {
                failures.accept("a revoked agent could still send: " + refused.rejectReason());
            }
            bus.auditLog().awaitFlushed(10_000);
            rejected = bus.metrics().identityRejected();
            revokedSends = bus.metrics().rejected(RejectReason.AGENT_REVOKED);
            hasher = String.valueOf(bus.auditLog().metrics().get("hasher"));
        }
        finally
        {
            deleteTree(keysDir);
        }
        final AuditChainVerifier.Result verified = AuditChainVerifier.verify(AUDIT_DIR);
        final long records = AuditQueues.records(AUDIT_DIR).size();
        if (!verified.ok())
        {
            failures.accept("audit chain did not verify: " + verified.describe());
        }
        if (rejected != 1)
        {
            failures.accept("identity_rejected " + rejected + ", expected 1");
        }
        return new Result(rejected, records, verified.ok(), verified.ok() ? "verified (anchor matches)" : verified.describe(), hasher, revokedSends);
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            for (final Path p : s.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }
}
