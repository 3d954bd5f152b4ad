package dev.eab.core.journal;

import dev.eab.api.DeliveryMode;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is who in {@code ./eab crashtest}: two tenants, each with a sender and three recipients, one per
 * way a message can wait when the process dies: a DISPATCHED handler (its own inbox thread), an INLINE
 * handler (on the bus thread), and an agent with no handler until the last run (its messages wait in its
 * inbox, accepted and unacknowledged, through every kill). Message ids name the tenant, run and sequence,
 * so the parent can tell a cross-tenant delivery from the id alone.
 */
public final class CrashTestLayout
{
    /** The two tenants. */
    public static final List<String> TENANTS = List.of("acme", "globex");

    /** A recipient agent: its tenant, id, and how its handler runs while sending (null: no handler until the drain run). */
    public record Recipient(String tenant, String agentId, DeliveryMode mode)
    {
    }

    private CrashTestLayout()
    {
    }

    /** @return the tenant's sending agent. */
    public static String sender(final String tenant)
    {
        return tenant + "-sender";
    }

    /** @return the tenant's recipients. */
    public static List<Recipient> recipients(final String tenant)
    {
        return List.of(new Recipient(tenant, tenant + "-dispatched", DeliveryMode.DISPATCHED), new Recipient(tenant, tenant + "-inline", DeliveryMode.INLINE),
            new Recipient(tenant, tenant + "-inbox", null));
    }

    /** @return every recipient of every tenant, in a fixed order. */
    public static List<Recipient> allRecipients()
    {
        final List<Recipient> all = new ArrayList<>();
        for (final String t : TENANTS)
        {
            all.addAll(recipients(t));
        }
        return all;
    }

    /** @return the id of a message: {@code <tenant>.<run>.<seq>}. */
    public static String messageId(final String tenant, final int run, final long seq)
    {
        return tenant + "." + run + "." + seq;
    }

    /** @return the tenant a message id names, or null when it is not a crash-test id. */
    public static String tenantOf(final String messageId)
    {
        final int dot = messageId.indexOf('.');
        return dot <= 0 ? null : messageId.substring(0, dot);
    }
}
