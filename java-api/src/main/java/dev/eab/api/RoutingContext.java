package dev.eab.api;

import java.util.List;

/**
 * Routing metadata carried by a message (reference §2.1).
 *
 * @param sourceAgentId  required, non-empty.
 * @param targetAgentId  required, non-empty.
 * @param routingKey     free-form key, "" by default.
 * @param routingTags    free-form tags.
 * @param retryCount     retries so far.
 * @param maxRetries     retry budget, 3 by default.
 * @param timeoutMs      delivery timeout, 5000 by default.
 */
public record RoutingContext(
    String sourceAgentId,
    String targetAgentId,
    String routingKey,
    List<String> routingTags,
    int retryCount,
    int maxRetries,
    long timeoutMs)
{
    /** Default retry budget, as in the original. */
    public static final int DEFAULT_MAX_RETRIES = 3;
    /** Default timeout, as in the original. */
    public static final long DEFAULT_TIMEOUT_MS = 5000;

    /** Validates, with the original's texts. */
    public RoutingContext
    {
        if (sourceAgentId == null || sourceAgentId.isEmpty())
        {
            throw new IllegalArgumentException("source_agent_id is required");
        }
        if (targetAgentId == null || targetAgentId.isEmpty())
        {
            throw new IllegalArgumentException("target_agent_id is required");
        }
        routingKey = routingKey == null ? "" : routingKey;
        routingTags = routingTags == null ? List.of() : List.copyOf(routingTags);
    }

    /** A context with the original's defaults. */
    public static RoutingContext of(final String sourceAgentId, final String targetAgentId)
    {
        return new RoutingContext(sourceAgentId, targetAgentId, "", List.of(), 0, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS);
    }
}
