package dev.eab.api.exception;

/**
 * Thrown when an agent sends more messages than its rate limit allows within the window
 * (mirrors {@code RateLimitExceeded}).
 */
public class RateLimitExceededException extends MessageException
{
    private final String agentId;
    private final int limit;
    private final int windowSeconds;
    private final Long retryAfterMs;

    /**
     * @param agentId       the agent over its limit.
     * @param limit         messages allowed per window.
     * @param windowSeconds the window, in seconds.
     * @param retryAfterMs  when the agent may retry, in milliseconds, may be {@code null}.
     */
    public RateLimitExceededException(
        final String agentId,
        final int limit,
        final int windowSeconds,
        final Long retryAfterMs)
    {
        super(
            "Agent '" + agentId + "' exceeded rate limit of " + limit + " messages per " + windowSeconds + "s"
                + (retryAfterMs != null ? " (retry after " + retryAfterMs + "ms)" : ""),
            detailsOf(
                "agent_id", agentId,
                "limit", limit,
                "window_seconds", windowSeconds,
                "retry_after_ms", retryAfterMs));
        this.agentId = agentId;
        this.limit = limit;
        this.windowSeconds = windowSeconds;
        this.retryAfterMs = retryAfterMs;
    }

    /**
     * Without a retry hint.
     *
     * @param agentId       the agent over its limit.
     * @param limit         messages allowed per window.
     * @param windowSeconds the window, in seconds.
     */
    public RateLimitExceededException(final String agentId, final int limit, final int windowSeconds)
    {
        this(agentId, limit, windowSeconds, null);
    }

    /** @return the agent over its limit. */
    public String agentId()
    {
        return agentId;
    }

    /** @return messages allowed per window. */
    public int limit()
    {
        return limit;
    }

    /** @return the window, in seconds. */
    public int windowSeconds()
    {
        return windowSeconds;
    }

    /** @return when the agent may retry, in milliseconds, may be {@code null}. */
    public Long retryAfterMs()
    {
        return retryAfterMs;
    }
}
