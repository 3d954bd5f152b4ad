package dev.eab.core.maci;

import dev.eab.api.MaciRole;
import dev.eab.api.RejectReason;
import dev.eab.core.registry.AgentRecord;
import dev.eab.core.registry.AgentRegistry;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;

import static dev.eab.core.validate.MessageHeaderDescriptor.*;

/**
 * MACI on the bus thread, around the validator: {@link #fill} resolves what needs strings and maps (the sender's
 * role, the target agent a validation names, the producer of the target output) into the header's role bytes
 * and {@code FLAG_MACI_*} bits, for the validator (Rust or the Java twin) to decide on; {@link #after} records an
 * accepted message as its sender's output and logs a MACI rejection.
 *
 * <p>How a message names its target (only messages whose type maps to VALIDATE; content keys, string values):
 * {@code target_output_id} (a message id, or an output recorded through the API) and {@code target_agent_id}.
 * A value that is not a string names a target that cannot be found. A flyweight message names them on its claim
 * ({@code targetOutput(long)}, {@code targetAgent(handle)}): see {@link #fillFlyweight}.
 *
 * <p>Bus thread only (scratch fields); allocation-free.
 */
public final class MaciGate
{
    private static final String TARGET_OUTPUT_KEY = "target_output_id";
    private static final String TARGET_AGENT_KEY = "target_agent_id";

    private final MaciTables tables;
    private final OutputProvenance provenance;
    private final MaciLogBook log;
    private final AgentRegistry registry;
    // The last fill's facts, for after(): bus thread only.
    private int flags;
    private int senderRole;
    private String targetAgent;
    private int targetAgentHandle;
    private int targetAgentRole;
    private String targetOutput;
    /** A flyweight claim's numeric target output (with {@link #targetOutput} null). */
    private long targetOutputNumber;
    private int producerHandle;
    private int producerRole;

    MaciGate(final MaciTables tables, final OutputProvenance provenance, final MaciLogBook log, final AgentRegistry registry)
    {
        this.tables = tables;
        this.provenance = provenance;
        this.log = log;
        this.registry = registry;
    }

    static int roleOf(final AgentRecord r)
    {
        final MaciRole role = r == null ? null : r.maciRole();
        return role == null ? -1 : role.ordinal();
    }

    /**
     * Writes the three role bytes and returns the MACI flags to OR into the header's flags.
     *
     * @param content the message content, or null (flyweight).
     */
    public int fill(final MemorySegment header, final AgentRecord sender, final int messageType, final Map<String, Object> content)
    {
        reset(header, sender);
        if (content == null || tables.actionId(messageType) != MaciConfigDescriptor.MACI_ACTION_VALIDATE)
        {
            return 0;
        }
        final Object agent = content.get(TARGET_AGENT_KEY);
        if (agent != null)
        {
            flags |= FLAG_MACI_TARGET_AGENT;
            if (agent instanceof String id)
            {
                targetAgent = id;
                resolveAgent(header, sender, registry.byId(id));
            }
        }
        final Object output = content.get(TARGET_OUTPUT_KEY);
        if (output != null)
        {
            flags |= FLAG_MACI_TARGET_OUTPUT;
            if (output instanceof String id)
            {
                targetOutput = id;
                resolveOutput(header, sender, provenance.keyOf(id));
            }
        }
        return flags;
    }

    /**
     * As {@link #fill} for a flyweight message, whose claim names its targets by number
     * ({@code MessageClaim.targetAgent(handle)}, {@code targetOutput(id)}).
     *
     * @param targetAgentHandle the named agent's handle, -1 for none.
     */
    public int fillFlyweight(
        final MemorySegment header, final AgentRecord sender, final int messageType, final int targetAgentHandle, final boolean hasOutput,
        final long outputId)
    {
        reset(header, sender);
        if (tables.actionId(messageType) != MaciConfigDescriptor.MACI_ACTION_VALIDATE)
        {
            return 0;
        }
        if (targetAgentHandle >= 0)
        {
            flags |= FLAG_MACI_TARGET_AGENT;
            targetAgentHandle(targetAgentHandle);
            resolveAgent(header, sender, registry.byHandle(targetAgentHandle));
        }
        if (hasOutput)
        {
            flags |= FLAG_MACI_TARGET_OUTPUT;
            targetOutputNumber = outputId;
            resolveOutput(header, sender, provenance.keyOf(outputId));
        }
        return flags;
    }

    private void targetAgentHandle(final int handle)
    {
        // Named by handle: the log names it through the handle (no string is built on the bus thread).
        targetAgentHandle = handle;
    }

    private void reset(final MemorySegment header, final AgentRecord sender)
    {
        senderRole = roleOf(sender);
        header.set(ValueLayout.JAVA_BYTE, SENDER_ROLE_OFFSET, (byte)senderRole);
        header.set(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET, (byte)-1);
        header.set(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET, (byte)-1);
        flags = 0;
        targetAgent = null;
        targetAgentHandle = -1;
        targetAgentRole = -1;
        targetOutput = null;
        targetOutputNumber = 0;
        producerHandle = -1;
        producerRole = -1;
    }

    private void resolveAgent(final MemorySegment header, final AgentRecord sender, final AgentRecord t)
    {
        if (t != null)
        {
            flags |= FLAG_MACI_TARGET_AGENT_FOUND;
            targetAgentHandle = t.handle();
            targetAgentRole = roleOf(t);
            header.set(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET, (byte)targetAgentRole);
            if (sender != null && t.handle() == sender.handle())
            {
                flags |= FLAG_MACI_TARGET_AGENT_IS_SENDER;
            }
        }
    }

    private void resolveOutput(final MemorySegment header, final AgentRecord sender, final long key)
    {
        final long packed = provenance.lookup(key);
        if (packed != OutputProvenance.NOT_FOUND)
        {
            flags |= FLAG_MACI_PRODUCER_KNOWN;
            producerHandle = OutputProvenance.producer(packed);
            producerRole = OutputProvenance.role(packed);
            header.set(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET, (byte)producerRole);
            if (producerHandle == OutputProvenance.AMBIGUOUS || sender != null && producerHandle == sender.handle())
            {
                flags |= FLAG_MACI_PRODUCED_BY_SENDER;
            }
        }
    }

    /** @return true when the named target agent, not the output, decided a MACI verdict of {@code code}. */
    private boolean agentDecided(final int code)
    {
        if ((flags & FLAG_MACI_TARGET_AGENT) == 0)
        {
            return false;
        }
        if ((flags & FLAG_MACI_TARGET_OUTPUT) == 0)
        {
            return true;
        }
        if ((flags & FLAG_MACI_TARGET_AGENT_IS_SENDER) != 0)
        {
            return true;
        }
        if ((flags & FLAG_MACI_TARGET_AGENT_FOUND) == 0)
        {
            return code == RejectReason.MACI_TARGET_NOT_FOUND.code();
        }
        return code == RejectReason.MACI_CROSS_ROLE.code() && !tables.canValidateIds(senderRole, targetAgentRole);
    }

    /**
     * The typed exception for a MACI verdict of {@code code} on the facts of the last {@link #fill} (cold path: the
     * rejection text of a {@code send}).
     */
    dev.eab.api.exception.MaciException exception(final int code, final AgentRecord sender, final int messageType,
        final java.util.function.IntFunction<String> agentIdOfHandle)
    {
        final boolean byAgent = agentDecided(code);
        final boolean byOutput = !byAgent && (flags & FLAG_MACI_TARGET_OUTPUT) != 0;
        final dev.eab.api.MessageType[] types = dev.eab.api.MessageType.values();
        final String typeValue = messageType >= 0 && messageType < types.length ? types[messageType].value() : "unknown";
        final int action = tables.actionId(messageType);
        final int judgedHandle = byAgent ? targetAgentHandle : byOutput ? producerHandle : -1;
        final int judgedRole = byAgent ? targetAgentRole : byOutput ? producerRole : -1;
        return MaciViolation.exception(RejectReason.fromCode(code), sender == null ? "unknown" : sender.agentId(), roleAt(senderRole),
            action < 0 ? null : dev.eab.api.MaciAction.values()[action], typeValue,
            byAgent ? MaciLogBook.TARGET_AGENT : byOutput ? MaciLogBook.TARGET_OUTPUT : MaciLogBook.TARGET_NONE,
            byAgent ? targetAgent : byOutput ? targetOutput : null,
            byAgent ? targetAgent : judgedHandle >= 0 ? agentIdOfHandle.apply(judgedHandle) : null, roleAt(judgedRole));
    }

    private static MaciRole roleAt(final int ordinal)
    {
        return ordinal >= 0 && ordinal < MaciConfigDescriptor.MACI_ROLE_COUNT ? MaciRole.values()[ordinal] : null;
    }

    /**
     * After the verdict: an accepted message becomes its sender's output (keyed by its message id, or by its
     * correlation id for a flyweight message); a MACI rejection is logged.
     *
     * @param messageId the message id, or null for a flyweight message (then {@code correlationId} is its id).
     */
    public void after(final int code, final AgentRecord sender, final int messageType, final String messageId, final long correlationId)
    {
        if (sender == null)
        {
            return;
        }
        if (code == 0)
        {
            provenance.record(messageId == null ? provenance.keyOf(correlationId) : provenance.keyOf(messageId), sender.handle(), roleOf(sender));
        }
        else if (code >= RejectReason.MACI_FIRST_CODE && code <= RejectReason.MACI_LAST_CODE)
        {
            final boolean byAgent = agentDecided(code);
            final boolean byOutput = !byAgent && (flags & FLAG_MACI_TARGET_OUTPUT) != 0;
            log.append(System.currentTimeMillis(), sender.agentId(), senderRole, code, tables.actionId(messageType), messageType,
                byAgent ? MaciLogBook.TARGET_AGENT : byOutput ? MaciLogBook.TARGET_OUTPUT : MaciLogBook.TARGET_NONE,
                byAgent ? targetAgent : byOutput ? targetOutput : null,
                byAgent ? targetAgentHandle : byOutput ? producerHandle : -1,
                byAgent ? targetAgentRole : byOutput ? producerRole : -1,
                byOutput && targetOutput == null ? targetOutputNumber : 0);
        }
    }
}
