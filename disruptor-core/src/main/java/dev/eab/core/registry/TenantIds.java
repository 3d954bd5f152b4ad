package dev.eab.core.registry;

import java.util.Locale;

/**
 * Tenant id normalisation and format, as the original does it: trimmed, lowercased, "" means none,
 * and a non-empty tenant must match {@code ^[a-z0-9_-]{3,64}$} (checked by hand: no regex engine on
 * the bus thread).
 */
public final class TenantIds
{
    public static final int MIN_LENGTH = 3;
    public static final int MAX_LENGTH = 64;

    private TenantIds()
    {
    }

    /** @return the normalised tenant, or null for none. */
    public static String normalize(final String tenant)
    {
        if (tenant == null)
        {
            return null;
        }
        final String t = tenant.strip().toLowerCase(Locale.ROOT);
        return t.isEmpty() || "none".equals(t) ? null : t;
    }

    /** @return true when a normalised tenant is null (none) or matches {@code ^[a-z0-9_-]{3,64}$}. */
    public static boolean isValid(final String normalized)
    {
        if (normalized == null)
        {
            return true;
        }
        final int n = normalized.length();
        if (n < MIN_LENGTH || n > MAX_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < n; i++)
        {
            final char c = normalized.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            {
                return false;
            }
        }
        return true;
    }
}
