package dev.eab.core.maci;

import dev.eab.api.AgentMessage;
import dev.eab.api.BusConfiguration;
import dev.eab.api.MaciAction;
import dev.eab.api.MaciEnforcement;
import dev.eab.api.MaciLogEntry;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;
import dev.eab.api.exception.AgentNotRegisteredException;
import dev.eab.api.exception.ConfigurationException;
import dev.eab.api.exception.MaciException;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;

import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The bus's MACI: the compiled tables (for the validators), the output provenance store, the validation log,
 * role assignment at registration, and the {@link MaciEnforcement} facade ({@code bus.maci()}).
 *
 * <p>Thread-safe: the provenance store and the log have their own monitors; the handle to id directory is an
 * atomic array written at registration.
 */
public final class MaciEnforcer implements MaciEnforcement, AutoCloseable
{
    /** The provenance spill's directory under the journal directory. */
    public static final String SPILL_DIR = "provenance";

    private final boolean enabled;
    private final MaciTables tables;
    private final OutputProvenance provenance;
    private final MaciLogBook log;
    private final AgentRegistry registry;
    private final MaciRole defaultRole;
    private final Map<String, MaciRole> agentRoles;
    /** Agent id by handle, kept after unregistering (handles are never reused): names producers. */
    private final AtomicReferenceArray<String> idByHandle;

    /** @return the tables {@code config} asks for: the reference tables, its strict mode, the original's type mapping plus its own. */
    public static MaciTables tablesFor(final BusConfiguration config)
    {
        final Map<MessageType, MaciAction> mapping = new EnumMap<>(MessageType.class);
        mapping.putAll(MaciTables.DEFAULT_TYPE_ACTIONS);
        mapping.putAll(config.maciTypeActions());
        return new MaciTables(config.maciStrictMode(), mapping);
    }

    /** @param tables {@link #tablesFor}{@code (config)}, the ones the validators were built with. */
    public MaciEnforcer(final BusConfiguration config, final AgentRegistry registry, final MaciTables tables)
    {
        this.enabled = config.enableMaci();
        if (config.maxAgents() > OutputProvenance.MAX_HANDLE + 1)
        {
            throw new ConfigurationException("max_agents", "MACI provenance packs handles in 24 bits: at most " + (OutputProvenance.MAX_HANDLE + 1));
        }
        this.tables = tables;
        this.registry = registry;
        this.idByHandle = new AtomicReferenceArray<>(config.maxAgents());
        // With MACI on and a journal directory, forgotten outputs spill to <journal>/provenance and survive a restart.
        final ProvenanceSpill spill = enabled && config.journalDir() != null
            ? new ProvenanceSpill(config.journalDir().resolve(SPILL_DIR), this::agentIdOf, id ->
            {
                final AgentRecord r = registry.byId(id);
                return r == null ? -1 : r.handle();
            }, ProvenanceSpill.DEFAULT_INDEX_CAPACITY)
            : null;
        this.provenance = spill == null ? new OutputProvenance(config.maciOutputCapacity())
            : new OutputProvenance(config.maciOutputCapacity(), spill.seed());
        if (spill != null)
        {
            provenance.spillTo(spill);
        }
        this.log = new MaciLogBook(config.maciLogCapacity(), this::agentIdOf);
        this.defaultRole = config.maciDefaultRole();
        this.agentRoles = config.maciAgentRoles();
    }

    /** Writes what the provenance spill has pending and closes it (with the bus). */
    @Override
    public void close()
    {
        final ProvenanceSpill spill = provenance.spill();
        if (spill != null)
        {
            spill.close();
        }
    }

    /** @return the tables, for the validators when {@link #enabled()}. */
    public MaciTables tables()
    {
        return tables;
    }

    public OutputProvenance provenance()
    {
        return provenance;
    }

    public MaciLogBook log()
    {
        return log;
    }

    /** @return a bus-thread gate over this enforcer's state. */
    public MaciGate gate()
    {
        return new MaciGate(tables, provenance, log, registry);
    }

    /**
     * The role an agent registers with: the one asked for; else its configured role ({@code MACI_AGENT_<ID>});
     * else the default role ({@code MACI_DEFAULT_ROLE}); else none.
     *
     * @throws ConfigurationException when the configuration assigns the agent another role than the one asked
     *     for: roles are pinned by the operator, so a registration cannot pick its own.
     */
    public MaciRole effectiveRole(final String agentId, final MaciRole requested)
    {
        // A null id is the registry's to refuse (IllegalArgumentException), not a lookup's NullPointerException.
        final MaciRole configured = agentId == null ? null : agentRoles.get(agentId);
        if (configured != null && requested != null && configured != requested)
        {
            throw new ConfigurationException("maci_agent_roles", "agent '" + agentId + "' is assigned role '" + configured.value() +
                "' by the MACI configuration; registration asked for '" + requested.value() + "'");
        }
        return requested != null ? requested : configured != null ? configured : defaultRole;
    }

    /** Remembers the handle's agent id (handles are never reused for another id). */
    public void onRegistered(final AgentRecord record)
    {
        if (record.handle() >= 0 && record.handle() < idByHandle.length())
        {
            idByHandle.set(record.handle(), record.agentId());
        }
    }

    /** @return the agent id of a handle ever registered, or null. */
    public String agentIdOf(final int handle)
    {
        return handle >= 0 && handle < idByHandle.length() ? idByHandle.get(handle) : null;
    }

    /** The rejection text of a {@code send} refused for a MACI reason (cold path). */
    public MaciException describe(final RejectReason reason, final AgentMessage m, final AgentRecord sender)
    {
        final MaciGate g = gate();
        g.fill(MemorySegment.ofArray(new byte[dev.eab.core.validate.MessageHeaderDescriptor.LENGTH]), sender, m.messageType().ordinal(),
            m.content());
        return g.exception(reason.code(), sender, m.messageType().ordinal(), this::agentIdOf);
    }

    @Override
    public boolean enabled()
    {
        return enabled;
    }

    @Override
    public boolean strictMode()
    {
        return tables.strict();
    }

    @Override
    public void recordOutput(final String agentId, final String outputId)
    {
        final AgentRecord r = registry.byId(agentId);
        if (r == null)
        {
            throw new AgentNotRegisteredException(agentId, "record_output");
        }
        if (outputId == null || outputId.isEmpty())
        {
            throw new IllegalArgumentException("outputId must not be empty");
        }
        provenance.record(provenance.keyOf(outputId), r.handle(), MaciGate.roleOf(r));
    }

    @Override
    public String producerOf(final String outputId)
    {
        if (outputId == null)
        {
            return null;
        }
        final long packed = provenance.lookup(provenance.keyOf(outputId));
        if (packed == OutputProvenance.NOT_FOUND)
        {
            return null;
        }
        final int producer = OutputProvenance.producer(packed);
        return producer == OutputProvenance.AMBIGUOUS ? null : agentIdOf(producer);
    }

    /** @return true when {@code outputId} was recorded by more than one agent (no single producer). */
    public boolean ambiguous(final String outputId)
    {
        final long packed = provenance.lookup(provenance.keyOf(outputId));
        return packed != OutputProvenance.NOT_FOUND && OutputProvenance.producer(packed) == OutputProvenance.AMBIGUOUS;
    }

    @Override
    public void validateAction(final String agentId, final MaciAction action, final String targetOutputId, final String targetAgentId)
    {
        final AgentRecord r = registry.byId(agentId);
        final MaciRole role = r == null ? null : r.maciRole();
        final int roleId = role == null ? -1 : role.ordinal();
        // The log names the target of a refused action too (the output when both are named).
        final int namedKind = targetOutputId != null ? MaciLogBook.TARGET_OUTPUT : targetAgentId != null ? MaciLogBook.TARGET_AGENT
            : MaciLogBook.TARGET_NONE;
        final String named = targetOutputId != null ? targetOutputId : targetAgentId;
        if (role == null)
        {
            if (tables.strict())
            {
                violation(RejectReason.MACI_ROLE_NOT_ASSIGNED, agentId, -1, action, namedKind, named, -1, -1);
            }
            return;
        }
        if (!MaciTables.permits(role, action))
        {
            violation(RejectReason.MACI_ROLE_VIOLATION, agentId, roleId, action, namedKind, named, -1, -1);
        }
        if (action != MaciAction.VALIDATE)
        {
            return;
        }
        if (targetAgentId != null)
        {
            final AgentRecord t = registry.byId(targetAgentId);
            if (targetAgentId.equals(agentId))
            {
                violation(RejectReason.MACI_SELF_VALIDATION, agentId, roleId, action, MaciLogBook.TARGET_AGENT, targetAgentId, r.handle(), roleId);
            }
            if (t == null)
            {
                if (tables.strict())
                {
                    violation(RejectReason.MACI_TARGET_NOT_FOUND, agentId, roleId, action, MaciLogBook.TARGET_AGENT, targetAgentId, -1, -1);
                }
            }
            else if (!MaciTables.canValidate(role, t.maciRole()))
            {
                violation(RejectReason.MACI_CROSS_ROLE, agentId, roleId, action, MaciLogBook.TARGET_AGENT, targetAgentId, t.handle(),
                    MaciGate.roleOf(t));
            }
        }
        if (targetOutputId != null)
        {
            final long packed = provenance.lookup(provenance.keyOf(targetOutputId));
            if (packed == OutputProvenance.NOT_FOUND)
            {
                if (tables.strict())
                {
                    violation(RejectReason.MACI_TARGET_NOT_FOUND, agentId, roleId, action, MaciLogBook.TARGET_OUTPUT, targetOutputId, -1, -1);
                }
                return;
            }
            final int producer = OutputProvenance.producer(packed);
            final int producerRole = OutputProvenance.role(packed);
            if (producer == OutputProvenance.AMBIGUOUS || agentId.equals(agentIdOf(producer)))
            {
                violation(RejectReason.MACI_SELF_VALIDATION, agentId, roleId, action, MaciLogBook.TARGET_OUTPUT, targetOutputId, producer,
                    producerRole);
            }
            if (!tables.canValidateIds(roleId, producerRole))
            {
                violation(RejectReason.MACI_CROSS_ROLE, agentId, roleId, action, MaciLogBook.TARGET_OUTPUT, targetOutputId, producer,
                    producerRole);
            }
        }
    }

    private void violation(
        final RejectReason reason, final String agentId, final int role, final MaciAction action, final int targetKind, final String target,
        final int targetHandle, final int targetRole)
    {
        log.append(System.currentTimeMillis(), agentId, role, reason.code(), action.ordinal(), -1, targetKind, target, targetHandle, targetRole);
        final MaciRole[] roles = MaciRole.values();
        throw MaciViolation.exception(reason, agentId, role < 0 ? null : roles[role], action, action.value(), targetKind, target,
            targetKind == MaciLogBook.TARGET_AGENT ? target : agentIdOf(targetHandle), targetRole < 0 ? null : roles[targetRole]);
    }

    @Override
    public List<MaciLogEntry> validationLog()
    {
        return log.entries();
    }

    @Override
    public void clearValidationLog()
    {
        log.clear();
    }

    /** @return counters for {@code getMetrics()}: outputs remembered and forgotten, violations logged. */
    public Map<String, Object> metrics()
    {
        final Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("enabled", enabled);
        m.put("strict_mode", tables.strict());
        m.put("outputs", provenance.size());
        m.put("outputs_capacity", provenance.capacity());
        m.put("outputs_evicted", provenance.evicted());
        m.put("outputs_spill", provenance.spill() == null ? Map.of("enabled", false) : provenance.spill().metrics());
        m.put("violations_logged", log.total());
        return m;
    }
}
