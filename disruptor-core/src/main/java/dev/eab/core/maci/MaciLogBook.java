package dev.eab.core.maci;

import dev.eab.api.MaciAction;
import dev.eab.api.MaciLogEntry;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The bounded MACI validation log: a ring of pre-allocated entries holding primitives and references to strings
 * that already exist (agent ids, the message's target value), so the bus thread logs a violation without
 * allocating; the text is rendered when the log is read. At the bound the oldest entry is overwritten.
 *
 * <p>One monitor: the bus thread appends, API threads append ({@code validateAction}), read and clear.
 */
public final class MaciLogBook
{
    public static final int TARGET_NONE = 0;
    public static final int TARGET_AGENT = 1;
    public static final int TARGET_OUTPUT = 2;
    private static final MaciRole[] ROLES = MaciRole.values();
    private static final MaciAction[] ACTIONS = MaciAction.values();
    private static final MessageType[] TYPES = MessageType.values();

    /** One slot: reused, never handed out. */
    private static final class Slot
    {
        long timestampMs;
        String agentId;
        int role;
        int code;
        int action;
        int messageType;
        int targetKind;
        String target;
        int targetHandle;
        int targetRole;
        /** A flyweight message's numeric target output, when {@code target} is null. */
        long targetNumber;
    }

    private final Slot[] slots;
    private final IntFunction<String> agentIdOfHandle;
    private int next;
    private int size;
    private long total;

    /** @param agentIdOfHandle names a producer handle when the log is read (null when unknown). */
    public MaciLogBook(final int capacity, final IntFunction<String> agentIdOfHandle)
    {
        this.slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            slots[i] = new Slot();
        }
        this.agentIdOfHandle = agentIdOfHandle;
    }

    /**
     * Appends a violation; allocation-free.
     *
     * @param role         the agent's role ordinal, -1 none.
     * @param action       the action ordinal, -1 when the type maps to none.
     * @param messageType  the message type ordinal, -1 when not from a message.
     * @param targetHandle the target agent's or producer's handle, -1 unknown.
     * @param targetRole   its role ordinal, -1 none.
     */
    public synchronized void append(
        final long timestampMs, final String agentId, final int role, final int code, final int action, final int messageType,
        final int targetKind, final String target, final int targetHandle, final int targetRole)
    {
        append(timestampMs, agentId, role, code, action, messageType, targetKind, target, targetHandle, targetRole, 0);
    }

    /**
     * As the other {@code append}, for a target named by number or handle on the flyweight path: {@code target} null,
     * the output's id in {@code targetNumber}, the agent by {@code targetHandle}; rendered when read.
     */
    public synchronized void append(
        final long timestampMs, final String agentId, final int role, final int code, final int action, final int messageType,
        final int targetKind, final String target, final int targetHandle, final int targetRole, final long targetNumber)
    {
        final Slot s = slots[next];
        s.timestampMs = timestampMs;
        s.agentId = agentId;
        s.role = role;
        s.code = code;
        s.action = action;
        s.messageType = messageType;
        s.targetKind = targetKind;
        s.target = target;
        s.targetHandle = targetHandle;
        s.targetRole = targetRole;
        s.targetNumber = targetNumber;
        next = next + 1 == slots.length ? 0 : next + 1;
        size = Math.min(size + 1, slots.length);
        total++;
    }

    /** @return the entries, oldest first, with their texts. */
    public synchronized List<MaciLogEntry> entries()
    {
        final List<MaciLogEntry> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            int at = next - size + i;
            if (at < 0)
            {
                at += slots.length;
            }
            out.add(render(slots[at]));
        }
        return out;
    }

    /** Empties the log (the running total stays). */
    public synchronized void clear()
    {
        for (final Slot s : slots)
        {
            s.agentId = null;
            s.target = null;
        }
        size = 0;
        next = 0;
    }

    /** @return violations logged since the start, cleared or not. */
    public synchronized long total()
    {
        return total;
    }

    private MaciLogEntry render(final Slot s)
    {
        final RejectReason reason = RejectReason.fromCode(s.code);
        final MaciRole role = s.role >= 0 && s.role < ROLES.length ? ROLES[s.role] : null;
        final MaciAction action = s.action >= 0 && s.action < ACTIONS.length ? ACTIONS[s.action] : null;
        final String typeValue = s.messageType >= 0 && s.messageType < TYPES.length ? TYPES[s.messageType].value()
            : action == null ? "unknown" : action.value();
        final String target = s.target != null ? s.target
            : s.targetKind == TARGET_OUTPUT ? Long.toString(s.targetNumber)
            : s.targetKind == TARGET_AGENT && s.targetHandle >= 0 ? agentIdOfHandle.apply(s.targetHandle) : null;
        final String targetAgent = s.targetKind == TARGET_AGENT ? target
            : s.targetHandle >= 0 ? agentIdOfHandle.apply(s.targetHandle) : null;
        final MaciRole targetRole = s.targetRole >= 0 && s.targetRole < ROLES.length ? ROLES[s.targetRole] : null;
        final String text = MaciViolation.exception(reason, s.agentId, role, action, typeValue, s.targetKind, target, targetAgent, targetRole)
            .getMessage();
        return new MaciLogEntry(s.timestampMs, s.agentId, action == null ? typeValue : action.value(), target, MaciViolation.type(reason), text);
    }
}
