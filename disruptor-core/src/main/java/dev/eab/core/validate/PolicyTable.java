package dev.eab.core.validate;

import dev.eab.api.exception.PolicyEvaluationException;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A policy compiled to flat tables: one row per rule, evaluated first-match-wins, each dimension a
 * bitmask over a small vocabulary (at most {@value #MAX_VOCABULARY} names per dimension). The same
 * arrays feed the Java twin ({@link #evaluate}) and the native engine ({@code EabPolicyRule[]}), so
 * both decide from identical data. Immutable.
 */
public final class PolicyTable
{
    /** Most names a dimension (tenants, sender types, capabilities) may hold: one bit each in a u64. */
    public static final int MAX_VOCABULARY = 64;
    /** Mask meaning "any value, including values the policy does not name" ({@code EAB_ANY}). */
    public static final long ANY = -1L;
    /** Message-type mask meaning any type ({@code EAB_ANY_MESSAGE_TYPE}). */
    public static final int ANY_MESSAGE_TYPE = -1;
    public static final int EFFECT_ALLOW = 0;
    public static final int EFFECT_DENY = 1;

    private final String version;
    private final int defaultEffect;
    private final List<String> ruleNames;
    private final long[] tenantMask;
    private final long[] senderTypeMask;
    private final long[] requiredCapabilities;
    private final int[] messageTypeMask;
    private final int[] effect;
    private final Map<String, Integer> tenants;
    private final Map<String, Integer> senderTypes;
    private final Map<String, Integer> capabilities;

    PolicyTable(
        final String version,
        final int defaultEffect,
        final List<String> ruleNames,
        final long[] tenantMask,
        final long[] senderTypeMask,
        final long[] requiredCapabilities,
        final int[] messageTypeMask,
        final int[] effect,
        final Map<String, Integer> tenants,
        final Map<String, Integer> senderTypes,
        final Map<String, Integer> capabilities)
    {
        this.version = version;
        this.defaultEffect = defaultEffect;
        this.ruleNames = List.copyOf(ruleNames);
        this.tenantMask = tenantMask.clone();
        this.senderTypeMask = senderTypeMask.clone();
        this.requiredCapabilities = requiredCapabilities.clone();
        this.messageTypeMask = messageTypeMask.clone();
        this.effect = effect.clone();
        this.tenants = Map.copyOf(tenants);
        this.senderTypes = Map.copyOf(senderTypes);
        this.capabilities = Map.copyOf(capabilities);
    }

    /** @return a table with no rules and the given default effect. */
    public static PolicyTable allowAll()
    {
        return new PolicyTable("allow-all", EFFECT_ALLOW, List.of(), new long[0], new long[0], new long[0], new int[0], new int[0],
            Map.of(), Map.of(), Map.of());
    }

    /**
     * First-match-wins evaluation; allocation-free.
     *
     * @return {@link #EFFECT_ALLOW} or {@link #EFFECT_DENY}.
     */
    public int evaluate(final int policyTenant, final int senderType, final int messageType, final long senderCapabilities)
    {
        final int rule = firstMatch(policyTenant, senderType, messageType, senderCapabilities);
        return rule < 0 ? defaultEffect : effect[rule];
    }

    /** @return the index of the first rule matching, or -1 when the default applies; allocation-free. */
    public int firstMatch(final int policyTenant, final int senderType, final int messageType, final long senderCapabilities)
    {
        for (int i = 0; i < effect.length; i++)
        {
            if (matches(tenantMask[i], policyTenant) &&
                matches(senderTypeMask[i], senderType) &&
                (messageTypeMask[i] == ANY_MESSAGE_TYPE || (messageType >= 0 && messageType < 32 && (messageTypeMask[i] & (1 << messageType)) != 0)) &&
                (senderCapabilities & requiredCapabilities[i]) == requiredCapabilities[i])
            {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(final long mask, final int id)
    {
        return mask == ANY || (id >= 0 && id < MAX_VOCABULARY && (mask & (1L << id)) != 0);
    }

    /** @return the policy vocabulary id of a tenant, -1 when the policy does not name it. */
    public int tenantId(final String tenant)
    {
        return tenant == null ? -1 : tenants.getOrDefault(tenant, -1);
    }

    /** @return the policy vocabulary id of an agent type, -1 when the policy does not name it. */
    public int senderTypeId(final String agentType)
    {
        return agentType == null ? -1 : senderTypes.getOrDefault(agentType, -1);
    }

    /** @return the bitmask of the named capabilities this policy knows; unknown ones are ignored. */
    public long capabilityMask(final Collection<String> held)
    {
        long mask = 0;
        for (final String c : held)
        {
            final Integer id = capabilities.get(c);
            if (id != null)
            {
                mask |= 1L << id;
            }
        }
        return mask;
    }

    public String version() { return version; }
    public int defaultEffect() { return defaultEffect; }
    public int ruleCount() { return effect.length; }
    public List<String> ruleNames() { return ruleNames; }
    public long tenantMask(final int rule) { return tenantMask[rule]; }
    public long senderTypeMask(final int rule) { return senderTypeMask[rule]; }
    public long requiredCapabilities(final int rule) { return requiredCapabilities[rule]; }
    public int messageTypeMask(final int rule) { return messageTypeMask[rule]; }
    public int effect(final int rule) { return effect[rule]; }

    /** Checks a rule index, for tools that print rules. */
    public String describe(final int rule)
    {
        if (rule < 0 || rule >= effect.length)
        {
            throw new PolicyEvaluationException(version, "no rule " + rule);
        }
        return ruleNames.get(rule) + (effect[rule] == EFFECT_DENY ? " (deny)" : " (allow)");
    }

    @Override
    public String toString()
    {
        return "PolicyTable{version=" + version + ", rules=" + ruleNames + ", default=" + (defaultEffect == EFFECT_DENY ? "deny" : "allow") +
            ", tenants=" + tenants.keySet() + ", senderTypes=" + senderTypes.keySet() + ", capabilities=" + capabilities.keySet() +
            ", effects=" + Arrays.toString(effect) + '}';
    }
}
