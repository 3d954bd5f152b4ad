package dev.eab.api;

/**
 * A token bucket per sending agent: {@code messagesPerSecond} tokens are added each second up to
 * {@code burst}; each message takes one. An agent that runs dry gets {@code RATE_LIMITED} until tokens
 * return. Buckets are per tenant:agent, so one flooding agent never uses up another's allowance.
 *
 * @param messagesPerSecond sustained rate; 0 means unlimited.
 * @param burst             bucket size (messages that may be sent at once after idling); at least 1 when limited.
 */
public record RateLimit(long messagesPerSecond, long burst)
{
    /** No limit. */
    public static final RateLimit UNLIMITED = new RateLimit(0, 0);
    /** The default: generous enough that only a runaway agent meets it (1M msg/s sustained, 2M burst). */
    public static final RateLimit DEFAULT = new RateLimit(1_000_000, 2_000_000);

    /** @throws IllegalArgumentException for negative values or a limited rate with burst below 1. */
    public RateLimit
    {
        if (messagesPerSecond < 0 || burst < 0 || (messagesPerSecond > 0 && burst < 1))
        {
            throw new IllegalArgumentException("rate limit needs messages_per_second >= 0 and burst >= 1, got " +
                messagesPerSecond + "/" + burst);
        }
    }

    /** @return true when this limit never refuses. */
    public boolean unlimited()
    {
        return messagesPerSecond == 0;
    }

    /** Parses {@code "<per second>/<burst>"}, {@code "<per second>"} (burst = 2 × rate) or {@code "unlimited"}. */
    public static RateLimit parse(final String text)
    {
        final String t = text.trim().replace("_", "");
        if (t.equalsIgnoreCase("unlimited") || t.equals("0"))
        {
            return UNLIMITED;
        }
        final int slash = t.indexOf('/');
        final long rate = Long.parseLong(slash < 0 ? t : t.substring(0, slash).trim());
        final long burst = slash < 0 ? Math.max(1, rate * 2) : Long.parseLong(t.substring(slash + 1).trim());
        return new RateLimit(rate, burst);
    }
}
