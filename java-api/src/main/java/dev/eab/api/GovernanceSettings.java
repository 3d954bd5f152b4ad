package dev.eab.api;

import dev.eab.api.exception.ConfigurationException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Impact scoring and deliberation options, carried by {@link BusConfiguration#governance()}. Off by default
 * ({@link #OFF}): when on, every message is scored on the bus thread and one scoring at or above its tenant's
 * threshold ({@link BusConfiguration#impactThreshold()} unless the tenant has its own) is held for
 * deliberation instead of being delivered.
 *
 * @param enabled          score every message and hold the high-impact ones
 * @param keywordMatching  how keywords are found ({@link KeywordMatching#SUBSTRING} by default: see there)
 * @param tenantThresholds per-tenant impact thresholds in (0, 1], keyed by normalised tenant id
 * @param defaultRule      how judicial votes decide an item, unless its tenant has its own rule
 * @param tenantRules      per-tenant voting rules
 * @param timeoutMs        how long an item waits for a decision before it times out and its message fails
 * @param storeDir         where pending items are persisted (a Chronicle queue of their own); null: under
 *                         {@code journalDir/deliberations} when the bus journals, else in memory only
 */
public record GovernanceSettings(
    boolean enabled,
    KeywordMatching keywordMatching,
    Map<String, Double> tenantThresholds,
    DeliberationRule defaultRule,
    Map<String, DeliberationRule> tenantRules,
    long timeoutMs,
    Path storeDir)
{
    /** The original's deliberation timeout: 300 s. */
    public static final long DEFAULT_TIMEOUT_MS = 300_000;
    /** Governance off. */
    public static final GovernanceSettings OFF = new GovernanceSettings(false, KeywordMatching.SUBSTRING, Map.of(), DeliberationRule.DEFAULT,
        Map.of(), DEFAULT_TIMEOUT_MS, null);
    /** Governance on with every default. */
    public static final GovernanceSettings ON = OFF.withEnabled(true);

    /** @throws ConfigurationException naming the first invalid option. */
    public GovernanceSettings
    {
        if (keywordMatching == null || defaultRule == null)
        {
            throw new ConfigurationException("governance", "keyword_matching and default_rule must not be null");
        }
        if (timeoutMs < 1)
        {
            throw new ConfigurationException("deliberation_timeout_ms", "must be >= 1, got " + timeoutMs);
        }
        final Map<String, Double> thresholds = new LinkedHashMap<>();
        for (final Map.Entry<String, Double> e : tenantThresholds.entrySet())
        {
            final Double t = e.getValue();
            if (t == null || !(t > 0.0 && t <= 1.0))
            {
                throw new ConfigurationException("tenant_impact_thresholds", "tenant '" + e.getKey() + "': must be in (0, 1], got " + t);
            }
            thresholds.put(tenant(e.getKey(), "tenant_impact_thresholds"), t);
        }
        final Map<String, DeliberationRule> rules = new LinkedHashMap<>();
        for (final Map.Entry<String, DeliberationRule> e : tenantRules.entrySet())
        {
            if (e.getValue() == null)
            {
                throw new ConfigurationException("tenant_deliberation_rules", "tenant '" + e.getKey() + "' has a null rule");
            }
            rules.put(tenant(e.getKey(), "tenant_deliberation_rules"), e.getValue());
        }
        tenantThresholds = Map.copyOf(thresholds);
        tenantRules = Map.copyOf(rules);
    }

    private static String tenant(final String tenant, final String key)
    {
        final String normalized = TenantIds.normalize(tenant);
        if (normalized == null || !TenantIds.isValid(normalized))
        {
            throw new ConfigurationException(key, "'" + tenant + "' is not a tenant id (" + TenantIds.FORMAT + ")");
        }
        return normalized;
    }

    /** @return the threshold for a (normalised) tenant: its own, else {@code fallback}. */
    public double thresholdFor(final String tenant, final double fallback)
    {
        final Double t = tenant == null ? null : tenantThresholds.get(tenant);
        return t == null ? fallback : t;
    }

    /** @return the voting rule for a (normalised) tenant. */
    public DeliberationRule ruleFor(final String tenant)
    {
        final DeliberationRule r = tenant == null ? null : tenantRules.get(tenant);
        return r == null ? defaultRule : r;
    }

    public GovernanceSettings withEnabled(final boolean v)
    {
        return new GovernanceSettings(v, keywordMatching, tenantThresholds, defaultRule, tenantRules, timeoutMs, storeDir);
    }

    public GovernanceSettings withKeywordMatching(final KeywordMatching v)
    {
        return new GovernanceSettings(enabled, v, tenantThresholds, defaultRule, tenantRules, timeoutMs, storeDir);
    }

    /** @return a copy with one more (or a replaced) tenant threshold. */
    public GovernanceSettings withTenantThreshold(final String tenant, final double threshold)
    {
        final Map<String, Double> m = new LinkedHashMap<>(tenantThresholds);
        m.put(tenant(tenant, "tenant_impact_thresholds"), threshold);
        return new GovernanceSettings(enabled, keywordMatching, m, defaultRule, tenantRules, timeoutMs, storeDir);
    }

    public GovernanceSettings withDefaultRule(final DeliberationRule v)
    {
        return new GovernanceSettings(enabled, keywordMatching, tenantThresholds, v, tenantRules, timeoutMs, storeDir);
    }

    /** @return a copy with one more (or a replaced) tenant voting rule. */
    public GovernanceSettings withTenantRule(final String tenant, final DeliberationRule rule)
    {
        final Map<String, DeliberationRule> m = new LinkedHashMap<>(tenantRules);
        m.put(tenant(tenant, "tenant_deliberation_rules"), rule);
        return new GovernanceSettings(enabled, keywordMatching, tenantThresholds, defaultRule, m, timeoutMs, storeDir);
    }

    public GovernanceSettings withTimeoutMs(final long v)
    {
        return new GovernanceSettings(enabled, keywordMatching, tenantThresholds, defaultRule, tenantRules, v, storeDir);
    }

    public GovernanceSettings withStoreDir(final Path v)
    {
        return new GovernanceSettings(enabled, keywordMatching, tenantThresholds, defaultRule, tenantRules, timeoutMs, v);
    }

    /** @return the options under snake_case names, for logs and the demo summary. */
    public Map<String, Object> toMap()
    {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        m.put("keyword_matching", keywordMatching.name().toLowerCase(java.util.Locale.ROOT));
        m.put("tenant_impact_thresholds", tenantThresholds.size());
        m.put("required_votes", defaultRule.requiredVotes());
        m.put("consensus_threshold", defaultRule.consensusThreshold());
        m.put("tenant_deliberation_rules", tenantRules.size());
        m.put("deliberation_timeout_ms", timeoutMs);
        m.put("deliberation_store", storeDir == null ? "(journal dir or memory)" : storeDir.toString());
        return m;
    }
}
