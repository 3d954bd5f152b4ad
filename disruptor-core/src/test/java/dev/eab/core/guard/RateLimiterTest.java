package dev.eab.core.guard;

import dev.eab.api.RateLimit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Token-bucket arithmetic with explicit clock values: exact, no sleeping. */
class RateLimiterTest
{
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void burstThenSustainedRateThenRetryAfter()
    {
        final RateLimiter limiter = new RateLimiter(4);
        final RateLimit limit = new RateLimit(10, 5);
        long now = 1_000 * SECOND_NS;
        for (int i = 0; i < 5; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, limit, now), "burst message " + i);
        }
        // Empty: the next token is 100 ms away at 10 msg/s.
        assertEquals(100, limiter.tryAcquire(0, limit, now));
        now += 50_000_000L;                                   // +50 ms: half a token
        assertEquals(50, limiter.tryAcquire(0, limit, now));
        now += 50_000_000L;                                   // +100 ms in all: one token
        assertEquals(0, limiter.tryAcquire(0, limit, now));
        assertTrue(limiter.tryAcquire(0, limit, now) > 0);
        // A long idle refills to the burst, never beyond.
        now += 3600 * SECOND_NS;
        for (int i = 0; i < 5; i++)
        {
            assertEquals(0, limiter.tryAcquire(0, limit, now));
        }
        assertTrue(limiter.tryAcquire(0, limit, now) > 0);
    }

    @Test
    void bucketsAreIndependentPerAgent()
    {
        final RateLimiter limiter = new RateLimiter(4);
        final RateLimit limit = new RateLimit(1, 1);
        final long now = SECOND_NS;
        assertEquals(0, limiter.tryAcquire(1, limit, now));
        assertEquals(1000, limiter.tryAcquire(1, limit, now), "agent 1 is dry for a second");
        assertEquals(0, limiter.tryAcquire(2, limit, now), "agent 2 has its own bucket");
        assertEquals(0, limiter.tryAcquire(3, RateLimit.UNLIMITED, now));
        for (int i = 0; i < 1_000; i++)
        {
            assertEquals(0, limiter.tryAcquire(3, RateLimit.UNLIMITED, now));
        }
    }

    @Test
    void clockGoingBackwardsNeverMintsTokens()
    {
        final RateLimiter limiter = new RateLimiter(1);
        final RateLimit limit = new RateLimit(1, 1);
        assertEquals(0, limiter.tryAcquire(0, limit, 10 * SECOND_NS));
        assertTrue(limiter.tryAcquire(0, limit, 5 * SECOND_NS) > 0);
    }

    @Test
    void rateLimitParsesAndValidates()
    {
        assertEquals(new RateLimit(100, 200), RateLimit.parse("100"));
        assertEquals(new RateLimit(100, 7), RateLimit.parse(" 100 / 7 "));
        assertEquals(new RateLimit(1_000_000, 5), RateLimit.parse("1_000_000/5"));
        assertTrue(RateLimit.parse("unlimited").unlimited());
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(-1, 5));
    }
}
