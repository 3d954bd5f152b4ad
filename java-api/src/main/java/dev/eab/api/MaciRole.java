package dev.eab.api;

/** MACI separation-of-powers roles (reference §2.4), with lowercase wire values. */
public enum MaciRole
{
    EXECUTIVE,
    LEGISLATIVE,
    JUDICIAL,
    MONITOR,
    AUDITOR,
    CONTROLLER,
    IMPLEMENTER;

    /** @return the lowercase wire value, e.g. {@code "judicial"}. */
    public String value()
    {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a role name case-insensitively. */
    public static MaciRole fromValue(final String text)
    {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
