package dev.eab.core.ops.metering;

import dev.eab.api.exception.ConfigurationException;

/**
 * A tenant's message budget: at most {@code messages} accepted messages per {@code windowSeconds} (a fixed window),
 * enforced on the bus thread by {@link TenantBudgets}; a message over it is refused with
 * {@code RejectReason.TENANT_BUDGET_EXCEEDED} and the original's {@code RateLimitExceeded} text.
 *
 * @param messages      messages allowed per window (≥ 1)
 * @param windowSeconds the window, seconds (≥ 1)
 */
public record TenantBudget(int messages, int windowSeconds)
{
    public TenantBudget
    {
        if (messages < 1)
        {
            throw new ConfigurationException("tenant_budget", "messages must be >= 1, got " + messages);
        }
        if (windowSeconds < 1)
        {
            throw new ConfigurationException("tenant_budget", "window_seconds must be >= 1, got " + windowSeconds);
        }
    }

    /** @return a budget from {@code <messages>/<window seconds>}, e.g. {@code 1000/60}. */
    public static TenantBudget parse(final String text)
    {
        final String[] parts = text.trim().split("/", -1);
        if (parts.length != 2)
        {
            throw new ConfigurationException("tenant_budget", "expected <messages>/<window seconds>, got '" + text + "'");
        }
        try
        {
            return new TenantBudget(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        }
        catch (final NumberFormatException e)
        {
            throw new ConfigurationException("tenant_budget", "expected <messages>/<window seconds>, got '" + text + "'");
        }
    }
}
