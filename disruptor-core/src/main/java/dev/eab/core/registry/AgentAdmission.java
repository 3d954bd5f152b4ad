package dev.eab.core.registry;

import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciRole;
import dev.eab.api.TenantIds;
import dev.eab.api.exception.AgentIdentityException;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.ThrowableText;
import dev.eab.core.audit.AuditEntry;
import dev.eab.core.audit.AuditKind;
import dev.eab.core.audit.AuditLog;
import dev.eab.core.ops.BusMetrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Who may join the bus: registration through identity verification and the revocation list, revocation, and
 * the audit records of both. The bus delegates its registration API here.
 *
 * <p>Order of a registration: a revoked id is refused; a token (required by {@code requireIdentity}) is verified
 * ({@link IdentityVerifier}); then the agent registers, and a revocation that raced it flags the new record. A
 * refusal is counted ({@code identity_rejected}) and audited (IDENTITY_FAILURE); a registration is audited
 * (REGISTER, with the algorithm, kid and jti that verified it).
 *
 * <p>Threading: any caller thread (never the bus thread: the audit log may wait); the registry serialises writes.
 */
public final class AgentAdmission implements AutoCloseable
{
    private final BusConfiguration config;
    private final AgentRegistry registry;
    private final BusMetrics metrics;
    private final Supplier<String> policyVersion;
    /** Verifies registration tokens, or null when no identity keys are configured. */
    private final IdentityVerifier identity;
    private final RevocationList revocations;
    /** Watches the revocation list file, or null without one. */
    private final RevocationWatcher watcher;
    private volatile AuditLog audit;

    /**
     * @throws ConfigurationException when identity is required but no keys are configured, or the keys cannot load.
     */
    public AgentAdmission(final BusConfiguration config, final AgentRegistry registry, final BusMetrics metrics, final Supplier<String> policyVersion)
    {
        this.config = config;
        this.registry = registry;
        this.metrics = metrics;
        this.policyVersion = policyVersion;
        this.identity = config.identityJwksFile() == null ? null
            : IdentityVerifier.fromJwksFile(config.identityJwksFile(), config.identityIssuer(), config.identityAudience());
        if (config.requireIdentity() && identity == null)
        {
            throw new ConfigurationException("identity_jwks_file", "require_identity is on (forProduction) but no identity keys are configured " +
                "(EAB_IDENTITY_JWKS, EAB_IDENTITY_ISSUER, EAB_IDENTITY_AUDIENCE): no registration could succeed");
        }
        this.revocations = new RevocationList(config.revocationFile());
        // An edit of the list revokes without a restart (its own thread; see RevocationWatcher).
        this.watcher = config.revocationFile() == null ? null
            : new RevocationWatcher(config.revocationFile(), this::reloadRevocations, RevocationWatcher.DEFAULT_POLL_MS);
    }

    /** Stops watching the revocation list file (with the bus). */
    @Override
    public void close()
    {
        if (watcher != null)
        {
            watcher.close();
        }
    }

    /** Sets the audit log (opened after this, as the bus's last step); null leaves auditing off. */
    public void auditTo(final AuditLog log)
    {
        this.audit = log;
    }

    /** @return the registered record. @throws AgentIdentityException when admission is refused. */
    public AgentRecord register(
        final String agentId, final String agentType, final Set<String> capabilities, final String tenantId, final MaciRole maciRole,
        final String identityToken)
    {
        final IdentityVerifier.VerifiedIdentity verified;
        try
        {
            if (revocations.isRevoked(agentId))
            {
                throw new AgentIdentityException(agentId, "revoked", "the agent's identity is revoked");
            }
            if (identityToken == null && !config.requireIdentity())
            {
                verified = null;
            }
            else if (identity == null)
            {
                // A token nobody can check proves nothing: refused rather than ignored.
                throw new AgentIdentityException(agentId, "unknown_key", "a token was given but no identity keys are configured (EAB_IDENTITY_JWKS)");
            }
            else
            {
                verified = identity.verify(identityToken, agentId, agentType, capabilities, tenantId, maciRole);
            }
        }
        catch (final AgentIdentityException e)
        {
            metrics.onIdentityRejected();
            record(AuditKind.IDENTITY_FAILURE, agentId, TenantIds.normalize(tenantId), "identity_rejected:" + e.reason(),
                Map.of("reason", e.reason(), "detail", ThrowableText.message(e)));
            throw e;
        }
        final AgentRecord record = registry.register(agentId, agentType, capabilities, tenantId, maciRole);
        // A revocation racing this registration: whichever came second sees the other.
        if (revocations.isRevoked(agentId))
        {
            record.revoke();
        }
        record(AuditKind.REGISTER, agentId, record.tenantId(), "register", verified == null
            ? Map.of("identity", "unverified", "agent_type", record.agentType())
            : Map.of("identity", "verified", "algorithm", verified.algorithm(), "kid", verified.keyId(), "jti", verified.tokenId(),
                "agent_type", record.agentType()));
        return record;
    }

    /** @return true when the id was not revoked before. See {@code EnhancedAgentBus.revokeAgent}. */
    public boolean revoke(final String agentId, final String why)
    {
        final boolean added = revocations.revoke(agentId);
        final AgentRecord r = registry.byId(agentId);
        if (r != null)
        {
            r.revoke();
        }
        if (added)
        {
            record(AuditKind.REVOKE, agentId, r == null ? "" : r.tenantId(), "revoke", Map.of("why", why == null ? "" : why));
        }
        return added;
    }

    /** @return the ids newly revoked by re-reading the revocation list file. */
    public List<String> reloadRevocations()
    {
        final List<String> added = revocations.reload();
        for (final String id : added)
        {
            final AgentRecord r = registry.byId(id);
            if (r != null)
            {
                r.revoke();
            }
            record(AuditKind.REVOKE, id, r == null ? "" : r.tenantId(), "revoke", Map.of("why", "revocation list " + revocations.file()));
        }
        return added;
    }

    /** Audits an unregistration. */
    public void unregistered(final AgentRecord removed)
    {
        record(AuditKind.UNREGISTER, removed.agentId(), removed.tenantId(), "unregister", Map.of());
    }

    /** Audits an operation (not a message decision); a no-op without an audit log. */
    public void record(final AuditKind kind, final String agentId, final String tenant, final String decision, final Map<String, String> metadata)
    {
        final AuditLog log = audit;
        if (log != null)
        {
            log.record(new AuditEntry(kind, 0, AuditEntry.nowNanos(), UUID.randomUUID().toString(), "", agentId, tenant, policyVersion.get(),
                Double.NaN, decision, config.constitutionalHash(), List.of(kind == AuditKind.LOG_OPENED ? "audit" : "identity"), metadata));
        }
    }

    /** @return the revocation list. */
    public RevocationList revocations()
    {
        return revocations;
    }

    /** @return the identity part of {@code getMetrics()}. */
    public Map<String, Object> metrics()
    {
        return Map.of("verifier", identity == null ? "off" : "jwt", "required", config.requireIdentity(), "rejected", metrics.identityRejected(),
            "revoked", revocations.size(), "revoked_sends", metrics.rejected(dev.eab.api.RejectReason.AGENT_REVOKED),
            "revocation_watch", watcher == null ? Map.of("enabled", false) : watcher.metrics());
    }
}
