package dev.eab.api;

import java.util.Locale;
import java.util.Map;

/**
 * Tenant ids as the bus sees them, for agents that pre-check before sending; the engine uses this very
 * class when it registers agents and validates messages. As the original: a tenant is trimmed and
 * lowercased ({@code " Tenant-A "} is {@code "tenant-a"}), blank or {@code "none"} means no tenant, and a
 * tenant must match {@value #FORMAT} (checked by hand: no regex engine on the bus thread).
 */
public final class TenantIds
{
    /** Shortest tenant id, in characters. */
    public static final int MIN_LENGTH = 3;
    /** Longest tenant id, in characters. */
    public static final int MAX_LENGTH = 64;
    /** The format a normalised tenant id must have, as the original's regex. */
    public static final String FORMAT = "^[a-z0-9_-]{3,64}$";

    private TenantIds()
    {
    }

    /** @return the normalised tenant (trimmed, lowercased), or null for none (null, blank or "none"). */
    public static String normalize(final String tenant)
    {
        if (tenant == null)
        {
            return null;
        }
        final String t = tenant.strip().toLowerCase(Locale.ROOT);
        return t.isEmpty() || "none".equals(t) ? null : t;
    }

    /** @return true when a normalised tenant is null (none) or matches {@value #FORMAT}. */
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

    /** @return the original's error text for a tenant that fails {@link #isValid}: "Invalid tenant_id format: t". */
    public static String invalidFormat(final String normalized)
    {
        return "Invalid tenant_id format: " + normalized;
    }

    /**
     * The bus's tenant check, for agents that pre-check a message's tenant before sending.
     *
     * @return valid (metadata {@code tenant_id}: the normalised tenant, absent for none), or invalid with
     *     {@link RejectReason#INVALID_TENANT} and the original's text "Invalid tenant_id format: t".
     */
    public static ValidationResult validateTenantId(final String tenant)
    {
        final String normalized = normalize(tenant);
        if (!isValid(normalized))
        {
            return ValidationResult.deny(RejectReason.INVALID_TENANT, invalidFormat(normalized), Constitution.HASH, Map.of());
        }
        return ValidationResult.allow(MessageStatus.VALIDATED, Constitution.HASH, normalized == null ? Map.of() : Map.of("tenant_id", normalized));
    }
}
