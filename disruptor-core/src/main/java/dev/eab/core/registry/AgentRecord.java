package dev.eab.core.registry;

import dev.eab.api.AgentInfo;
import dev.eab.api.MaciRole;
import dev.eab.api.RateLimit;
import dev.eab.core.route.Inbox;

import java.util.Set;

/**
 * One registered agent, immutable: re-registration publishes a new record in the same slot. Carries
 * what the bus thread needs per message already resolved (bus tenant id, policy vocabulary ids,
 * capability bitmask) so validation does no lookups by string.
 */
public final class AgentRecord
{
    private final AgentInfo info;
    private final int tenantIndex;
    private final int policyTenant;
    private final int policySenderType;
    private final long policyCapabilities;
    private final Inbox inbox;
    private final RateLimit rateLimit;
    /** Set once by a revocation (any thread), read by the bus thread per message: a plain volatile flag. */
    private volatile boolean revoked;

    AgentRecord(
        final AgentInfo info, final int tenantIndex, final int policyTenant, final int policySenderType, final long policyCapabilities,
        final Inbox inbox, final RateLimit rateLimit)
    {
        this.rateLimit = rateLimit;
        this.info = info;
        this.tenantIndex = tenantIndex;
        this.policyTenant = policyTenant;
        this.policySenderType = policySenderType;
        this.policyCapabilities = policyCapabilities;
        this.inbox = inbox;
    }

    public AgentInfo info() { return info; }
    public String agentId() { return info.agentId(); }
    public String agentType() { return info.agentType(); }
    public Set<String> capabilities() { return info.capabilities(); }
    /** @return the normalised tenant, or null. */
    public String tenantId() { return info.tenantId(); }
    public MaciRole maciRole() { return info.maciRole(); }
    public int handle() { return info.handle(); }
    /** @return the bus-interned tenant id, or {@code MessageHeaderDescriptor.NO_TENANT}. */
    public int tenantIndex() { return tenantIndex; }
    public int policyTenant() { return policyTenant; }
    public int policySenderType() { return policySenderType; }
    public long policyCapabilities() { return policyCapabilities; }
    /** @return this agent's own inbox (kept across re-registration). */
    public Inbox inbox() { return inbox; }
    /** @return this agent's sending rate limit (its tenant's, or the bus default). */
    public RateLimit rateLimit() { return rateLimit; }

    /** @return true when this agent's identity was revoked: it can no longer send. */
    public boolean isRevoked() { return revoked; }

    /** Revokes this agent's identity; later messages it sends are rejected with {@code AGENT_REVOKED}. */
    public void revoke() { revoked = true; }

    /** @return true when this agent holds every capability in {@code required}. */
    public boolean holdsAll(final java.util.List<String> required)
    {
        for (int i = 0; i < required.size(); i++)
        {
            if (!info.capabilities().contains(required.get(i)))
            {
                return false;
            }
        }
        return true;
    }
}
