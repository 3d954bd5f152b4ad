package dev.eab.api;

import java.util.Locale;

/**
 * MACI actions (reference §2.4), with lowercase wire values. The ordinal is the action id in the compiled
 * tables the Rust validator and its Java twin evaluate ({@code EabMaciConfig}), so never reorder.
 */
public enum MaciAction
{
    PROPOSE,
    VALIDATE,
    EXTRACT_RULES,
    SYNTHESIZE,
    AUDIT,
    QUERY,
    MANAGE_POLICY,
    EMERGENCY_COOLDOWN,
    MONITOR_ACTIVITY,
    ENFORCE_CONTROL;

    /** @return the lowercase wire value, e.g. {@code "extract_rules"}. */
    public String value()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an action name case-insensitively. */
    public static MaciAction fromValue(final String text)
    {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}
