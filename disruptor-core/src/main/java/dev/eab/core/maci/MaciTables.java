package dev.eab.core.maci;

import dev.eab.api.MaciAction;
import dev.eab.api.MaciRole;
import dev.eab.api.MessageType;
import dev.eab.api.RejectReason;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.eab.core.maci.MaciConfigDescriptor.*;
import static dev.eab.core.validate.MessageHeaderDescriptor.*;

/**
 * The MACI role and action tables of reference §2.4, compiled to bitmasks, and the per-message check the
 * Rust validator runs ({@code native-rust/src/maci.rs}), twinned here for the Java validator: the same
 * tables ({@link #writeNative}) and the same order, proven by {@code MaciDifferentialTest}.
 *
 * <p>Immutable; any thread. {@link #check} allocates nothing.
 */
public final class MaciTables
{
    /** Permitted actions per role (§2.4). No role holds MANAGE_POLICY. */
    public static final Map<MaciRole, Set<MaciAction>> ROLE_PERMISSIONS;
    /** Which roles each role may validate (§2.4); roles absent here validate no one. */
    public static final Map<MaciRole, Set<MaciRole>> VALIDATION_CONSTRAINTS;
    /** Role hierarchy (§2.4), used by {@link #hasSufficientPrivilege} only. */
    public static final Map<MaciRole, Integer> ROLE_HIERARCHY;
    /** The original's message type to action mapping; other types are unmapped. */
    public static final Map<MessageType, MaciAction> DEFAULT_TYPE_ACTIONS;

    static
    {
        final Map<MaciRole, Set<MaciAction>> p = new EnumMap<>(MaciRole.class);
        p.put(MaciRole.EXECUTIVE, EnumSet.of(MaciAction.PROPOSE, MaciAction.SYNTHESIZE, MaciAction.QUERY));
        p.put(MaciRole.LEGISLATIVE, EnumSet.of(MaciAction.EXTRACT_RULES, MaciAction.SYNTHESIZE, MaciAction.QUERY));
        p.put(MaciRole.JUDICIAL, EnumSet.of(MaciAction.VALIDATE, MaciAction.AUDIT, MaciAction.QUERY, MaciAction.EMERGENCY_COOLDOWN));
        p.put(MaciRole.MONITOR, EnumSet.of(MaciAction.MONITOR_ACTIVITY, MaciAction.QUERY));
        p.put(MaciRole.AUDITOR, EnumSet.of(MaciAction.AUDIT, MaciAction.QUERY));
        p.put(MaciRole.CONTROLLER, EnumSet.of(MaciAction.ENFORCE_CONTROL, MaciAction.QUERY));
        p.put(MaciRole.IMPLEMENTER, EnumSet.of(MaciAction.SYNTHESIZE, MaciAction.QUERY));
        p.replaceAll((k, v) -> Collections.unmodifiableSet(v));
        ROLE_PERMISSIONS = Collections.unmodifiableMap(p);

        final Map<MaciRole, Set<MaciRole>> v = new EnumMap<>(MaciRole.class);
        v.put(MaciRole.JUDICIAL, Collections.unmodifiableSet(EnumSet.of(MaciRole.EXECUTIVE, MaciRole.LEGISLATIVE, MaciRole.IMPLEMENTER)));
        v.put(MaciRole.AUDITOR, Collections.unmodifiableSet(EnumSet.of(MaciRole.MONITOR, MaciRole.CONTROLLER, MaciRole.IMPLEMENTER)));
        VALIDATION_CONSTRAINTS = Collections.unmodifiableMap(v);

        final Map<MaciRole, Integer> h = new EnumMap<>(MaciRole.class);
        h.put(MaciRole.JUDICIAL, 100);
        h.put(MaciRole.AUDITOR, 90);
        h.put(MaciRole.LEGISLATIVE, 80);
        h.put(MaciRole.EXECUTIVE, 70);
        h.put(MaciRole.CONTROLLER, 60);
        h.put(MaciRole.MONITOR, 50);
        h.put(MaciRole.IMPLEMENTER, 40);
        ROLE_HIERARCHY = Collections.unmodifiableMap(h);

        final Map<MessageType, MaciAction> t = new EnumMap<>(MessageType.class);
        t.put(MessageType.GOVERNANCE_REQUEST, MaciAction.PROPOSE);
        t.put(MessageType.CONSTITUTIONAL_VALIDATION, MaciAction.VALIDATE);
        t.put(MessageType.TASK_REQUEST, MaciAction.SYNTHESIZE);
        t.put(MessageType.QUERY, MaciAction.QUERY);
        t.put(MessageType.AUDIT_LOG, MaciAction.AUDIT);
        DEFAULT_TYPE_ACTIONS = Collections.unmodifiableMap(t);
    }

    private final boolean strict;
    private final byte[] typeActions = new byte[TYPE_SLOTS];
    private final int[] roleActions = new int[ROLE_SLOTS];
    private final int[] roleValidates = new int[ROLE_SLOTS];
    private final Map<MessageType, MaciAction> typeActionMap;

    /**
     * @param strict      strict mode: no role, an unmapped type or an unknown target is rejected.
     * @param typeActions message type to action; types not in the map are unmapped.
     */
    public MaciTables(final boolean strict, final Map<MessageType, MaciAction> typeActions)
    {
        this.strict = strict;
        java.util.Arrays.fill(this.typeActions, (byte)-1);
        final Map<MessageType, MaciAction> copy = new EnumMap<>(MessageType.class);
        copy.putAll(typeActions);
        for (final Map.Entry<MessageType, MaciAction> e : copy.entrySet())
        {
            this.typeActions[e.getKey().ordinal()] = (byte)e.getValue().ordinal();
        }
        this.typeActionMap = Collections.unmodifiableMap(copy);
        for (final MaciRole r : MaciRole.values())
        {
            for (final MaciAction a : ROLE_PERMISSIONS.get(r))
            {
                roleActions[r.ordinal()] |= 1 << a.ordinal();
            }
            for (final MaciRole t : VALIDATION_CONSTRAINTS.getOrDefault(r, Set.of()))
            {
                roleValidates[r.ordinal()] |= 1 << t.ordinal();
            }
        }
    }

    /** @return the reference tables with the original's type mapping. */
    public static MaciTables reference(final boolean strict)
    {
        return new MaciTables(strict, DEFAULT_TYPE_ACTIONS);
    }

    public boolean strict()
    {
        return strict;
    }

    /** @return the message type to action mapping in force. */
    public Map<MessageType, MaciAction> typeActions()
    {
        return typeActionMap;
    }

    /** @return the action a message type maps to, or null when unmapped. */
    public MaciAction actionOf(final MessageType type)
    {
        return typeActionMap.get(type);
    }

    /** @return true when {@code role} may perform {@code action}. */
    public static boolean permits(final MaciRole role, final MaciAction action)
    {
        return ROLE_PERMISSIONS.get(role).contains(action);
    }

    /** @return true when {@code validator} may validate {@code target} (false for a null target: no role). */
    public static boolean canValidate(final MaciRole validator, final MaciRole target)
    {
        return target != null && VALIDATION_CONSTRAINTS.getOrDefault(validator, Set.of()).contains(target);
    }

    /** @return the roles holding {@code action}, lowercase, in role order ("allowed roles: ..."). */
    public static List<String> allowedRoles(final MaciAction action)
    {
        final List<String> out = new ArrayList<>();
        for (final MaciRole r : MaciRole.values())
        {
            if (permits(r, action))
            {
                out.add(r.value());
            }
        }
        return out;
    }

    /** The original's {@code has_sufficient_privilege}: {@code role}'s rank is at least {@code required}'s. */
    public static boolean hasSufficientPrivilege(final MaciRole role, final MaciRole required)
    {
        return ROLE_HIERARCHY.get(role) >= ROLE_HIERARCHY.get(required);
    }

    /** Writes these tables as {@code EabMaciConfig} at the start of {@code config} (at least {@link MaciConfigDescriptor#LENGTH} bytes). */
    public void writeNative(final MemorySegment config)
    {
        config.set(ValueLayout.JAVA_INT, MaciConfigDescriptor.FLAGS_OFFSET, strict ? MACI_STRICT : 0);
        for (int i = 0; i < TYPE_SLOTS; i++)
        {
            config.set(ValueLayout.JAVA_BYTE, TYPE_ACTIONS_OFFSET + i, typeActions[i]);
        }
        for (int i = 0; i < ROLE_SLOTS; i++)
        {
            config.set(ValueLayout.JAVA_INT, ROLE_ACTIONS_OFFSET + 4L * i, roleActions[i]);
            config.set(ValueLayout.JAVA_INT, ROLE_VALIDATES_OFFSET + 4L * i, roleValidates[i]);
        }
    }

    /** @return the action id for a message type ordinal, -1 when unmapped or out of range. */
    public int actionId(final int messageType)
    {
        return messageType >= 0 && messageType < TYPE_SLOTS ? typeActions[messageType] : -1;
    }

    /** @return true when role ordinal {@code role} may validate role ordinal {@code targetRole} (false for -1). */
    public boolean canValidateIds(final int role, final int targetRole)
    {
        return role >= 0 && role < MACI_ROLE_COUNT && canValidate(role, targetRole);
    }

    private boolean canValidate(final int role, final int targetRole)
    {
        return targetRole >= 0 && targetRole < MACI_ROLE_COUNT && (roleValidates[role] >>> targetRole & 1) == 1;
    }

    /**
     * The MACI verdict for a header, in the Rust order (see {@code maci.rs}): a {@link RejectReason} code, 0 when
     * MACI allows the message (or does not apply to it in non-strict mode).
     */
    public int check(final MemorySegment h)
    {
        final int role = h.get(ValueLayout.JAVA_BYTE, SENDER_ROLE_OFFSET);
        if (role < 0 || role >= MACI_ROLE_COUNT)
        {
            return strict ? RejectReason.MACI_ROLE_NOT_ASSIGNED.code() : 0;
        }
        final int action = actionId(h.get(ValueLayout.JAVA_INT, MESSAGE_TYPE_OFFSET));
        if (action < 0)
        {
            return strict ? RejectReason.MACI_UNMAPPED_TYPE.code() : 0;
        }
        if ((roleActions[role] >>> action & 1) == 0)
        {
            return RejectReason.MACI_ROLE_VIOLATION.code();
        }
        if (action != MACI_ACTION_VALIDATE)
        {
            return 0;
        }
        final int f = h.get(ValueLayout.JAVA_INT, dev.eab.core.validate.MessageHeaderDescriptor.FLAGS_OFFSET);
        if ((f & FLAG_MACI_TARGET_AGENT) != 0)
        {
            if ((f & FLAG_MACI_TARGET_AGENT_IS_SENDER) != 0)
            {
                return RejectReason.MACI_SELF_VALIDATION.code();
            }
            if ((f & FLAG_MACI_TARGET_AGENT_FOUND) == 0)
            {
                if (strict)
                {
                    return RejectReason.MACI_TARGET_NOT_FOUND.code();
                }
            }
            else if (!canValidate(role, h.get(ValueLayout.JAVA_BYTE, TARGET_AGENT_ROLE_OFFSET)))
            {
                return RejectReason.MACI_CROSS_ROLE.code();
            }
        }
        if ((f & FLAG_MACI_TARGET_OUTPUT) != 0)
        {
            if ((f & FLAG_MACI_PRODUCED_BY_SENDER) != 0)
            {
                return RejectReason.MACI_SELF_VALIDATION.code();
            }
            if ((f & FLAG_MACI_PRODUCER_KNOWN) == 0)
            {
                if (strict)
                {
                    return RejectReason.MACI_TARGET_NOT_FOUND.code();
                }
            }
            else if (!canValidate(role, h.get(ValueLayout.JAVA_BYTE, PRODUCER_ROLE_OFFSET)))
            {
                return RejectReason.MACI_CROSS_ROLE.code();
            }
        }
        return 0;
    }
}
