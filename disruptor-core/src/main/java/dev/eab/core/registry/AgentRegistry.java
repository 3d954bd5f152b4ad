package dev.eab.core.registry;

import dev.eab.api.AgentInfo;
import dev.eab.api.MaciRole;
import dev.eab.api.RateLimit;
import dev.eab.api.TenantIds;
import dev.eab.core.route.Inbox;
import dev.eab.core.validate.MessageHeaderDescriptor;
import dev.eab.core.validate.PolicyTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Agents, tenants and the capability index.
 *
 * <p>Threading: writers ({@link #register}, {@link #unregister}) are serialised by this object's lock;
 * readers (the bus thread, any API caller) are lock-free and see whole records: slots are an
 * {@link AtomicReferenceArray}, and the tenant/capability indexes are copy-on-write arrays published
 * through volatile maps. A handle is never reused for another agent id, so a handle in flight in the
 * ring can never name a different agent than the sender meant.
 */
public final class AgentRegistry
{
    private static final AgentRecord[] NO_AGENTS = new AgentRecord[0];

    private final int maxAgents;
    private final PolicyTable policy;
    private final IntFunction<Inbox> inboxFactory;
    private final Function<String, RateLimit> rateLimits;
    private final AtomicReferenceArray<AgentRecord> slots;
    private final ConcurrentHashMap<String, Integer> handles = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> tenantIndexes = new ConcurrentHashMap<>();
    private final Inbox[] inboxes;
    /** The tenant each handle was first registered in: an id never moves tenants (its inbox stays with it). */
    private final Map<Integer, String> boundTenants = new HashMap<>();
    private volatile Map<Integer, AgentRecord[]> byTenant = Map.of();
    private volatile Map<String, AgentRecord[]> byCapability = Map.of();
    private int nextHandle;

    /**
     * @param inboxFactory creates an agent's inbox the first time its id registers (given the handle).
     * @param rateLimits   the sending rate limit for agents of a (normalised, possibly null) tenant.
     */
    public AgentRegistry(
        final int maxAgents, final PolicyTable policy, final IntFunction<Inbox> inboxFactory, final Function<String, RateLimit> rateLimits)
    {
        this.rateLimits = rateLimits;
        this.maxAgents = maxAgents;
        this.policy = policy;
        this.inboxFactory = inboxFactory;
        this.slots = new AtomicReferenceArray<>(maxAgents);
        this.inboxes = new Inbox[maxAgents];
    }

    /**
     * Registers or overwrites an agent. An id stays in the tenant it first registered in, even across
     * unregistration: its inbox, which may still hold that tenant's messages, belongs to the id.
     *
     * @throws IllegalArgumentException for an empty id, a malformed tenant, or a different tenant than before.
     * @throws IllegalStateException when {@code maxAgents} distinct ids have registered.
     */
    public synchronized AgentRecord register(
        final String agentId, final String agentType, final Set<String> capabilities, final String tenantId, final MaciRole role)
    {
        if (agentId == null || agentId.isBlank())
        {
            throw new IllegalArgumentException("agent_id must not be empty");
        }
        final String tenant = TenantIds.normalize(tenantId);
        if (!TenantIds.isValid(tenant))
        {
            throw new IllegalArgumentException(TenantIds.invalidFormat(tenant));
        }
        Integer handle = handles.get(agentId);
        if (handle != null && !java.util.Objects.equals(boundTenants.get(handle), tenant))
        {
            throw new IllegalArgumentException("Agent '" + agentId + "' belongs to tenant '" + boundTenants.get(handle) +
                "' and cannot move to '" + tenant + "': its inbox may hold that tenant's messages; use a new agent id");
        }
        if (handle == null)
        {
            if (nextHandle == maxAgents)
            {
                throw new IllegalStateException("registry full: max_agents=" + maxAgents);
            }
            handle = nextHandle++;
            handles.put(agentId, handle);
            boundTenants.put(handle, tenant);
            inboxes[handle] = inboxFactory.apply(handle);
        }
        final int tenantIndex = tenant == null ? MessageHeaderDescriptor.NO_TENANT
            : tenantIndexes.computeIfAbsent(tenant, t -> tenantIndexes.size());
        final Set<String> caps = capabilities == null ? Set.of() : Set.copyOf(capabilities);
        final String type = agentType == null || agentType.isBlank() ? "worker" : agentType;
        final AgentInfo info = new AgentInfo(agentId, type, caps, tenant, role, handle);
        final AgentRecord record = new AgentRecord(info, tenantIndex, policy.tenantId(tenant), policy.senderTypeId(type),
            policy.capabilityMask(caps), inboxes[handle], rateLimits.apply(tenant));
        slots.set(handle, record);
        rebuildIndexes();
        return record;
    }

    /** @return the removed record, or null when the agent was not registered. */
    public synchronized AgentRecord unregister(final String agentId)
    {
        final Integer handle = handles.get(agentId);
        if (handle == null)
        {
            return null;
        }
        final AgentRecord old = slots.getAndSet(handle, null);
        if (old != null)
        {
            rebuildIndexes();
        }
        return old;
    }

    private void rebuildIndexes()
    {
        final Map<Integer, List<AgentRecord>> tenants = new HashMap<>();
        final Map<String, List<AgentRecord>> caps = new HashMap<>();
        for (int i = 0; i < nextHandle; i++)
        {
            final AgentRecord r = slots.get(i);
            if (r != null)
            {
                tenants.computeIfAbsent(r.tenantIndex(), k -> new ArrayList<>()).add(r);
                for (final String c : r.capabilities())
                {
                    caps.computeIfAbsent(c, k -> new ArrayList<>()).add(r);
                }
            }
        }
        final Map<Integer, AgentRecord[]> t = new HashMap<>();
        tenants.forEach((k, v) -> t.put(k, v.toArray(NO_AGENTS)));
        final Map<String, AgentRecord[]> c = new HashMap<>();
        caps.forEach((k, v) -> c.put(k, v.toArray(NO_AGENTS)));
        byTenant = Map.copyOf(t);
        byCapability = Map.copyOf(c);
    }

    /** @return the agent in a slot, or null when the handle is out of range or unregistered. */
    public AgentRecord byHandle(final int handle)
    {
        return handle >= 0 && handle < maxAgents ? slots.get(handle) : null;
    }

    /** @return the registered agent, or null. */
    public AgentRecord byId(final String agentId)
    {
        if (agentId == null)
        {
            return null;
        }
        final Integer handle = handles.get(agentId);
        return handle == null ? null : slots.get(handle);
    }

    /** @return the inbox of an id that has ever registered (so an unregistered agent can be drained), or null. */
    public Inbox inboxOf(final String agentId)
    {
        final Integer handle = handles.get(agentId);
        return handle == null ? null : inboxes[handle];
    }

    /** @return every inbox created so far. */
    public synchronized List<Inbox> allInboxes()
    {
        return Arrays.asList(Arrays.copyOf(inboxes, nextHandle));
    }

    /**
     * @return the bus tenant id of a normalised tenant: {@link MessageHeaderDescriptor#NO_TENANT} for
     * null, {@link MessageHeaderDescriptor#UNKNOWN_TENANT} for a tenant no agent ever registered in.
     */
    public int tenantIndex(final String normalizedTenant)
    {
        if (normalizedTenant == null)
        {
            return MessageHeaderDescriptor.NO_TENANT;
        }
        final Integer i = tenantIndexes.get(normalizedTenant);
        return i == null ? MessageHeaderDescriptor.UNKNOWN_TENANT : i;
    }

    /** @return the agents of a bus tenant id (a shared array: do not modify). */
    public AgentRecord[] tenantMembers(final int tenantIndex)
    {
        return byTenant.getOrDefault(tenantIndex, NO_AGENTS);
    }

    /** @return the agents holding a capability (a shared array: do not modify). */
    public AgentRecord[] withCapability(final String capability)
    {
        return byCapability.getOrDefault(capability, NO_AGENTS);
    }

    /** @return every registered agent, in handle order. */
    public List<AgentRecord> all()
    {
        final List<AgentRecord> out = new ArrayList<>();
        for (int i = 0, n = slotsInUse(); i < n; i++)
        {
            final AgentRecord r = slots.get(i);
            if (r != null)
            {
                out.add(r);
            }
        }
        return out;
    }

    private synchronized int slotsInUse()
    {
        return nextHandle;
    }

    /** @return the compiled policy the records were resolved against. */
    public PolicyTable policy()
    {
        return policy;
    }
}
